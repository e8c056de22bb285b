"""Who gets what on every rewards page and operation (see tandem/core/tests/authz.py).

The nomination is tutor_b's, of cast.trainee, in A's round whose committee is coord_a,
tutor_a (recused: he tutors the trainee) and two teachers. It is read by the nominator, the
nominee, the committee and the round's managers (coord_a, the consortium admin); coord_b, the
resident and the outsider get 404. Rounds are read by everyone who reaches A (the outsider, at
C without an agreement, gets 404); an announcement is published to the whole consortium, so the
outsider reads it and may object (decision 110).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.tests.authz import REDIRECT, Rule, api, everyone_else, expect, page
from tandem.rewards import services
from tandem.rewards.tests.factories import judges, nomination_in, objection_of, round_in

READERS = ["admin", "coord_a", "tutor_a", "tutor_b", "trainee"]
MANAGERS = ["admin", "coord_a"]
COMMITTEE_OR_MANAGERS = ["admin", "coord_a", "tutor_a"]
CREATORS = ["admin", "coord_a", "coord_b", "outsider"]
NOMINATORS = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b"]
OBJECTORS = ["admin", "coord_b", "tutor_b", "resident", "outsider"]
REACH_A = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee", "resident"]


def _round(state: str):
    return lambda cast: {"pk": round_in(cast, state).pk}


def _nomination(state: str):
    return lambda cast: {"pk": nomination_in(cast, state).pk}


def _evidence(cast):
    nomination = nomination_in(cast, "open")
    existing = nomination.evidence.first()
    if existing is not None:
        return existing
    return services.evidence_add(
        actor=cast.tutor_b,
        nomination=nomination,
        description="Certificate of the best-poster prize",
        file=SimpleUploadedFile("poster.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )


def _step(ok: list[str], readers: list[str], ok_status: int = REDIRECT, **extra) -> dict:
    return expect(
        ok=ok,
        forbidden=[a for a in readers if a not in ok],
        hidden=everyone_else(readers),
        ok_status=ok_status,
        **extra,
    )


RULES: dict[str, Rule] = {
    "rewards:round_list": page(expect=expect(ok=everyone_else())),
    "rewards:round_new": page(expect=expect(ok=CREATORS, forbidden=everyone_else(CREATORS))),
    "rewards:round_detail": page(
        kwargs=_round("round"), expect=expect(ok=REACH_A, hidden=everyone_else(REACH_A))
    ),
    "rewards:round_member_add": page(
        "POST",
        kwargs=_round("round"),
        data=lambda cast: {"user": cast.coord_a.pk},
        expect=expect(
            ok=MANAGERS, forbidden=everyone_else(MANAGERS, ["outsider"]), ok_status=REDIRECT
        )
        | {"outsider": 404},
    ),
    "rewards:round_member_remove": page(
        "POST",
        kwargs=_round("round"),
        data=lambda cast: {"user": judges(cast)[1].pk, "reason": "Leaves the hospital."},
        expect=expect(
            ok=MANAGERS, forbidden=everyone_else(MANAGERS, ["outsider"]), ok_status=REDIRECT
        )
        | {"outsider": 404},
        note="The first manager removes the member; the second is told they are not one.",
    ),
    "rewards:round_edit": page(
        kwargs=_round("round"),
        expect=expect(ok=MANAGERS, forbidden=everyone_else(MANAGERS, ["outsider"]))
        | {"outsider": 404},
    ),
    "rewards:round_cancel": page(
        "POST",
        kwargs=_round("round"),
        data=lambda cast: {"reason": ""},
        expect=expect(
            ok=MANAGERS, forbidden=everyone_else(MANAGERS, ["outsider"]), ok_status=REDIRECT
        )
        | {"outsider": 404},
        note="Without a reason the service refuses with a message (a 302), nothing saved.",
    ),
    "rewards:nomination_new": page(
        kwargs=_round("round"),
        expect=expect(ok=NOMINATORS, forbidden=everyone_else(NOMINATORS, ["outsider"]))
        | {"outsider": 404},
    ),
    "rewards:round_announce": page(
        "POST",
        kwargs=_round("voted"),
        expect=expect(
            ok=COMMITTEE_OR_MANAGERS,
            forbidden=everyone_else(COMMITTEE_OR_MANAGERS, ["outsider"]),
            ok_status=REDIRECT,
        )
        | {"outsider": 404},
        note="The window is still open: the service refuses with a message, nothing saved.",
    ),
    "rewards:announcement": page(kwargs=_round("announced"), expect=expect(ok=everyone_else())),
    "rewards:nomination_detail": page(
        kwargs=_nomination("open"), expect=expect(ok=READERS, hidden=everyone_else(READERS))
    ),
    "rewards:nomination_evidence": page(
        "POST",
        kwargs=_nomination("open"),
        data=lambda cast: {"description": "Poster prize", "reference_kind": "publication"},
        expect=_step(["tutor_b"], READERS),
    ),
    "rewards:evidence_file": page(
        kwargs=lambda cast: {
            "pk": nomination_in(cast, "open").pk,
            "evidence_pk": _evidence(cast).pk,
        },
        expect=expect(ok=READERS, hidden=everyone_else(READERS)),
    ),
    "rewards:nomination_vote": page(
        "POST",
        kwargs=_nomination("open"),
        data=lambda cast: {"choice": "for", "comment": "Meets the criteria."},
        expect=_step(["coord_a", "tutor_a"], READERS),
        note="tutor_a is a member but recused: the service refuses with a message (a 302).",
    ),
    "rewards:objection_lodge": page(
        "POST",
        kwargs=_nomination("announced"),
        data=lambda cast: {"grounds": "The second paper is another student's."},
        expect=expect(ok=OBJECTORS, forbidden=everyone_else(OBJECTORS), ok_status=REDIRECT),
    ),
    "rewards:objection_answer": page(
        "POST",
        kwargs=lambda cast: {"pk": objection_of(cast).pk},
        data=lambda cast: {"answer": "The co-author confirms the trainee's share.", "upheld": "0"},
        expect=_step(["coord_a"], READERS),
    ),
    "rewards:award_finalise": page(
        "POST",
        kwargs=_nomination("announced"),
        expect=_step(COMMITTEE_OR_MANAGERS, READERS),
        note="The period is running: the service refuses with a message (a 302).",
    ),
}


def _api(ok: list[str], readers: list[str], ok_status: int = 200) -> dict[str, int]:
    return _step(ok, readers, ok_status=ok_status, anonymous=401)


def _round_body(cast):
    return {
        "institution_id": cast.inst_a.pk,
        "kind": "scholarship",
        "nominee_kind": "trainee",
        "title": "Joint training scholarship",
        "title_zh": "联合培养奖学金",
        "criteria": "Research excellence.",
        "criteria_zh": "科研优秀。",
        "nominations_open": "2026-01-05",
        "nominations_close": "2099-01-30",
        "objection_days": 5,
        "member_ids": [cast.coord_a.pk],
    }


def _round_path(state: str, tail: str = ""):
    return lambda cast: f"/api/v1/rewards/rounds/{round_in(cast, state).pk}{tail}"


def _nomination_path(state: str, tail: str = ""):
    return lambda cast: f"/api/v1/rewards/nominations/{nomination_in(cast, state).pk}{tail}"


EVERYONE = expect(ok=everyone_else(), anonymous=401)
IN_REACH = expect(ok=REACH_A, hidden=everyone_else(REACH_A), anonymous=401)

API_RULES: dict[str, Rule] = {
    "rewards_round_list": api("GET", lambda cast: "/api/v1/rewards/rounds", EVERYONE),
    "rewards_round_create": api(
        "POST",
        lambda cast: "/api/v1/rewards/rounds",
        expect(
            ok=MANAGERS,
            forbidden=everyone_else(CREATORS),
            ok_status=201,
            anonymous=401,
        )
        | {"coord_b": 400, "outsider": 400},
        data=_round_body,
        note="coord_b and the outsider do not coordinate A: a 400 naming institution_id.",
    ),
    "rewards_round_get": api("GET", _round_path("round"), IN_REACH),
    "rewards_round_member_add": api(
        "POST",
        _round_path("round", "/members"),
        expect(
            ok=MANAGERS,
            forbidden=everyone_else(MANAGERS, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        ),
        data=lambda cast: {"user_id": judges(cast)[1].pk},
    ),
    "rewards_round_member_remove": api(
        "POST",
        lambda cast: (
            f"/api/v1/rewards/rounds/{round_in(cast, 'round').pk}/members/"
            f"{judges(cast)[1].pk}/remove"
        ),
        expect(
            forbidden=everyone_else(MANAGERS, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        )
        | dict.fromkeys(MANAGERS, 400),
        data=lambda cast: {"reason": ""},
        note="Without a reason: a 400 naming reason, nothing saved.",
    ),
    "rewards_round_update": api(
        "PATCH",
        _round_path("round"),
        expect(
            ok=MANAGERS,
            forbidden=everyone_else(MANAGERS, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        ),
        data=lambda cast: {"objection_days": 7},
    ),
    "rewards_round_cancel": api(
        "POST",
        _round_path("round", "/cancel"),
        expect(
            forbidden=everyone_else(MANAGERS, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        )
        | dict.fromkeys(MANAGERS, 400),
        data=lambda cast: {"reason": ""},
        note="Without a reason: a 400 naming reason, nothing saved.",
    ),
    "rewards_round_announce": api(
        "POST",
        _round_path("voted", "/announce"),
        expect(
            forbidden=everyone_else(COMMITTEE_OR_MANAGERS, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        )
        | dict.fromkeys(COMMITTEE_OR_MANAGERS, 400),
        note="The window is still open: a 400 saying until when.",
    ),
    "rewards_announcement": api("GET", _round_path("announced", "/announcement"), EVERYONE),
    "rewards_nomination_list": api("GET", _round_path("open", "/nominations"), IN_REACH),
    "rewards_nomination_create": api(
        "POST",
        _round_path("round", "/nominations"),
        expect(
            ok=NOMINATORS,
            forbidden=everyone_else(NOMINATORS, ["outsider"]),
            hidden=["outsider"],
            ok_status=201,
            anonymous=401,
        ),
        data=lambda cast: {"nominee_ids": [cast.trainee.pk], "statement": "Two papers."},
    ),
    "rewards_nomination_get": api(
        "GET",
        _nomination_path("open"),
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "rewards_evidence_add": api(
        "POST",
        _nomination_path("open", "/evidence"),
        _api([], READERS) | {"tutor_b": 400},
        data=lambda cast: {
            "description": "Paper",
            "reference_kind": "publication",
            "reference_id": 1,
        },
        note="tutor_b adds evidence, but no publication 1 of the trainee exists: a 400.",
    ),
    "rewards_vote": api(
        "POST",
        _nomination_path("open", "/vote"),
        _api(["coord_a"], READERS),
        data=lambda cast: {"choice": "for", "comment": "Meets the criteria."},
        note="tutor_a is a member but recused: 403 with the reason.",
    ),
    "rewards_objection_list": api(
        "GET",
        _nomination_path("objected", "/objections"),
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "rewards_objection_lodge": api(
        "POST",
        _nomination_path("announced", "/objections"),
        expect(ok=OBJECTORS, forbidden=everyone_else(OBJECTORS), ok_status=201, anonymous=401),
        data=lambda cast: {"grounds": "The second paper is another student's."},
    ),
    "rewards_objection_answer": api(
        "POST",
        lambda cast: f"/api/v1/rewards/objections/{objection_of(cast).pk}/answer",
        _api(["coord_a"], READERS),
        data=lambda cast: {"answer": "The co-author confirms it.", "upheld": False},
    ),
    "rewards_award_finalise": api(
        "POST",
        _nomination_path("announced", "/finalise"),
        _api([], READERS) | dict.fromkeys(COMMITTEE_OR_MANAGERS, 400),
        note="The period is running: a 400 saying until when.",
    ),
}
RULES.update(API_RULES)
