"""Who gets what on every feedback page and API operation (see tandem/core/tests/authz.py).

The item is cast.trainee's, about housing: routed to the host B, handled by coord_b (and the
admin). Who sees it: admin, coord_b, the trainee. Who handles it: admin, coord_b; the trainee
sees it but may not (403). Who confirms or reopens it: the trainee; the handlers may not (403).
The seminar is coord_a's, of agreement_ab, with the trainee invited: seen by admin, coord_a,
coord_b and the trainee; run by admin, coord_a and coord_b.
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
from tandem.feedback.tests.factories import active_cultivation, item_once, seminar_once

SEE = ["admin", "coord_b", "trainee"]
HANDLE = ["admin", "coord_b"]
HIDDEN = everyone_else(SEE)
COORDINATORS = ["admin", "coord_a", "coord_b", "outsider"]
SEMINAR_SEE = ["admin", "coord_a", "coord_b", "trainee"]
SEMINAR_RUN = ["admin", "coord_a", "coord_b"]
SEMINAR_HIDDEN = everyone_else(SEMINAR_SEE)


def _handle(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=HANDLE, forbidden=["trainee"], hidden=HIDDEN, ok_status=ok_status, anonymous=anonymous
    )


def _raiser(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=["trainee"], forbidden=HANDLE, hidden=HIDDEN, ok_status=ok_status, anonymous=anonymous
    )


def _item(state: str):
    return lambda cast: {"pk": item_once(cast, state).pk}


def _api_item(state: str, suffix: str = ""):
    return lambda cast: f"/api/v1/feedback/items/{item_once(cast, state).pk}{suffix}"


RULES: dict[str, Rule] = {
    "feedback:list": page(expect=expect(ok=everyone_else())),
    "feedback:raise": page(
        expect=expect(ok=["trainee", "resident"], forbidden=everyone_else(["trainee", "resident"]))
    ),
    "feedback:export": page(expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))),
    "feedback:stats": page(expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))),
    "feedback:detail": page(kwargs=_item("open"), expect=expect(ok=SEE, hidden=HIDDEN)),
    "feedback:acknowledge": page(
        "POST", kwargs=_item("open"), data=lambda c: {}, expect=_handle(REDIRECT)
    ),
    "feedback:start": page(
        "POST", kwargs=_item("acknowledged"), data=lambda c: {}, expect=_handle(REDIRECT)
    ),
    "feedback:resolve": page(
        "POST",
        kwargs=_item("in_progress"),
        data=lambda c: {"resolution": "Fixed."},
        expect=_handle(REDIRECT),
    ),
    "feedback:confirm": page(
        "POST", kwargs=_item("resolved"), data=lambda c: {}, expect=_raiser(REDIRECT)
    ),
    "feedback:reopen": page(
        "POST",
        kwargs=_item("resolved"),
        data=lambda c: {"reason": "Still cold."},
        expect=_raiser(REDIRECT),
    ),
    "feedback:routing": page(
        kwargs=lambda cast: {"agreement_pk": cast.agreement_ab.pk},
        expect=expect(
            ok=["admin", "coord_a", "coord_b"],
            forbidden=["tutor_a", "tutor_b", "trainee", "resident"],
            hidden=["outsider"],
        ),
    ),
    "feedback:seminar_list": page(expect=expect(ok=everyone_else())),
    "feedback:seminar_create": page(
        expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))
    ),
    "feedback:seminar_detail": page(
        kwargs=lambda cast: {"pk": seminar_once(cast).pk},
        expect=expect(ok=SEMINAR_SEE, hidden=SEMINAR_HIDDEN),
    ),
    "feedback:seminar_attendance": page(
        "POST",
        kwargs=lambda cast: {"pk": seminar_once(cast, past=True).pk},
        data=lambda c: {},
        expect=expect(
            ok=SEMINAR_RUN, forbidden=["trainee"], hidden=SEMINAR_HIDDEN, ok_status=REDIRECT
        ),
    ),
    "feedback:seminar_minutes": page(
        "POST",
        kwargs=lambda cast: {"pk": seminar_once(cast, past=True).pk},
        data=lambda c: {"minutes": "Both sites reported."},
        expect=expect(
            ok=SEMINAR_RUN, forbidden=["trainee"], hidden=SEMINAR_HIDDEN, ok_status=REDIRECT
        ),
    ),
    "feedback:seminar_raise": page(
        "POST",
        kwargs=lambda cast: {"pk": seminar_once(cast).pk},
        data=lambda c: {"category": "resources", "title": "Freezer", "description": "Full."},
        expect=expect(
            ok=["trainee"], forbidden=SEMINAR_RUN, hidden=SEMINAR_HIDDEN, ok_status=REDIRECT
        ),
    ),
    # --- API ---
    "feedback_item_list": api(
        "GET", lambda cast: "/api/v1/feedback/items", expect(ok=everyone_else(), anonymous=401)
    ),
    "feedback_item_mine": api(
        "GET", lambda cast: "/api/v1/feedback/items/mine", expect(ok=everyone_else(), anonymous=401)
    ),
    "feedback_item_raise": api(
        "POST",
        lambda cast: "/api/v1/feedback/items",
        # The resident is a trainee without a joint cultivation: that one is not theirs.
        expect(
            ok=["trainee"],
            forbidden=everyone_else(["trainee", "resident"]),
            hidden=["resident"],
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {
            "cultivation_id": active_cultivation(cast).pk,
            "category": "housing",
            "title": "Cold",
            "description": "No hot water.",
            "anonymous": True,
        },
    ),
    "feedback_item_get": api(
        "GET", _api_item("open"), expect(ok=SEE, hidden=HIDDEN, anonymous=401)
    ),
    "feedback_item_acknowledge": api(
        "POST", _api_item("open", "/acknowledge"), _handle(OK, 401), data=lambda c: {}
    ),
    "feedback_item_start": api(
        "POST", _api_item("acknowledged", "/start"), _handle(OK, 401), data=lambda c: {}
    ),
    "feedback_item_resolve": api(
        "POST",
        _api_item("acknowledged", "/resolve"),
        _handle(OK, 401),
        data=lambda c: {"resolution": "Fixed."},
    ),
    "feedback_item_confirm": api("POST", _api_item("resolved", "/confirm"), _raiser(OK, 401)),
    "feedback_item_reopen": api(
        "POST",
        _api_item("resolved", "/reopen"),
        _raiser(OK, 401),
        data=lambda c: {"reason": "Still cold."},
    ),
    "feedback_stats": api(
        "GET",
        lambda cast: "/api/v1/feedback/stats",
        expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS), anonymous=401),
    ),
    "feedback_seminar_list": api(
        "GET", lambda cast: "/api/v1/feedback/seminars", expect(ok=everyone_else(), anonymous=401)
    ),
    "feedback_seminar_get": api(
        "GET",
        lambda cast: f"/api/v1/feedback/seminars/{seminar_once(cast).pk}",
        expect(ok=SEMINAR_SEE, hidden=SEMINAR_HIDDEN, anonymous=401),
    ),
}
