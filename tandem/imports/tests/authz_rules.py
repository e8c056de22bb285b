"""Who follows an import job: the person who started it, the coordinators of the institution it
imports into, and consortium admins; everyone else gets the 404 of a missing job."""

from tandem.core.tests.authz import UNAUTHORIZED, Rule, api, everyone_else, expect, page

FOLLOWERS = ["admin", "coord_a"]  # coord_a started it, for institution A


def _job_of_coord_a(cast) -> int:
    from tandem.accounts.services_import import people_import_job_start

    job = people_import_job_start(
        actor=cast.coord_a,
        institution=cast.inst_a,
        file_name="people.csv",
        content=b"full_name,email,role\nNew Teacher,new.teacher@example.org,teacher\n",
    )
    return job.pk


RULES: dict[str, Rule] = {
    "imports:job_detail": page(
        kwargs=lambda cast: {"pk": _job_of_coord_a(cast)},
        expect=expect(ok=FOLLOWERS, hidden=everyone_else(FOLLOWERS)),
    ),
    "imports_job_get": api(
        "GET",
        lambda cast: f"/api/v1/imports/{_job_of_coord_a(cast)}",
        expect(ok=FOLLOWERS, hidden=everyone_else(FOLLOWERS), anonymous=UNAUTHORIZED),
    ),
}
