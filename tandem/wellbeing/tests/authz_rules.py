"""Who gets what on every wellbeing page and API operation (see tandem/core/tests/authz.py).

The check-in is cast.trainee's, worrying and shared with the host B: read by the trainee and
coord_b (named wellbeing officer of B); everyone else — coord_a (home coordinator, not an
officer), the tutors, the consortium admin — gets 404. Alerts are for coord_b only. The setup
page of A is coord_a's; a partner or the admin is refused (403), the outsider does not reach A
(404). Statistics are for coordinators only; the tutors' view for the two current tutors.
"""

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
from tandem.wellbeing.models import WellbeingOfficer
from tandem.wellbeing.tests.factories import (
    alert_once,
    checkin_once,
    officers,
    proposal_once,
)

TRAINEES = ["trainee", "resident"]
READERS = ["trainee", "coord_b"]
OFFICER = ["coord_b"]
COORDINATORS = ["coord_a", "coord_b", "outsider"]
TUTORS = ["tutor_a", "tutor_b"]
SETUP_A = expect(
    ok=["coord_a"], hidden=["outsider"], forbidden=everyone_else(["coord_a", "outsider"])
)


def _alert(state: str = "open"):
    return lambda cast: {"pk": alert_once(cast, state).pk}


def _officer_only(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=OFFICER, hidden=everyone_else(OFFICER), ok_status=ok_status, anonymous=anonymous
    )


def _officer_b(cast):
    officers(cast)
    return WellbeingOfficer.objects.get(institution=cast.inst_b, user=cast.coord_b)


RULES: dict[str, Rule] = {
    "wellbeing:home": page(expect=expect(ok=everyone_else())),
    "wellbeing:checkin_new": page(expect=expect(ok=TRAINEES, forbidden=everyone_else(TRAINEES))),
    "wellbeing:checkin_detail": page(
        kwargs=lambda cast: {"pk": checkin_once(cast).pk},
        expect=expect(ok=READERS, hidden=everyone_else(READERS)),
    ),
    "wellbeing:consent": page(
        "POST",
        data=lambda c: {"give": "1"},
        expect=expect(ok=TRAINEES, forbidden=everyone_else(TRAINEES), ok_status=REDIRECT),
    ),
    "wellbeing:setup": page(kwargs=lambda cast: {"institution_pk": cast.inst_a.pk}, expect=SETUP_A),
    "wellbeing:alert_list": page(
        kwargs=lambda cast: (alert_once(cast), {})[1],
        expect=expect(ok=OFFICER, forbidden=everyone_else(OFFICER)),
    ),
    "wellbeing:alert_detail": page(kwargs=_alert(), expect=_officer_only(OK)),
    "wellbeing:alert_acknowledge": page(
        "POST", kwargs=_alert(), data=lambda c: {}, expect=_officer_only(REDIRECT)
    ),
    "wellbeing:alert_note": page(
        "POST",
        kwargs=_alert(),
        data=lambda c: {"kind": "contact", "text": "Called; meeting on Monday."},
        expect=_officer_only(REDIRECT),
    ),
    "wellbeing:alert_close": page(
        "POST",
        kwargs=_alert("acknowledged"),
        data=lambda c: {"outcome": "Referred to the counselling centre."},
        expect=_officer_only(REDIRECT),
    ),
    "wellbeing:alert_propose": page(
        "POST",
        kwargs=_alert("acknowledged"),
        data=lambda c: {"note": "Reduced laboratory hours."},
        expect=_officer_only(REDIRECT),
    ),
    "wellbeing:proposal_decide": page(
        "POST",
        kwargs=lambda cast: {"pk": proposal_once(cast).pk},
        data=lambda c: {"accept": "0"},
        expect=expect(
            ok=["trainee"],
            forbidden=OFFICER,
            hidden=everyone_else(["trainee", *OFFICER]),
            ok_status=REDIRECT,
        ),
    ),
    "wellbeing:tutor_view": page(
        kwargs=lambda cast: (officers(cast), {"trainee_pk": cast.trainee.pk})[1],
        expect=expect(ok=TUTORS, hidden=everyone_else(TUTORS)),
    ),
    "wellbeing:stats": page(expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))),
    "wellbeing:stats_export": page(
        expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))
    ),
    # --- API ---
    "wellbeing_checkin_mine": api(
        "GET", lambda cast: "/api/v1/wellbeing/checkins", expect(ok=everyone_else(), anonymous=401)
    ),
    "wellbeing_checkin_submit": api(
        "POST",
        lambda cast: (officers(cast), "/api/v1/wellbeing/checkins")[1],
        expect(
            ok=TRAINEES,
            forbidden=everyone_else(TRAINEES),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {"physical": 4, "mental": 4, "workload": 3, "living": 4},
    ),
    "wellbeing_checkin_get": api(
        "GET",
        lambda cast: f"/api/v1/wellbeing/checkins/{checkin_once(cast).pk}",
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "wellbeing_consent_set": api(
        "POST",
        lambda cast: "/api/v1/wellbeing/consent",
        expect(ok=TRAINEES, forbidden=everyone_else(TRAINEES), anonymous=401),
        data=lambda cast: {"given": True},
    ),
    "wellbeing_officer_list": api(
        "GET",
        lambda cast: f"/api/v1/wellbeing/institutions/{cast.inst_a.pk}/officers",
        SETUP_A | {"anonymous": 401},
    ),
    "wellbeing_officer_appoint": api(
        "POST",
        lambda cast: f"/api/v1/wellbeing/institutions/{cast.inst_a.pk}/officers",
        expect(
            ok=["coord_a"],
            hidden=["outsider"],
            forbidden=everyone_else(["coord_a", "outsider"]),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {"user_id": cast.tutor_a.pk},
    ),
    "wellbeing_officer_end": api(
        "POST",
        lambda cast: (
            f"/api/v1/wellbeing/institutions/{cast.inst_b.pk}/officers/{_officer_b(cast).pk}/end"
        ),
        expect(
            ok=["coord_b"],
            hidden=["outsider"],
            forbidden=everyone_else(["coord_b", "outsider"]),
            anonymous=401,
        ),
    ),
    "wellbeing_alert_list": api(
        "GET",
        lambda cast: (alert_once(cast), "/api/v1/wellbeing/alerts")[1],
        expect(ok=OFFICER, forbidden=everyone_else(OFFICER), anonymous=401),
    ),
    "wellbeing_alert_acknowledge": api(
        "POST",
        lambda cast: f"/api/v1/wellbeing/alerts/{alert_once(cast).pk}/acknowledge",
        _officer_only(OK, 401),
    ),
    "wellbeing_alert_note": api(
        "POST",
        lambda cast: f"/api/v1/wellbeing/alerts/{alert_once(cast).pk}/notes",
        _officer_only(CREATED, 401),
        data=lambda cast: {"kind": "contact", "text": "Called."},
    ),
    "wellbeing_shared_scores": api(
        "GET",
        lambda cast: (officers(cast), f"/api/v1/wellbeing/trainees/{cast.trainee.pk}/shared")[1],
        expect(ok=TUTORS, hidden=everyone_else(TUTORS), anonymous=401),
    ),
    "wellbeing_stats": api(
        "GET",
        lambda cast: "/api/v1/wellbeing/stats",
        expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS), anonymous=401),
    ),
}
