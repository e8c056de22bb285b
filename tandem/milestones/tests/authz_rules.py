"""Who gets what on every milestones page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): the committee of A's program is tutor_a (chair) and two
teachers of A; coord_a (A's training office) and the consortium admin see the committee's
work without rating; the cast's resident reads only their own finalised summary; everyone
else (B's people, the trainee, the outsider) gets 404. Milestone sets are read by everyone
signed in; A's own set by everyone but the outsider (A's partner B reads it too).
"""

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.milestones.tests.factories import milestone_world_once

MEMBERS = ["tutor_a"]
OFFICE = ["coord_a", "admin"]
VIEWERS = [*MEMBERS, *OFFICE]


def _mw(cast):
    return milestone_world_once(cast)


def _none(cast):
    return (_mw(cast), {})[1]


def _set(cast):
    return {"pk": _mw(cast).own_set.pk}


def _committee(cast):
    return {"pk": _mw(cast).committee.pk}


def _review(cast):
    return {"pk": _mw(cast).open.pk}


def _open_rr(cast):
    return {"pk": _mw(cast).open_rr.pk}


def _done_rr(cast):
    return {"pk": _mw(cast).done_rr.pk}


def _program(cast):
    return {"pk": _mw(cast).world.program.pk}


def _viewers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=VIEWERS, hidden=everyone_else(VIEWERS), ok_status=ok_status, anonymous=anonymous
    )


def _office(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=OFFICE,
        forbidden=MEMBERS,
        hidden=everyone_else(VIEWERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _members(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MEMBERS,
        forbidden=OFFICE,
        hidden=everyone_else(VIEWERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _sub_id(cast):
    return _mw(cast).milestone_set.subcompetencies.first().pk


RULES: dict[str, Rule] = {
    "milestones:home": page(kwargs=_none, expect=expect(ok=everyone_else())),
    "milestones:set_list": page(kwargs=_none, expect=expect(ok=everyone_else())),
    # A's own set: read by A and its partner B, not by the outsider; kept by A's office.
    "milestones:set_detail": page(
        kwargs=_set, expect=expect(ok=everyone_else(["outsider"]), hidden=["outsider"])
    ),
    "milestones:set_export": page(
        kwargs=_set, expect=expect(ok=everyone_else(["outsider"]), hidden=["outsider"])
    ),
    "milestones:set_import": page(
        "POST",
        kwargs=_set,
        data=lambda c: {},
        expect=expect(
            ok=OFFICE,
            forbidden=everyone_else([*OFFICE, "outsider"]),
            hidden=["outsider"],
            ok_status=REDIRECT,
        ),
        note="the office without a file is sent back with a message",
    ),
    # The program has a committee already: no one sets up a second one.
    "milestones:committee_create": page(kwargs=_program, expect=expect(hidden=everyone_else())),
    "milestones:committee_detail": page(kwargs=_committee, expect=_viewers()),
    "milestones:committee_member": page(
        "POST",
        kwargs=_committee,
        data=lambda c: {"user": _mw(c).two.pk, "remove": "1"},
        expect=_office(REDIRECT),
    ),
    "milestones:review_open": page(
        "POST", kwargs=_committee, data=lambda c: {}, expect=_viewers(REDIRECT)
    ),
    "milestones:review_detail": page(kwargs=_review, expect=_viewers()),
    "milestones:resident_review": page(kwargs=_open_rr, expect=_viewers()),
    "milestones:rate": page(
        "POST",
        kwargs=_open_rr,
        data=lambda c: {f"sub_{_sub_id(c)}": "3"},
        expect=_members(REDIRECT),
    ),
    "milestones:finalise": page(
        "POST", kwargs=_open_rr, data=lambda c: {"decision": "x"}, expect=_members(REDIRECT)
    ),
    "milestones:summary": page(
        kwargs=_done_rr,
        expect=expect(ok=[*VIEWERS, "resident"], hidden=everyone_else([*VIEWERS, "resident"])),
    ),
    "milestones_set_list": api(
        "GET",
        lambda c: (_mw(c), "/api/v1/milestones/sets")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "milestones_set_create": api(
        "POST",
        lambda c: (_mw(c), "/api/v1/milestones/sets")[1],
        expect(
            ok=OFFICE,
            forbidden=everyone_else([*OFFICE, "coord_b", "outsider"]),
            ok_status=CREATED,
            anonymous=401,
        )
        | {"coord_b": 400, "outsider": 400},
        data=lambda c: {
            "institution_id": c.inst_a.pk,
            "specialty": "internal_medicine",
            "version": "2026",
            "name": "IM milestones",
        },
        note="coord_b and the outsider run another hospital: 400 naming institution_id",
    ),
    "milestones_set_get": api(
        "GET",
        lambda c: f"/api/v1/milestones/sets/{_mw(c).own_set.pk}",
        expect(ok=everyone_else(["outsider"]), hidden=["outsider"], anonymous=401),
    ),
    "milestones_committee_list": api(
        "GET",
        lambda c: (_mw(c), "/api/v1/milestones/committees")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "milestones_committee_get": api(
        "GET",
        lambda c: f"/api/v1/milestones/committees/{_mw(c).committee.pk}",
        _viewers(OK, 401),
    ),
    "milestones_member_add": api(
        "POST",
        lambda c: f"/api/v1/milestones/committees/{_mw(c).committee.pk}/members",
        _office(OK, 401),
        data=lambda c: {"user_id": c.coord_a.pk},
    ),
    "milestones_member_remove": api(
        "DELETE",
        lambda c: f"/api/v1/milestones/committees/{_mw(c).committee.pk}/members/{_mw(c).two.pk}",
        _office(400, 401),
        note="the office is refused with the reason: the committee would fall below three",
    ),
    "milestones_review_open": api(
        "POST",
        lambda c: f"/api/v1/milestones/committees/{_mw(c).committee.pk}/reviews",
        _viewers(400, 401),
        data=lambda c: {
            "milestone_set_id": _mw(c).milestone_set.pk,
            "label": "2026 H2",
            "period_start": "2026-07-01",
            "period_end": "2026-12-31",
            "due_on": "2027-01-15",
        },
        note="viewers are told the period exists already (400)",
    ),
    "milestones_review_get": api(
        "GET", lambda c: f"/api/v1/milestones/reviews/{_mw(c).open.pk}", _viewers(OK, 401)
    ),
    "milestones_resident_review_get": api(
        "GET",
        lambda c: f"/api/v1/milestones/resident-reviews/{_mw(c).open_rr.pk}",
        _viewers(OK, 401),
    ),
    "milestones_ratings_save": api(
        "POST",
        lambda c: f"/api/v1/milestones/resident-reviews/{_mw(c).open_rr.pk}/ratings",
        _members(OK, 401),
        data=lambda c: {"subcompetencies": {str(_sub_id(c)): 3}},
    ),
    "milestones_finalise": api(
        "POST",
        lambda c: f"/api/v1/milestones/resident-reviews/{_mw(c).open_rr.pk}/finalise",
        _members(400, 401),
        data=lambda c: {"decision": "progressing"},
        note="a member is told nobody has rated yet (400)",
    ),
    "milestones_summary_mine": api(
        "GET",
        lambda c: (_mw(c), "/api/v1/milestones/summaries")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
}
