"""Who gets what on every work-hours page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): the cast's resident on A's published schedule; A's rule set.
The resident's shifts and pages are read by the resident, A's training office (coord_a) and the
consortium admin; the cohort pages by A's office and the admin. A's rule set is read by anyone
of A. Only A's office (and the admin) sets A's rules and checks A's planned rota; coord_b sees
the proposal as the partner who approves it, and may not check it.
"""

from django.utils import timezone

from tandem.core.tests.authz import (
    CREATED,
    NO_CONTENT,
    OK,
    REDIRECT,
    Rule,
    api,
    everyone_else,
    expect,
    page,
)
from tandem.workhours.tests.factories import proposal_once, shift_once, workworld_once

READERS = ["resident", "coord_a", "admin"]
MANAGERS = ["coord_a", "admin"]
OF_A = ["admin", "coord_a", "tutor_a", "trainee", "resident"]
TRAINING_OFFICES = ["coord_a", "coord_b", "outsider", "admin"]


def _world(cast):
    return (workworld_once(cast), {})[1]


def _resident(cast):
    return (workworld_once(cast), {"pk": cast.resident.pk})[1]


def _cohort(cast):
    return {"pk": workworld_once(cast).world.cohort.pk}


def _shift_owner(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=["resident"],
        forbidden=["coord_a", "admin"],
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _resident_only(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=["resident"],
        forbidden=everyone_else(["resident"]),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _check(anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        forbidden=["coord_b"],
        hidden=everyone_else([*MANAGERS, "coord_b"]),
        anonymous=anonymous,
    )


def _tonight(cast):
    today = timezone.localdate()
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    return {
        "start": (start + timezone.timedelta(hours=20)).isoformat(),
        "end": (start + timezone.timedelta(hours=30)).isoformat(),
        "kind": "on_call",
    }


RULES: dict[str, Rule] = {
    "workhours:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "workhours:shift_new": page(kwargs=_world, expect=_resident_only()),
    "workhours:shift_delete": page(
        "POST",
        kwargs=lambda cast: {"pk": shift_once(cast).pk},
        data=lambda c: {},
        expect=_shift_owner(REDIRECT),
    ),
    "workhours:rota_confirm": page(
        "POST", kwargs=_world, data=lambda c: {}, expect=_resident_only(REDIRECT)
    ),
    "workhours:resident": page(
        kwargs=_resident, expect=expect(ok=READERS, hidden=everyone_else(READERS))
    ),
    "workhours:cohort": page(
        kwargs=_cohort, expect=expect(ok=MANAGERS, hidden=everyone_else(MANAGERS))
    ),
    "workhours:cohort_export": page(
        kwargs=_cohort, expect=expect(ok=MANAGERS, hidden=everyone_else(MANAGERS))
    ),
    "workhours:ruleset_list": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "workhours:ruleset_edit": page(
        kwargs=lambda cast: {"pk": workworld_once(cast).ruleset.pk},
        expect=expect(ok=OF_A, hidden=everyone_else(OF_A)),
    ),
    "workhours:pattern_set": page(
        kwargs=_world,
        expect=expect(ok=TRAINING_OFFICES, forbidden=everyone_else(TRAINING_OFFICES)),
    ),
    "workhours:proposal_check": page(
        kwargs=lambda cast: {"pk": proposal_once(cast).pk}, expect=_check()
    ),
    # --- API ---
    "workhours_shift_mine": api(
        "GET",
        lambda cast: (workworld_once(cast), "/api/v1/workhours/shifts")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "workhours_shift_log": api(
        "POST",
        lambda cast: (workworld_once(cast), "/api/v1/workhours/shifts")[1],
        _resident_only(CREATED, 401),
        data=_tonight,
    ),
    "workhours_shift_delete": api(
        "DELETE",
        lambda cast: f"/api/v1/workhours/shifts/{shift_once(cast).pk}",
        _shift_owner(NO_CONTENT, 401),
    ),
    "workhours_resident_standing": api(
        "GET",
        lambda cast: (workworld_once(cast), f"/api/v1/workhours/residents/{cast.resident.pk}")[1],
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "workhours_cohort_summary": api(
        "GET",
        lambda cast: f"/api/v1/workhours/cohorts/{workworld_once(cast).world.cohort.pk}",
        expect(ok=MANAGERS, hidden=everyone_else(MANAGERS), anonymous=401),
    ),
    "workhours_ruleset_list": api(
        "GET",
        lambda cast: (workworld_once(cast), "/api/v1/workhours/rulesets")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "workhours_ruleset_save": api(
        "POST",
        lambda cast: (workworld_once(cast), "/api/v1/workhours/rulesets")[1],
        expect(ok=MANAGERS, forbidden=everyone_else(MANAGERS), anonymous=401),
        data=lambda cast: {"institution_id": cast.inst_a.pk, "regulator": "china"},
    ),
    "workhours_proposal_check": api(
        "GET",
        lambda cast: f"/api/v1/workhours/proposals/{proposal_once(cast).pk}/check",
        _check(401),
    ),
}
