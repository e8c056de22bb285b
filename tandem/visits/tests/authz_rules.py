"""Who gets what on every exchange-visit page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): A hosts B. The visit is read by both coordinators, the admin,
`tutor_a` (a session's participant) and `tutor_b` (in B's delegation); not by the trainee, the
resident or the outsider (404). Both coordinators run it; the others who read it get 403.
B's action is read by A's office (the host follows every action up), B's office, the admin and
its owner `tutor_b`; not by `tutor_a`, who sees the visit but not B's actions (404).
"""

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.visits.tests.factories import visitworld_once

READERS = ["coord_a", "coord_b", "admin", "tutor_a", "tutor_b"]
MANAGERS = ["coord_a", "coord_b"]
ACTION_B_READERS = ["coord_a", "coord_b", "admin", "tutor_b"]


def _visit(cast):
    return {"pk": visitworld_once(cast).visit.pk}


def _readers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=READERS, hidden=everyone_else(READERS), ok_status=ok_status, anonymous=anonymous
    )


def _managers(ok_status: int = REDIRECT, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        forbidden=["admin", "tutor_a", "tutor_b"],
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _b_step(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    """Starting B's open action: its owner or B's office; A's office and the admin may not."""
    return expect(
        ok=["coord_b", "tutor_b"],
        forbidden=["coord_a", "admin"],
        hidden=everyone_else(ACTION_B_READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _post(name: str, data, expect_=None) -> Rule:
    return page("POST", kwargs=_visit, data=data, expect=expect_ or _managers())


def _ids(cast):
    return visitworld_once(cast)


def _tutor_b_delegate(cast):
    return visitworld_once(cast).visit.delegates.get(person=cast.tutor_b)


RULES: dict[str, Rule] = {
    "visits:home": page(
        kwargs=lambda c: (visitworld_once(c), {})[1], expect=expect(ok=everyone_else())
    ),
    "visits:visit_new": page(
        kwargs=lambda c: {},
        expect=expect(
            ok=["coord_a", "coord_b", "outsider"],
            forbidden=everyone_else(["coord_a", "coord_b", "outsider"]),
        ),
    ),
    "visits:visit_detail": page(kwargs=_visit, expect=_readers()),
    "visits:visit_status": _post(
        "status", lambda c: {"status": "cancelled", "reason": "The date moved"}
    ),
    "visits:visit_notes": _post("notes", lambda c: {"notes": "Ask about the skills centre"}),
    "visits:agenda_add": _post(
        "agenda",
        lambda c: {
            "institution": c.inst_b.pk,
            "topic": "quality_assurance",
            "title": "Supervision at EMU",
        },
    ),
    "visits:delegate_add": _post(
        "delegate",
        lambda c: {"institution": c.inst_a.pk, "person": c.trainee.pk, "role": "other"},
    ),
    "visits:session_add": _post(
        "session",
        lambda c: {"host_base": _ids(c).surgery_a.pk, "topics": ["assessment_evaluation"]},
    ),
    "visits:visit_invite": _post("invite", lambda c: {}),
    "visits:visit_edit": page(kwargs=_visit, expect=_managers(OK)),
    "visits:delegate_remove": page(
        "POST",
        kwargs=lambda c: {
            "pk": visitworld_once(c).visit.pk,
            "delegate_pk": _tutor_b_delegate(c).pk,
        },
        data=lambda c: {"reason": ""},
        expect=_managers(),
        note="Without a reason the service refuses with a message (a 302), nothing saved.",
    ),
    "visits:session_remove": page(
        "POST",
        kwargs=lambda c: {"pk": visitworld_once(c).session.pk},
        data=lambda c: {"reason": ""},
        expect=_managers(),
        note="An action comes from the session: the service refuses with a message (a 302).",
    ),
    "visits:practice_add": _post(
        "practice",
        lambda c: {
            "institution": c.inst_a.pk,
            "topic": "rotation_management",
            "title": "One rota for the whole base",
            "summary": "A single rotation plan per base, published a month ahead.",
        },
    ),
    "visits:action_add": _post(
        "action",
        lambda c: {
            "institution": c.inst_b.pk,
            "owner": c.tutor_b.pk,
            "title": "Teacher workshop",
            "deadline": _ids(c).visit.ends_on.isoformat(),
        },
    ),
    "visits:report_pdf": page(kwargs=_visit, expect=_readers()),
    "visits:actions_xlsx": page(kwargs=_visit, expect=_readers()),
    "visits:session_detail": page(
        kwargs=lambda c: {"pk": visitworld_once(c).session.pk}, expect=_readers()
    ),
    "visits:action_detail": page(
        kwargs=lambda c: {"pk": visitworld_once(c).action_b.pk},
        expect=expect(ok=ACTION_B_READERS, hidden=everyone_else(ACTION_B_READERS)),
    ),
    "visits:action_step": page(
        "POST",
        kwargs=lambda c: {"pk": visitworld_once(c).action_b.pk},
        data=lambda c: {"status": "in_progress", "note": "Stations planned"},
        expect=_b_step(REDIRECT),
    ),
    "visits:practice_list": page(
        kwargs=lambda c: (visitworld_once(c), {})[1], expect=expect(ok=everyone_else())
    ),
    # --- API ---
    "visits_visit_list": api(
        "GET",
        lambda c: (visitworld_once(c), "/api/v1/visits/visits")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "visits_visit_create": api(
        "POST",
        lambda c: "/api/v1/visits/visits",
        expect(ok=MANAGERS, forbidden=everyone_else(MANAGERS), ok_status=CREATED, anonymous=401),
        data=lambda c: {
            "host_id": c.inst_b.pk,
            "visiting_id": c.inst_a.pk,
            "agreement_id": c.agreement_ab.pk,
            "title": "WMU visits EMU",
            "starts_on": "2027-05-10",
            "ends_on": "2027-05-11",
        },
    ),
    "visits_visit_get": api(
        "GET", lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}", _readers(OK, 401)
    ),
    "visits_visit_update": api(
        "PATCH",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}",
        _managers(OK, 401),
        data=lambda c: {"place": "Teaching building, room 3"},
    ),
    "visits_delegate_remove": api(
        "POST",
        lambda c: (
            f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/delegates/"
            f"{_tutor_b_delegate(c).pk}/remove"
        ),
        _managers(400, 401),
        data=lambda c: {"reason": ""},
        note="Without a reason: a 400 naming reason, nothing saved.",
    ),
    "visits_session_remove": api(
        "POST",
        lambda c: f"/api/v1/visits/sessions/{visitworld_once(c).session.pk}/remove",
        _managers(400, 401),
        data=lambda c: {"reason": ""},
        note="An action comes from the session: a 400 saying so, nothing saved.",
    ),
    "visits_delegate_add": api(
        "POST",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/delegates",
        _managers(CREATED, 401),
        data=lambda c: {"person_id": c.trainee.pk, "institution_id": c.inst_a.pk, "role": "other"},
    ),
    "visits_session_add": api(
        "POST",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/sessions",
        _managers(CREATED, 401),
        data=lambda c: {"host_base_id": _ids(c).surgery_a.pk, "topics": ["teaching_methods"]},
    ),
    "visits_session_minutes": api(
        "POST",
        lambda c: f"/api/v1/visits/sessions/{visitworld_once(c).session.pk}/minutes",
        _managers(OK, 401),
        data=lambda c: {"minutes": "Both bases keep a rota board."},
    ),
    "visits_action_list": api(
        "GET",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/actions",
        _readers(OK, 401),
    ),
    "visits_action_add": api(
        "POST",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/actions",
        _managers(CREATED, 401),
        data=lambda c: {
            "institution_id": c.inst_b.pk,
            "owner_id": c.tutor_b.pk,
            "title": "Teacher workshop",
            "deadline": _ids(c).visit.ends_on.isoformat(),
            "session_id": _ids(c).session.pk,
        },
    ),
    "visits_action_step": api(
        "POST",
        lambda c: f"/api/v1/visits/actions/{visitworld_once(c).action_b.pk}/step",
        _b_step(OK, 401),
        data=lambda c: {"status": "in_progress"},
    ),
    "visits_practice_list": api(
        "GET",
        lambda c: (visitworld_once(c), "/api/v1/visits/practices")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "visits_practice_share": api(
        "POST",
        lambda c: f"/api/v1/visits/visits/{visitworld_once(c).visit.pk}/practices",
        _managers(CREATED, 401),
        data=lambda c: {
            "institution_id": c.inst_b.pk,
            "topic": "assessment_evaluation",
            "title": "Mini-CEX every month",
            "summary": "Each resident is observed once a month.",
        },
    ),
}
