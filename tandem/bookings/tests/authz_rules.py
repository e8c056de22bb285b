"""Who gets what on every bookings page and API operation (see tandem/core/tests/authz.py).

resource_a belongs to A and is opened to B under the active agreement. A's trainee, resident
and tutor and B's tutor may book it; coordinators decide, they do not book; the outsider at C
gets 404. A booking by A's trainee is seen by the trainee, A's coordinator and the admin.
"""

from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import requested_booking, rules_for, started_booking
from tandem.core.tests.authz import (
    CREATED,
    OK,
    REDIRECT,
    Rule,
    api,
    everyone_else,
    expect,
    page,
)

READERS = ["admin", "coord_a", "tutor_a", "trainee", "resident", "coord_b", "tutor_b"]
BOOKERS = ["trainee", "resident", "tutor_a", "tutor_b"]
MANAGERS = ["admin", "coord_a"]
BOOKING_SEERS = ["admin", "coord_a", "trainee"]
REPORT_READERS = ["admin", "coord_a", "coord_b", "outsider"]


def _resource_a(cast) -> int:
    rules_for(cast.resource_a)
    return cast.resource_a.pk


def _book_form(cast) -> dict:
    start, end = slot(4, 9)
    return {
        "day": start.date().isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "purpose": "Imaging",
    }


def _book_json(cast) -> dict:
    rules_for(cast.resource_a)
    start, end = slot(4, 9)
    return {"resource_id": cast.resource_a.pk, "start": start.isoformat(), "end": end.isoformat()}


def _rules_form(cast) -> dict:
    data = {
        "slot_minutes": 30,
        "max_booking_minutes": 120,
        "min_notice_hours": 2,
        "max_advance_days": 30,
        "approval_required": "on",
        "cost_per_hour": "50",
    }
    for day in (1, 2, 3, 4, 5):
        data[f"opens_{day}"], data[f"closes_{day}"] = "08:00", "18:00"
    return data


def _rules_json(cast) -> dict:
    return {
        "opening_hours": {"1": ["08:00", "18:00"]},
        "slot_minutes": 30,
        "max_booking_minutes": 120,
        "cost_per_hour": "20.00",
    }


def _decider(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        forbidden=["trainee"],
        hidden=everyone_else(MANAGERS, ["trainee"]),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _seers(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=BOOKING_SEERS,
        hidden=everyone_else(BOOKING_SEERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _booker(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=BOOKERS,
        forbidden=["admin", "coord_a", "coord_b"],
        hidden=["outsider"],
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _rules_writer(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        forbidden=everyone_else(MANAGERS, ["outsider"]),
        hidden=["outsider"],
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _reports(anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(ok=REPORT_READERS, forbidden=everyone_else(REPORT_READERS), anonymous=anonymous)


RULES: dict[str, Rule] = {
    "bookings:list": page(expect=expect(ok=everyone_else())),
    "bookings:export": page(expect=expect(ok=everyone_else())),
    "bookings:detail": page(
        kwargs=lambda cast: {"pk": requested_booking(cast).pk}, expect=_seers(OK)
    ),
    "bookings:approve": page(
        "POST",
        kwargs=lambda cast: {"pk": requested_booking(cast).pk},
        data=lambda cast: {"note": "Fine"},
        expect=_decider(REDIRECT),
    ),
    "bookings:reject": page(
        "POST",
        kwargs=lambda cast: {"pk": requested_booking(cast).pk},
        data=lambda cast: {"note": "Maintenance that day"},
        expect=_decider(REDIRECT),
    ),
    "bookings:cancel": page(
        "POST",
        kwargs=lambda cast: {"pk": requested_booking(cast).pk},
        data=lambda cast: {"note": "Plans changed"},
        expect=_seers(REDIRECT),
    ),
    "bookings:mark": page(
        "POST",
        kwargs=lambda cast: {"pk": started_booking(cast).pk},
        data=lambda cast: {"outcome": "completed"},
        expect=_decider(REDIRECT),
    ),
    "bookings:resources": page(expect=expect(ok=everyone_else())),
    "bookings:calendar": page(
        kwargs=lambda cast: {"resource_pk": _resource_a(cast)},
        expect=expect(ok=READERS, hidden=["outsider"]),
    ),
    "bookings:create": page(
        "POST",
        kwargs=lambda cast: {"resource_pk": _resource_a(cast)},
        data=_book_form,
        expect=_booker(REDIRECT),
    ),
    "bookings:rules": page(
        "POST",
        kwargs=lambda cast: {"resource_pk": cast.resource_a.pk},
        data=_rules_form,
        expect=_rules_writer(REDIRECT),
    ),
    "bookings:report": page(expect=_reports()),
    "bookings:report_export": page(expect=_reports()),
    # API
    "bookings_booking_list": api(
        "GET", lambda cast: "/api/v1/bookings/", expect(ok=everyone_else(), anonymous=401)
    ),
    "bookings_booking_get": api(
        "GET", lambda cast: f"/api/v1/bookings/{requested_booking(cast).pk}", _seers(OK, 401)
    ),
    "bookings_booking_create": api(
        "POST",
        lambda cast: "/api/v1/bookings/",
        _booker(CREATED, 401),
        data=_book_json,
    ),
    "bookings_booking_approve": api(
        "POST",
        lambda cast: f"/api/v1/bookings/{requested_booking(cast).pk}/approve",
        _decider(OK, 401),
        data=lambda cast: {"note": "Fine"},
    ),
    "bookings_booking_reject": api(
        "POST",
        lambda cast: f"/api/v1/bookings/{requested_booking(cast).pk}/reject",
        _decider(OK, 401),
        data=lambda cast: {"note": "Maintenance"},
    ),
    "bookings_booking_cancel": api(
        "POST",
        lambda cast: f"/api/v1/bookings/{requested_booking(cast).pk}/cancel",
        _seers(OK, 401),
        data=lambda cast: {"note": "Plans changed"},
    ),
    "bookings_booking_mark": api(
        "POST",
        lambda cast: f"/api/v1/bookings/{started_booking(cast).pk}/mark",
        _decider(OK, 401),
        data=lambda cast: {"outcome": "no_show"},
    ),
    "bookings_availability_get": api(
        "GET",
        lambda cast: f"/api/v1/bookings/resources/{_resource_a(cast)}/week",
        expect(ok=READERS, hidden=["outsider"], anonymous=401),
    ),
    "bookings_rules_get": api(
        "GET",
        lambda cast: f"/api/v1/bookings/resources/{_resource_a(cast)}/rules",
        expect(ok=READERS, hidden=["outsider"], anonymous=401),
    ),
    "bookings_rules_set": api(
        "PUT",
        lambda cast: f"/api/v1/bookings/resources/{cast.resource_a.pk}/rules",
        _rules_writer(OK, 401),
        data=_rules_json,
    ),
    "bookings_usage_report": api(
        "GET", lambda cast: "/api/v1/bookings/reports/usage", _reports(401)
    ),
}
