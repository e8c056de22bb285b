"""Who gets what on every early-warning page and API operation.

The warning concerns cast.trainee (home A, host B; tutor_b and tutor_a the pair): the pair and
the coordinators of A and B are responsible and see it; the trainee never sees warnings.
"""

from tandem.alerts.tests.factories import open_warning, tutor_a_notification
from tandem.core.tests.authz import REDIRECT, Rule, api, everyone_else, expect, page

RESPONSIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b"]
NOT_TOLD = ["trainee", "resident", "outsider"]
COORDINATORS = ["admin", "coord_a", "coord_b", "outsider"]
EDIT_A = ["admin", "coord_a"]
REACH_A = ["coord_b", "tutor_a", "tutor_b", "trainee", "resident"]


def _w(cast):
    return open_warning(cast).pk


RULES: dict[str, Rule] = {
    "alerts:list": page(expect=expect(ok=everyone_else())),
    "alerts:detail": page(
        kwargs=lambda cast: {"pk": _w(cast)}, expect=expect(ok=RESPONSIBLE, hidden=NOT_TOLD)
    ),
    "alerts:acknowledge": page(
        "POST",
        kwargs=lambda cast: {"pk": _w(cast)},
        data=lambda cast: {"note": "Calling"},
        expect=expect(ok=RESPONSIBLE, hidden=NOT_TOLD, ok_status=REDIRECT),
    ),
    "alerts:resolve": page(
        "POST",
        kwargs=lambda cast: {"pk": _w(cast)},
        data=lambda cast: {"note": "The report came in by e-mail."},
        expect=expect(ok=RESPONSIBLE, hidden=NOT_TOLD, ok_status=REDIRECT),
    ),
    "alerts:overview": page(expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))),
    "alerts:thresholds": page(
        "POST",
        kwargs=lambda cast: {"institution_pk": cast.inst_a.pk},
        data=lambda cast: {
            "no_report_weeks": 6,
            "milestone_days": 21,
            "tutor_silence_weeks": 8,
            "action_overdue_days": 3,
            "absences_in_row": 2,
        },
        expect=expect(ok=EDIT_A, forbidden=REACH_A, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "alerts:notifications": page(expect=expect(ok=everyone_else())),
    "alerts:notification_read": page(
        "POST",
        kwargs=lambda cast: {"pk": tutor_a_notification(cast).pk},
        data=lambda cast: {},
        expect=expect(ok=["tutor_a"], hidden=everyone_else(["tutor_a"]), ok_status=REDIRECT),
    ),
    "alerts:notifications_read_all": page(
        "POST", data=lambda cast: {}, expect=expect(ok=everyone_else(), ok_status=REDIRECT)
    ),
    "alerts:preferences": page(
        "POST",
        data=lambda cast: {"email_mode": "immediate"},
        expect=expect(ok=everyone_else(), ok_status=REDIRECT),
    ),
    # API
    "alerts_warning_list": api(
        "GET", lambda cast: "/api/v1/alerts/warnings", expect(ok=everyone_else(), anonymous=401)
    ),
    "alerts_warning_get": api(
        "GET",
        lambda cast: f"/api/v1/alerts/warnings/{_w(cast)}",
        expect(ok=RESPONSIBLE, hidden=NOT_TOLD, anonymous=401),
    ),
    "alerts_warning_acknowledge": api(
        "POST",
        lambda cast: f"/api/v1/alerts/warnings/{_w(cast)}/acknowledge",
        expect(ok=RESPONSIBLE, hidden=NOT_TOLD, anonymous=401),
        data=lambda cast: {"note": ""},
    ),
    "alerts_warning_resolve": api(
        "POST",
        lambda cast: f"/api/v1/alerts/warnings/{_w(cast)}/resolve",
        expect(ok=RESPONSIBLE, hidden=NOT_TOLD, anonymous=401),
        data=lambda cast: {"note": "Talked to the trainee."},
    ),
    "alerts_thresholds_get": api(
        "GET",
        lambda cast: f"/api/v1/alerts/thresholds/{cast.inst_a.pk}",
        expect(ok=[*EDIT_A, *REACH_A], hidden=["outsider"], anonymous=401),
    ),
    "alerts_thresholds_update": api(
        "PATCH",
        lambda cast: f"/api/v1/alerts/thresholds/{cast.inst_a.pk}",
        expect(ok=EDIT_A, forbidden=REACH_A, hidden=["outsider"], anonymous=401),
        data=lambda cast: {"no_report_weeks": 6},
    ),
    "alerts_notification_list": api(
        "GET",
        lambda cast: "/api/v1/alerts/notifications",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "alerts_notification_read": api(
        "POST",
        lambda cast: f"/api/v1/alerts/notifications/{tutor_a_notification(cast).pk}/read",
        expect(ok=["tutor_a"], hidden=everyone_else(["tutor_a"]), anonymous=401),
    ),
    "alerts_preferences_get": api(
        "GET",
        lambda cast: "/api/v1/alerts/preferences",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "alerts_preferences_update": api(
        "PUT",
        lambda cast: "/api/v1/alerts/preferences",
        expect(ok=everyone_else(), anonymous=401),
        data=lambda cast: {"email_mode": "digest_only"},
    ),
}
