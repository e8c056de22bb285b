"""Who gets what on every residency API operation (merged into authz_rules.RULES)."""

from tandem.core.tests.authz import CREATED, api, everyone_else, expect
from tandem.residency.models import ProposalStatus
from tandem.residency.tests.factories import build_world, make_proposal, publish

A_STAFF = ["admin", "coord_a"]
WITH_PARTNER = ["admin", "coord_a", "coord_b"]
API = "/api/v1/residency"
EVERYONE = everyone_else()


def _published(cast):
    world = build_world(cast)
    publish(world)
    return world


def _cohort(cast):
    return {"pk": _published(cast).cohort.pk}


def _proposal(approved=True, status=ProposalStatus.DONE):
    def kwargs(cast):
        world = _published(cast)
        return {"pk": make_proposal(world, approved=approved, status=status).pk}
    return kwargs


RULES = {
    "residency_department_list": api(
        "GET", lambda cast: build_world(cast) and f"{API}/departments/",
        expect(ok=EVERYONE, anonymous=401)),
    "residency_proposal_list": api(
        "GET", lambda cast: f"{API}/proposals/", expect(ok=EVERYONE, anonymous=401)),
    "residency_proposal_get": api(
        "GET", lambda cast: f"{API}/proposals/{_proposal()(cast)['pk']}/",
        expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER), anonymous=401)),
    "residency_proposal_generate": api(
        "POST", lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/proposals/",
        expect(ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER),
               ok_status=CREATED, anonymous=401),
        data=lambda cast: {"time_limit": 5}),
    "residency_schedule_get": api(
        "GET", lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/schedule/",
        expect(ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER),
               anonymous=401)),
}
