"""Who gets what on every residency page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): A's training office (coord_a) owns the cohort, its program and
schedule; B (coord_b) is the partner hospital receiving one of A's residents, so coord_b sees the
cohort's proposals and schedule — only that resident's row — and approves; the admin sees and
manages all. The cast's resident asks for leave and swaps on their own schedule. Departments are
seen across own and partner institutions; the outsider (C) sees nothing of A.
"""

from tandem.core.tests.authz import REDIRECT, everyone_else, expect, page
from tandem.residency.models import (
    LeaveRequest,
    ProposalStatus,
    SwapConsent,
    SwapRequest,
)
from tandem.residency.tests.authz_rules_api import RULES as API_RULES
from tandem.residency.tests.factories import build_world, make_proposal, next_monday, publish

A_STAFF = ["admin", "coord_a"]
WITH_PARTNER = ["admin", "coord_a", "coord_b"]
NOT_STAFF_AB = ["tutor_a", "tutor_b", "trainee", "resident"]
BAD_INPUT = 400


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


def _department(cast):
    return {"pk": build_world(cast).a1.pk}


def _calendar(cast):
    return {"pk": build_world(cast).calendar.pk}


def _program(cast):
    return {"pk": build_world(cast).program.pk}


def _proposal(approved=True, status=ProposalStatus.DONE):
    def kwargs(cast):
        world = _published(cast)
        return {"pk": make_proposal(world, approved=approved, status=status).pk}

    return kwargs


def _download(kind):
    def kwargs(cast):
        world = _published(cast)
        return {"pk": make_proposal(world).pk, "kind": kind}

    return kwargs


def _schedule_download(cast):
    return {"pk": _published(cast).cohort.pk, "kind": "instance"}


def _member(cast):
    return {"pk": _published(cast).member.pk}


def _leave_request(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return {"pk": LeaveRequest.objects.create(member=world.member, block=block, reason="Exam").pk}


def _swap_request(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return {
        "pk": SwapRequest.objects.create(
            member=world.member, other=world.member2, block=block, consent=SwapConsent.ACCEPTED
        ).pk
    }


def _swap_asked_of_resident(cast):
    world = _published(cast)
    block = world.calendar.blocks.get(index=3)
    return {
        "pk": SwapRequest.objects.create(member=world.member2, other=world.member, block=block).pk
    }


def _department_form(cast):
    from tandem.institutions.models import Unit

    base = Unit.objects.filter(institution=cast.inst_a, kind="training_base").first()
    return {
        "base": base.pk,
        "name": "New ward",
        "code": "new",
        "min_per_block": 0,
        "max_per_block": 2,
        "duration": 1,
    }


def _department_edit_form(cast):
    from tandem.residency.models import Department

    dept = Department.objects.get(code="a1")
    return {
        "base": dept.base_id,
        "name": "A1 ward (renamed)",
        "code": "a1",
        "min_per_block": 0,
        "max_per_block": 3,
        "duration": 1,
    }


def _calendar_form(cast):
    return {
        "name": "2027/28",
        "training_year": 2027,
        "kind": "months",
        "start_date": "2027-09-01",
        "block_count": 12,
    }


def _requirement_form(cast):
    from tandem.residency.models import Department

    return {"departments": [Department.objects.get(code="a2").pk], "min_blocks": 0, "max_blocks": 1}


def _pin_form(cast):
    from tandem.residency.models import CohortMember, Department

    member = CohortMember.objects.get(resident=cast.resident)
    return {
        "resident": member.key,
        "block": 0,
        "department": f"D{Department.objects.get(code='a1').pk}",
    }


def _swap_form(cast):
    from tandem.residency.models import CohortMember

    return {
        "block": 3,
        "other": CohortMember.objects.get(resident__username="resident2").pk,
        "reason": "Family",
    }


def _requirement(code):
    def kwargs(cast):
        world = build_world(cast)
        return {"pk": world.program.requirements.get(departments__code=code).pk}

    return kwargs


def _program_form(cast):
    return {
        "institution": cast.inst_a.pk,
        "code": "im2",
        "name": "IM PGY2",
        "specialty": "internal_medicine",
        "training_year": 2,
    }


def _program_edit_form(cast):
    return {
        "code": "im1",
        "name": "IM PGY1 (renamed)",
        "specialty": "internal_medicine",
        "training_year": 1,
        "may_idle": "on",
    }


def _requirement_edit_form(cast):
    from tandem.residency.models import Department

    return {"departments": [Department.objects.get(code="a2").pk], "min_blocks": 1, "max_blocks": 2}


def _cohort_form(cast):
    from tandem.residency.models import BlockCalendar

    build_world(cast)
    return {
        "institution": cast.inst_a.pk,
        "calendar": BlockCalendar.objects.get().pk,
        "name": "A residents 2027",
    }


def _member_add(cast):
    from tandem.accounts.models import Membership, Role, TraineeKind
    from tandem.accounts.tests.factories import TraineeProfileFactory, UserFactory

    kwargs = _cohort(cast)
    newcomer = UserFactory(username="resident3", full_name="Third Resident")
    Membership.objects.create(user=newcomer, role=Role.TRAINEE, institution=cast.inst_a)
    TraineeProfileFactory(user=newcomer, kind=TraineeKind.RESIDENT, cohort=2026)
    return kwargs


def _member_add_form(cast):
    from tandem.accounts.models import User
    from tandem.residency.models import Program

    return {
        "residents": [User.objects.get(username="resident3").pk],
        "program": Program.objects.get(code="im1").pk,
    }


def _unpublished_member(cast):
    return {"pk": build_world(cast).member2.pk}


def _member_form(cast):
    from tandem.residency.models import Department, Program

    return {
        "program": Program.objects.get(code="im1").pk,
        "leave_blocks": [1],
        "preferences-TOTAL_FORMS": 1,
        "preferences-INITIAL_FORMS": 0,
        "preferences-0-department": Department.objects.get(code="a2").pk,
        "preferences-0-points": 2,
    }


def _quota(cast):
    from tandem.residency.models import ExchangeQuota

    build_world(cast)
    return {"pk": ExchangeQuota.objects.get().pk}


def _quota_form(cast):
    return {
        "agreement": cast.agreement_ab.pk,
        "from_institution": cast.inst_b.pk,
        "to_institution": cast.inst_a.pk,
        "max_per_block": 2,
    }


def _with(rule_expect, **extra):
    return {**rule_expect, **extra}


API = "/api/v1/residency"
EVERYONE = everyone_else()

RULES = {
    "residency:home": page(expect=expect(ok=EVERYONE)),
    "residency:department_list": page(expect=expect(ok=EVERYONE)),
    "residency:department_create": page(
        "POST",
        kwargs=lambda cast: build_world(cast) and {},
        data=_department_form,
        note="coord_b and the outsider may add departments, but not to A's base: 400",
        expect=_with(
            expect(ok=A_STAFF, forbidden=NOT_STAFF_AB, ok_status=REDIRECT),
            coord_b=BAD_INPUT,
            outsider=BAD_INPUT,
        ),
    ),
    "residency:department_edit": page(
        "POST",
        kwargs=_department,
        data=_department_edit_form,
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b", *NOT_STAFF_AB],
            hidden=["outsider"],
            ok_status=REDIRECT,
        ),
    ),
    "residency:department_capacity": page(
        kwargs=_department,
        note="the page edits: the department's editors only; others who see it get 403",
        expect=expect(ok=A_STAFF, forbidden=["coord_b", *NOT_STAFF_AB], hidden=["outsider"]),
    ),
    "residency:calendar_create": page(
        "POST",
        data=_calendar_form,
        expect=expect(ok=[*WITH_PARTNER, "outsider"], forbidden=NOT_STAFF_AB, ok_status=REDIRECT),
    ),
    "residency:calendar_detail": page(kwargs=_calendar, expect=expect(ok=EVERYONE)),
    "residency:program_detail": page(
        kwargs=_program, expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF))
    ),
    "residency:requirement_add": page(
        "POST",
        kwargs=_program,
        data=_requirement_form,
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:program_rules": page(
        "POST",
        kwargs=_program,
        data=lambda cast: {"rules": "{}"},
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:program_create": page(
        "POST",
        data=_program_form,
        note="coord_b and the outsider may create programs, but not for A: 400",
        expect=_with(
            expect(ok=A_STAFF, forbidden=NOT_STAFF_AB, ok_status=REDIRECT),
            coord_b=BAD_INPUT,
            outsider=BAD_INPUT,
        ),
    ),
    "residency:program_edit": page(
        "POST",
        kwargs=_program,
        data=_program_edit_form,
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:requirement_edit": page(
        "POST",
        kwargs=_requirement("a2"),
        data=_requirement_edit_form,
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:requirement_remove": page(
        "POST",
        kwargs=_requirement("a2"),
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:cohort_create": page(
        "POST",
        data=_cohort_form,
        note="coord_b and the outsider may create cohorts, but not for A: 400",
        expect=_with(
            expect(ok=A_STAFF, forbidden=NOT_STAFF_AB, ok_status=REDIRECT),
            coord_b=BAD_INPUT,
            outsider=BAD_INPUT,
        ),
    ),
    "residency:member_add": page(
        "POST",
        kwargs=_member_add,
        data=_member_add_form,
        note="coord_b sees the cohort (a partner of its schedule) but does not manage it",
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:member_edit": page(
        "POST",
        kwargs=_unpublished_member,
        data=_member_form,
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:member_remove": page(
        "POST",
        kwargs=_unpublished_member,
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:quota_list": page(
        kwargs=lambda cast: build_world(cast) and {},
        note="the training offices' page; others see quotas on the residency home",
        expect=expect(ok=[*WITH_PARTNER, "outsider"], forbidden=NOT_STAFF_AB),
    ),
    "residency:quota_set": page(
        "POST",
        data=_quota_form,
        note="either party's training office sets it; the outsider's form has no A–B: 400",
        expect=_with(
            expect(ok=WITH_PARTNER, forbidden=NOT_STAFF_AB, ok_status=REDIRECT), outsider=BAD_INPUT
        ),
    ),
    "residency:quota_remove": page(
        "POST",
        kwargs=_quota,
        note="people of A and B see the quota; only the two training offices remove it",
        expect=expect(
            ok=WITH_PARTNER, forbidden=NOT_STAFF_AB, hidden=["outsider"], ok_status=REDIRECT
        ),
    ),
    "residency:cohort_detail": page(
        kwargs=_cohort, expect=expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER))
    ),
    "residency:proposal_generate": page(
        "POST",
        kwargs=_cohort,
        data=lambda cast: {"time_limit": 5},
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:schedule_detail": page(
        kwargs=_cohort, expect=expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER))
    ),
    "residency:schedule_xlsx": page(
        kwargs=_cohort, expect=expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER))
    ),
    "residency:schedule_download": page(
        kwargs=_schedule_download,
        note="the whole file names every resident: A's staff only",
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF)),
    ),
    "residency:proposal_detail": page(
        kwargs=_proposal(), expect=expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER))
    ),
    "residency:proposal_progress": page(
        kwargs=_proposal(), expect=expect(ok=WITH_PARTNER, hidden=everyone_else(WITH_PARTNER))
    ),
    "residency:proposal_download": page(
        kwargs=_download("solution"), expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF))
    ),
    "residency:proposal_pin": page(
        "POST",
        kwargs=_proposal(),
        data=_pin_form,
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:proposal_resolve": page(
        "POST",
        kwargs=_proposal(),
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:proposal_stop": page(
        "POST",
        kwargs=_proposal(approved=False, status=ProposalStatus.SOLVING),
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:proposal_solve_now": page(
        "POST",
        kwargs=_proposal(approved=None, status=ProposalStatus.QUEUED),
        expect=expect(ok=A_STAFF, hidden=everyone_else(A_STAFF), ok_status=REDIRECT),
    ),
    "residency:proposal_approve": page(
        "POST",
        kwargs=_proposal(approved=False),
        expect=expect(
            ok=["coord_b"],
            forbidden=A_STAFF,
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:proposal_publish": page(
        "POST",
        kwargs=_unpublished_proposal,
        expect=expect(
            ok=A_STAFF,
            forbidden=["coord_b"],
            hidden=everyone_else(WITH_PARTNER),
            ok_status=REDIRECT,
        ),
    ),
    "residency:my_schedule": page(expect=expect(ok=EVERYONE)),
    "residency:leave_create": page(
        "POST",
        kwargs=_member,
        data=lambda cast: {"block": 3, "reason": "Exam"},
        expect=expect(ok=["resident"], hidden=everyone_else(["resident"]), ok_status=REDIRECT),
    ),
    "residency:swap_create": page(
        "POST",
        kwargs=_member,
        data=_swap_form,
        expect=expect(ok=["resident"], hidden=everyone_else(["resident"]), ok_status=REDIRECT),
    ),
    "residency:request_list": page(expect=expect(ok=EVERYONE)),
    "residency:leave_decide": page(
        "POST",
        kwargs=_leave_request,
        data=lambda cast: {"decision": "approve"},
        expect=expect(
            ok=A_STAFF,
            forbidden=["resident"],
            hidden=everyone_else(A_STAFF, ["resident"]),
            ok_status=REDIRECT,
        ),
    ),
    "residency:swap_answer": page(
        "POST",
        kwargs=_swap_asked_of_resident,
        data=lambda cast: {"answer": "accept"},
        expect=expect(
            ok=["resident"],
            forbidden=A_STAFF,
            hidden=everyone_else(A_STAFF, ["resident"]),
            ok_status=REDIRECT,
        ),
    ),
    "residency:swap_decide": page(
        "POST",
        kwargs=_swap_request,
        data=lambda cast: {"decision": "approve"},
        expect=expect(
            ok=A_STAFF,
            forbidden=["resident"],
            hidden=everyone_else(A_STAFF, ["resident"]),
            ok_status=REDIRECT,
        ),
    ),
}

# The API's rules live beside these, in authz_rules_api.py.
RULES.update(API_RULES)
