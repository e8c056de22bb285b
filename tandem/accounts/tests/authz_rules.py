"""Who gets what on every page and API operation of the accounts app (and the sign-in pages)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.accounts.models import Membership
from tandem.core.tests.authz import (
    CREATED,
    OK,
    REDIRECT,
    SIGNED_IN,
    UNAUTHORIZED,
    Rule,
    api,
    everyone_else,
    expect,
    page,
)

API = "/api/v1/accounts"
ALL = list(SIGNED_IN)
MANAGERS_OF_A = ["admin", "coord_a"]


def _own_token_of_coord_a(cast) -> int:
    from tandem.accounts.services import api_token_create

    return api_token_create(actor=cast.coord_a, name="matrix")[0].pk


def _feed_token_of_trainee(cast) -> str:
    from tandem.accounts.services_feed import calendar_feed_rotate

    return calendar_feed_rotate(actor=cast.trainee)[1]


def _everyone_has_a_feed(cast) -> None:
    from tandem.accounts.services_feed import calendar_feed_rotate

    for name in SIGNED_IN:
        calendar_feed_rotate(actor=cast.actor(name))


def _tutor_a_membership(cast) -> int:
    return Membership.objects.get(user=cast.tutor_a, role="tutor").pk


def _import_file(cast) -> dict:
    csv = "full_name,email,role\nNew Teacher,new.teacher@example.org,teacher\n"
    return {
        "institution": cast.inst_a.pk,
        "file": SimpleUploadedFile("people.csv", csv.encode(), content_type="text/csv"),
    }


def _invite(cast) -> dict:
    return {
        "full_name": "Nora New",
        "email": "nora@example.org",
        "language": "zh-hans",
        "role": "teacher",
        "institution": cast.inst_a.pk,
    }


# Coordinators of A (and the admin) manage A's people; B's coordinator sees them through the
# active agreement but may not change them; C's coordinator does not see them at all.
_A_PERSON_WRITE = expect(
    ok=MANAGERS_OF_A,
    ok_status=REDIRECT,
    hidden=["outsider"],
    forbidden=everyone_else(MANAGERS_OF_A, ["outsider"]),
)
# The same for the trainee, whom the resident (another trainee) cannot see.
_TRAINEE_WRITE = expect(
    ok=MANAGERS_OF_A,
    ok_status=REDIRECT,
    hidden=["outsider", "resident"],
    forbidden=everyone_else(MANAGERS_OF_A, ["outsider", "resident"]),
)
_COORDINATOR_PAGES = expect(
    ok=["admin", "coord_a", "coord_b", "outsider"],
    forbidden=everyone_else(["admin", "coord_a", "coord_b", "outsider"]),
)

RULES: dict[str, Rule] = {
    # Sign-in pages (un-namespaced, in tandem/accounts/auth_urls.py).
    "login": page(
        expect=expect(ok=ALL, ok_status=REDIRECT, anonymous=OK),
        note="signed-in people go straight to the dashboard",
    ),
    "logout": page("POST", expect=expect(ok=ALL, ok_status=REDIRECT)),
    "password_reset": page(expect=expect(ok=ALL, anonymous=OK)),
    "password_reset_done": page(expect=expect(ok=ALL, anonymous=OK)),
    "password_reset_confirm": page(
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
        expect=expect(ok=ALL, anonymous=OK),
        note="a wrong link answers 'expired' to all",
    ),
    "password_reset_complete": page(expect=expect(ok=ALL, anonymous=OK)),
    "password_change": page(expect=expect(ok=ALL)),
    "password_change_done": page(expect=expect(ok=ALL)),
    # Own settings and tokens.
    "accounts:settings": page(expect=expect(ok=ALL)),
    "accounts:token_create": page(
        "POST", data=lambda cast: {"name": "matrix"}, expect=expect(ok=ALL)
    ),
    "accounts:token_revoke": page(
        "POST",
        kwargs=lambda cast: {"pk": _own_token_of_coord_a(cast)},
        expect=expect(ok=["coord_a"], ok_status=REDIRECT, hidden=everyone_else(["coord_a"])),
    ),
    # The person's own calendar feed (decision 079): every signed-in person has one to manage,
    # and nobody can reach another's (the pages take no id).
    "accounts:calendar_feed": page(expect=expect(ok=ALL)),
    "accounts:calendar_feed_rotate": page("POST", data=lambda cast: {}, expect=expect(ok=ALL)),
    "accounts:calendar_feed_revoke": page(
        "POST",
        data=lambda cast: _everyone_has_a_feed(cast) or {},
        expect=expect(ok=ALL, ok_status=REDIRECT),
    ),
    # The secret address itself (in config/urls.py, served by tandem/portal/views_feed.py): the
    # token is the credential, whoever presents it.
    "calendar_feed": page(
        kwargs=lambda cast: {"token": _feed_token_of_trainee(cast)},
        public=True,
        expect=expect(ok=ALL, anonymous=OK),
    ),
    # People.
    "accounts:people": page(expect=expect(ok=ALL)),
    "accounts:person_detail": page(
        kwargs=lambda cast: {"pk": cast.trainee.pk},
        expect=expect(ok=everyone_else(["resident", "outsider"]), hidden=["resident", "outsider"]),
    ),
    "accounts:person_invite": page(
        "POST",
        data=_invite,
        expect=_A_PERSON_WRITE | {"tutor_a": 403, "tutor_b": 403, "trainee": 403, "resident": 403},
    ),
    "accounts:membership_add": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.trainee.pk},
        data=lambda cast: {"role": "evaluator", "institution": cast.inst_a.pk},
        expect=_TRAINEE_WRITE,
    ),
    "accounts:membership_end": page(
        "POST",
        kwargs=lambda cast: {"pk": _tutor_a_membership(cast)},
        expect=_A_PERSON_WRITE,
    ),
    "accounts:trainee_profile_edit": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.trainee.pk},
        data=lambda cast: {
            "kind": "doctoral",
            "cohort": 2024,
            "specialty": "Oncology",
            f"number_{cast.inst_a.pk}": "A2025001",
        },
        expect=_TRAINEE_WRITE,
    ),
    "accounts:tutor_profile_edit": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.tutor_a.pk},
        data=lambda cast: {
            "title": "Professor",
            "qualification": "doctoral",
            "research_areas": "Oncology",
            "annual_quota": 4,
        },
        expect=_A_PERSON_WRITE,
    ),
    "accounts:people_import": page("POST", data=_import_file, expect=_A_PERSON_WRITE),
    "accounts:people_import_template": page(expect=_COORDINATOR_PAGES),
    # API.
    "accounts_me": api("GET", lambda cast: f"{API}/me", expect(ok=ALL, anonymous=UNAUTHORIZED)),
    "accounts_token_list": api(
        "GET", lambda cast: f"{API}/tokens", expect(ok=ALL, anonymous=UNAUTHORIZED)
    ),
    "accounts_token_create": api(
        "POST",
        lambda cast: f"{API}/tokens",
        expect(ok=ALL, ok_status=CREATED, anonymous=UNAUTHORIZED),
        data=lambda cast: {"name": "matrix"},
    ),
    "accounts_token_revoke": api(
        "POST",
        lambda cast: f"{API}/tokens/{_own_token_of_coord_a(cast)}/revoke",
        expect(ok=["coord_a"], hidden=everyone_else(["coord_a"]), anonymous=UNAUTHORIZED),
    ),
    "accounts_calendar_feed_get": api(
        "GET", lambda cast: f"{API}/calendar-feed", expect(ok=ALL, anonymous=UNAUTHORIZED)
    ),
    "accounts_calendar_feed_update": api(
        "PUT",
        lambda cast: f"{API}/calendar-feed",
        expect(ok=ALL, anonymous=UNAUTHORIZED),
        data=lambda cast: {"scopes": ["meetings", "rotations"]},
    ),
    "accounts_calendar_feed_rotate": api(
        "POST", lambda cast: f"{API}/calendar-feed/rotate", expect(ok=ALL, anonymous=UNAUTHORIZED)
    ),
    "accounts_calendar_feed_revoke": api(
        "POST",
        lambda cast: _everyone_has_a_feed(cast) or f"{API}/calendar-feed/revoke",
        expect(ok=ALL, anonymous=UNAUTHORIZED),
    ),
    "accounts_person_list": api(
        "GET", lambda cast: f"{API}/people", expect(ok=ALL, anonymous=UNAUTHORIZED)
    ),
    "accounts_person_get": api(
        "GET",
        lambda cast: f"{API}/people/{cast.trainee.pk}",
        expect(
            ok=everyone_else(["resident", "outsider"]),
            hidden=["resident", "outsider"],
            anonymous=UNAUTHORIZED,
        ),
    ),
    "accounts_person_invite": api(
        "POST",
        lambda cast: f"{API}/people/invite",
        expect(
            ok=MANAGERS_OF_A,
            ok_status=CREATED,
            hidden=["outsider"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider"]),
            anonymous=UNAUTHORIZED,
        ),
        data=lambda cast: {
            "full_name": "Nora New",
            "email": "nora@example.org",
            "role": "teacher",
            "institution_id": cast.inst_a.pk,
        },
    ),
    "accounts_membership_add": api(
        "POST",
        lambda cast: f"{API}/people/{cast.trainee.pk}/memberships",
        expect(
            ok=MANAGERS_OF_A,
            ok_status=CREATED,
            hidden=["outsider", "resident"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider", "resident"]),
            anonymous=UNAUTHORIZED,
        ),
        data=lambda cast: {"role": "evaluator", "institution_id": cast.inst_a.pk},
    ),
    "accounts_membership_end": api(
        "POST",
        lambda cast: f"{API}/memberships/{_tutor_a_membership(cast)}/end",
        expect(
            ok=MANAGERS_OF_A,
            hidden=["outsider"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider"]),
            anonymous=UNAUTHORIZED,
        ),
        data=lambda cast: {"reason": "left the university"},
    ),
    "accounts_trainee_profile_update": api(
        "PUT",
        lambda cast: f"{API}/people/{cast.trainee.pk}/trainee-profile",
        expect(
            ok=MANAGERS_OF_A,
            hidden=["outsider", "resident"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider", "resident"]),
            anonymous=UNAUTHORIZED,
        ),
        data=lambda cast: {"kind": "doctoral", "cohort": 2024, "specialty": "Oncology"},
    ),
    "accounts_tutor_profile_update": api(
        "PUT",
        lambda cast: f"{API}/people/{cast.tutor_a.pk}/tutor-profile",
        expect(
            ok=MANAGERS_OF_A,
            hidden=["outsider"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider"]),
            anonymous=UNAUTHORIZED,
        ),
        data=lambda cast: {"title": "Professor", "qualification": "doctoral", "annual_quota": 4},
    ),
    # The matrix cannot send a multipart file through the API: without one, the allowed actors
    # reach the file check (400); tests/test_people_api.py uploads real files (201).
    "accounts_people_import": api(
        "POST",
        lambda cast: f"{API}/people/import?institution_id={cast.inst_a.pk}",
        expect(
            ok=MANAGERS_OF_A,
            ok_status=400,
            hidden=["outsider"],
            forbidden=everyone_else(MANAGERS_OF_A, ["outsider"]),
            anonymous=UNAUTHORIZED,
        ),
    ),
}
