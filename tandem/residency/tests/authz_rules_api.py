"""Who gets what on every residency API operation (merged into authz_rules.RULES).

The world is tests/factories.py's: A's training office (coord_a) owns the program, the cohort and
its schedule; B (coord_b) is the partner hospital a proposal sends one of A's residents to. Things
named in a request body that the caller cannot see are bad input (400 naming the field); things
named in the path are 404, the same for "missing" and "not yours".
"""

from tandem.core.tests.authz import CREATED, NO_CONTENT, api, everyone_else, expect
from tandem.residency.models import (
    BlockCalendar,
    CohortMember,
    Department,
    ExchangeQuota,
    LeaveRequest,
    ProposalStatus,
    Requirement,
    SwapConsent,
    SwapRequest,
)
from tandem.residency.tests.factories import (
    build_world,
    make_proposal,
    make_resident,
    next_monday,
    publish,
)

A_STAFF = ["admin", "coord_a"]
WITH_PARTNER = ["admin", "coord_a", "coord_b"]
NOT_STAFF_AB = ["tutor_a", "tutor_b", "trainee", "resident"]
BAD_INPUT = 400
API = "/api/v1/residency"
EVERYONE = everyone_else()


def _published(cast):
    # The matrix runs on the real date: a calendar still to come keeps every block open.
    world = build_world(cast, start_date=next_monday())
    publish(world)
    return world


def _unpublished_proposal(cast):
    """A finished, approved proposal of a cohort with no published schedule yet (publishing
    it needs no confirmation of changes)."""
    world = build_world(cast, start_date=next_monday())
    return {"pk": make_proposal(world, approved=True).pk}


def _cohort(cast):
    return {"pk": _published(cast).cohort.pk}


def _proposal(approved=True, status=ProposalStatus.DONE):
    def kwargs(cast):
        world = _published(cast)
        return {"pk": make_proposal(world, approved=approved, status=status).pk}

    return kwargs


def _department(cast):
    return build_world(cast).a1.pk


def _program(cast):
    return build_world(cast).program.pk


def _capacity(cast):
    world = build_world(cast)
    return f"{API}/departments/{world.a1.pk}/capacity/?calendar_id={world.calendar.pk}"


def _requirement(code):
    def pk(cast):
        world = build_world(cast)
        department = getattr(world, code)
        return Requirement.objects.get(program=world.program, departments=department).pk

    return pk


def _member(cast):
    return build_world(cast).member.pk


def _my_member(cast):
    return _published(cast).member.pk


def _quota(cast):
    build_world(cast)
    return ExchangeQuota.objects.get().pk


def _leave_request(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return LeaveRequest.objects.create(member=world.member, block=block, reason="Exam").pk


def _swap_request(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return SwapRequest.objects.create(
        member=world.member, other=world.member2, block=block, consent=SwapConsent.ACCEPTED
    ).pk


def _swap_asked_of_resident(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return SwapRequest.objects.create(member=world.member2, other=world.member, block=block).pk


def _new_resident(cast):
    resident = make_resident(cast, "resident3")
    member = CohortMember.objects.get(resident=cast.resident)
    return {"resident_id": resident.pk, "program_id": member.program_id}


def _pin(cast):
    member = CohortMember.objects.get(resident=cast.resident)
    return {
        "resident": member.key,
        "block": 0,
        "department": f"D{Department.objects.get(code='a1').pk}",
    }


def _base_a(cast):
    return {
        "base_id": Department.objects.get(code="a1").base_id,
        "name": "New ward",
        "code": "new",
        "max_per_block": 2,
    }


def _cohort_form(cast):
    return {
        "institution_id": cast.inst_a.pk,
        "name": "A residents 2027",
        "calendar_id": BlockCalendar.objects.get(name="2026/27").pk,
    }


def _quota_form(cast):
    return {
        "agreement_id": cast.agreement_ab.pk,
        "from_institution_id": cast.inst_a.pk,
        "to_institution_id": cast.inst_b.pk,
        "max_per_block": 2,
    }


def _swap_form(cast):
    return {
        "block": 3,
        "reason": "Family",
        "other_id": CohortMember.objects.get(resident__username="resident2").pk,
    }


def _decide(cast):
    return {"decision": "approve"}


A_ONLY = expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), anonymous=401)

RULES = {
    # ------------------------------------------------------------------- departments
    "residency_department_list": api(
        "GET",
        lambda cast: build_world(cast) and f"{API}/departments/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_department_get": api(
        "GET",
        lambda cast: f"{API}/departments/{_department(cast)}/",
        expect(ok=everyone_else(["outsider"]), hidden=["outsider"], anonymous=401),
    ),
    "residency_department_create": api(
        "POST",
        lambda cast: build_world(cast) and f"{API}/departments/",
        {
            **expect(
                ok=A_STAFF, forbidden=["coord_b", *NOT_STAFF_AB], ok_status=CREATED, anonymous=401
            ),
            "outsider": BAD_INPUT,
        },
        data=_base_a,
        note="the outsider cannot see A's base: 400 naming base",
    ),
    "residency_department_update": api(
        "PATCH",
        lambda cast: f"{API}/departments/{_department(cast)}/",
        expect(
            ok=A_STAFF, forbidden=["coord_b", *NOT_STAFF_AB], hidden=["outsider"], anonymous=401
        ),
        data=lambda cast: {"name": "A1 ward (renamed)"},
    ),
    # ------------------------------------------------------------------- capacity by block
    "residency_capacity_get": api(
        "GET",
        _capacity,
        expect(ok=everyone_else(["outsider"]), hidden=["outsider"], anonymous=401),
        note="whoever sees the department sees its capacity, as its own numbers",
    ),
    "residency_capacity_set": api(
        "PUT",
        _capacity,
        expect(
            ok=A_STAFF, forbidden=["coord_b", *NOT_STAFF_AB], hidden=["outsider"], anonymous=401
        ),
        data=lambda cast: {"rows": [{"block": 1, "max_per_block": 1}]},
    ),
    # ------------------------------------------------------------------- calendars
    "residency_calendar_list": api(
        "GET",
        lambda cast: build_world(cast) and f"{API}/calendars/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_calendar_get": api(
        "GET",
        lambda cast: f"{API}/calendars/{build_world(cast).calendar.pk}/",
        expect(ok=EVERYONE, anonymous=401),
        note="a consortium calendar",
    ),
    "residency_calendar_create": api(
        "POST",
        lambda cast: f"{API}/calendars/",
        expect(
            ok=[*WITH_PARTNER, "outsider"], forbidden=NOT_STAFF_AB, ok_status=CREATED, anonymous=401
        ),
        data=lambda cast: {
            "name": "2027/28",
            "training_year": 2027,
            "kind": "months",
            "start_date": "2027-09-01",
            "block_count": 12,
        },
    ),
    # ------------------------------------------------------------------- programs
    "residency_program_list": api(
        "GET",
        lambda cast: build_world(cast) and f"{API}/programs/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_program_get": api("GET", lambda cast: f"{API}/programs/{_program(cast)}/", A_ONLY),
    "residency_program_create": api(
        "POST",
        lambda cast: f"{API}/programs/",
        expect(ok=A_STAFF, forbidden=everyone_else(A_STAFF), ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "institution_id": cast.inst_a.pk,
            "code": "su1",
            "name": "Surgery PGY1",
            "specialty": "surgery",
        },
    ),
    "residency_program_update": api(
        "PATCH",
        lambda cast: f"{API}/programs/{_program(cast)}/",
        A_ONLY,
        data=lambda cast: {"name": "IM PGY1 (2026)"},
    ),
    "residency_program_rules_update": api(
        "PUT",
        lambda cast: f"{API}/programs/{_program(cast)}/rules/",
        A_ONLY,
        data=lambda cast: {"rules": {}},
    ),
    "residency_requirement_add": api(
        "POST",
        lambda cast: f"{API}/programs/{_program(cast)}/requirements/",
        expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "department_ids": [Department.objects.get(code="a2").pk],
            "min_blocks": 0,
            "max_blocks": 1,
        },
    ),
    "residency_requirement_update": api(
        "PATCH",
        lambda cast: f"{API}/requirements/{_requirement('a2')(cast)}/",
        A_ONLY,
        data=lambda cast: {"max_blocks": 2},
    ),
    "residency_requirement_remove": api(
        "DELETE",
        lambda cast: f"{API}/requirements/{_requirement('b1')(cast)}/",
        expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=NO_CONTENT, anonymous=401),
    ),
    # ------------------------------------------------------------------- cohorts
    "residency_cohort_list": api(
        "GET", lambda cast: _cohort(cast) and f"{API}/cohorts/", expect(ok=EVERYONE, anonymous=401)
    ),
    "residency_cohort_get": api(
        "GET",
        lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/",
        expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER), anonymous=401),
    ),
    "residency_cohort_create": api(
        "POST",
        lambda cast: build_world(cast) and f"{API}/cohorts/",
        expect(ok=A_STAFF, forbidden=everyone_else(A_STAFF), ok_status=CREATED, anonymous=401),
        data=_cohort_form,
    ),
    "residency_member_list": api(
        "GET",
        lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/members/",
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
        note="a partner sees only its residents, on proposals: not the member list",
    ),
    "residency_member_add": api(
        "POST",
        lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/members/",
        expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=_new_resident,
    ),
    "residency_member_update": api(
        "PATCH",
        lambda cast: f"{API}/members/{_member(cast)}/",
        A_ONLY,
        data=lambda cast: {"leave_blocks": [1]},
    ),
    "residency_member_remove": api(
        "DELETE",
        lambda cast: f"{API}/members/{_member(cast)}/",
        expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=NO_CONTENT, anonymous=401),
    ),
    # ------------------------------------------------------------------- exchange quotas
    "residency_quota_list": api(
        "GET",
        lambda cast: build_world(cast) and f"{API}/quotas/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_quota_set": api(
        "PUT",
        lambda cast: f"{API}/quotas/",
        {**expect(ok=WITH_PARTNER, forbidden=NOT_STAFF_AB, anonymous=401), "outsider": BAD_INPUT},
        data=_quota_form,
        note="either party's office; the outsider cannot see the agreement",
    ),
    "residency_quota_remove": api(
        "DELETE",
        lambda cast: f"{API}/quotas/{_quota(cast)}/",
        expect(
            ok=WITH_PARTNER,
            forbidden=NOT_STAFF_AB,
            hidden=["outsider"],
            ok_status=NO_CONTENT,
            anonymous=401,
        ),
    ),
    # ------------------------------------------------------------------- proposals
    "residency_proposal_list": api(
        "GET", lambda cast: f"{API}/proposals/", expect(ok=EVERYONE, anonymous=401)
    ),
    "residency_proposal_get": api(
        "GET",
        lambda cast: f"{API}/proposals/{_proposal()(cast)['pk']}/",
        expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER), anonymous=401),
    ),
    "residency_proposal_generate": api(
        "POST",
        lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/proposals/",
        expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {"time_limit": 5},
    ),
    "residency_proposal_pin": api(
        "POST",
        lambda cast: f"{API}/proposals/{_proposal()(cast)['pk']}/pins/",
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
        data=_pin,
    ),
    "residency_proposal_resolve": api(
        "POST",
        lambda cast: f"{API}/proposals/{_proposal()(cast)['pk']}/resolve/",
        expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {},
    ),
    "residency_proposal_stop": api(
        "POST",
        lambda cast: (
            f"{API}/proposals/"
            f"{_proposal(approved=False, status=ProposalStatus.SOLVING)(cast)['pk']}/stop/"
        ),
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
    ),
    "residency_proposal_approve": api(
        "POST",
        lambda cast: f"{API}/proposals/{_proposal(approved=False)(cast)['pk']}/approve/",
        expect(
            ok=["coord_b"], forbidden=A_STAFF, hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
    ),
    "residency_proposal_publish": api(
        "POST",
        lambda cast: f"{API}/proposals/{_unpublished_proposal(cast)['pk']}/publish/",
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
        data=lambda cast: {},
    ),
    "residency_proposal_publish_changes": api(
        "GET",
        lambda cast: f"{API}/proposals/{_proposal()(cast)['pk']}/publish-changes/",
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
    ),
    # ------------------------------------------------------------------- schedules
    "residency_schedule_get": api(
        "GET",
        lambda cast: f"{API}/cohorts/{_cohort(cast)['pk']}/schedule/",
        expect(
            ok=A_STAFF, forbidden=["coord_b"], hidden=everyone_else(WITH_PARTNER), anonymous=401
        ),
    ),
    "residency_my_schedule": api(
        "GET",
        lambda cast: _cohort(cast) and f"{API}/my/schedule/",
        expect(ok=EVERYONE, anonymous=401),
        note="everyone gets their own rows, maybe none",
    ),
    # ------------------------------------------------------------------- leave and swaps
    "residency_leave_list": api(
        "GET",
        lambda cast: _leave_request(cast) and f"{API}/leave-requests/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_leave_create": api(
        "POST",
        lambda cast: f"{API}/my/{_my_member(cast)}/leave-requests/",
        expect(
            ok=["resident"], hidden=everyone_else(["resident"]), ok_status=CREATED, anonymous=401
        ),
        data=lambda cast: {"block": 3, "reason": "Exam"},
    ),
    "residency_leave_decide": api(
        "POST",
        lambda cast: f"{API}/leave-requests/{_leave_request(cast)}/decide/",
        expect(
            ok=A_STAFF,
            forbidden=["resident"],
            hidden=everyone_else(A_STAFF, ["resident"]),
            anonymous=401,
        ),
        data=_decide,
    ),
    "residency_swap_list": api(
        "GET",
        lambda cast: _swap_request(cast) and f"{API}/swap-requests/",
        expect(ok=EVERYONE, anonymous=401),
    ),
    "residency_swap_create": api(
        "POST",
        lambda cast: f"{API}/my/{_my_member(cast)}/swap-requests/",
        expect(
            ok=["resident"], hidden=everyone_else(["resident"]), ok_status=CREATED, anonymous=401
        ),
        data=_swap_form,
    ),
    "residency_swap_answer": api(
        "POST",
        lambda cast: f"{API}/swap-requests/{_swap_asked_of_resident(cast)}/answer/",
        expect(
            ok=["resident"],
            forbidden=A_STAFF,
            hidden=everyone_else(A_STAFF, ["resident"]),
            anonymous=401,
        ),
        data=lambda cast: {"answer": "accept"},
    ),
    "residency_swap_decide": api(
        "POST",
        lambda cast: f"{API}/swap-requests/{_swap_request(cast)}/decide/",
        expect(
            ok=A_STAFF,
            forbidden=["resident"],
            hidden=everyone_else(A_STAFF, ["resident"]),
            anonymous=401,
        ),
        data=_decide,
    ),
}
