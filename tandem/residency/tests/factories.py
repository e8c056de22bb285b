"""A small residency world on top of the fixed cast, with hand-made (checked) schedules.

Institution A (the cast's `inst_a`) has an internal-medicine training base with two
departments (A1 ward, A2 clinic); B has one (B1) that A's residents may visit under the active
A–B agreement (quota 1 per block). One consortium calendar of 4 blocks. Program: A1 1–3 blocks
(at most 2 in a row), A2 1–3, B1 0–1. Cohort: the cast's `resident` and a second resident.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Membership, Role, TraineeKind
from tandem.accounts.tests.factories import TraineeProfileFactory, UserFactory
from tandem.core.tests.cast import Cast
from tandem.institutions.models import Unit, UnitKind
from tandem.residency import services, services_schedule
from tandem.residency.models import (
    BlockCalendar,
    CalendarKind,
    Cohort,
    CohortMember,
    Department,
    PartnerApproval,
    Program,
    ProposalStatus,
    PublishedSchedule,
    ScheduleProposal,
)


@dataclass
class World:
    cast: Cast
    base_a: Unit
    base_b: Unit
    a1: Department
    a2: Department
    b1: Department
    calendar: BlockCalendar
    program: Program
    cohort: Cohort
    member: CohortMember  # the cast's resident
    member2: CohortMember
    resident2: object


WORLD_START = datetime.date(2026, 8, 31)


def next_monday() -> datetime.date:
    """A calendar start after today (for tests that run on the real date, like the
    authorization matrix): every block is still to come."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def build_world(cast: Cast, *, start_date: datetime.date = WORLD_START) -> World:
    base_a = Unit.objects.create(
        institution=cast.inst_a,
        name="IM base A",
        kind=UnitKind.TRAINING_BASE,
        specialty="internal_medicine",
    )
    base_b = Unit.objects.create(
        institution=cast.inst_b,
        name="IM base B",
        kind=UnitKind.TRAINING_BASE,
        specialty="internal_medicine",
    )
    coord_a, coord_b = cast.coord_a, cast.coord_b
    a1 = services.department_create(
        actor=coord_a, base=base_a, name="A1 ward", code="a1", max_per_block=3
    )
    a2 = services.department_create(
        actor=coord_a, base=base_a, name="A2 clinic", code="a2", max_per_block=3
    )
    b1 = services.department_create(
        actor=coord_b, base=base_b, name="B1 ward", code="b1", max_per_block=2
    )
    services.quota_set(
        actor=coord_a,
        agreement=cast.agreement_ab,
        from_institution=cast.inst_a,
        to_institution=cast.inst_b,
        max_per_block=1,
    )
    calendar = services.calendar_create(
        actor=cast.admin,
        name="2026/27",
        training_year=2026,
        kind=CalendarKind.FOUR_WEEKS,
        block_count=4,
        start_date=start_date,
    )
    program = services.program_create(
        actor=coord_a,
        institution=cast.inst_a,
        code="im1",
        name="IM PGY1",
        specialty="internal_medicine",
    )
    services.requirement_add(
        actor=coord_a, program=program, departments=[a1], min_blocks=1, max_blocks=3
    )
    services.requirement_add(
        actor=coord_a, program=program, departments=[a2], min_blocks=1, max_blocks=3
    )
    services.requirement_add(
        actor=coord_a,
        program=program,
        departments=[b1],
        min_blocks=0,
        max_blocks=1,
        is_elective=True,
    )
    services.program_rules_update(
        actor=coord_a,
        program=program,
        rules={"max_consecutive": [{"rotations": [f"D{a1.pk}"], "blocks": 2}]},
    )
    cohort = services.cohort_create(
        actor=coord_a, institution=cast.inst_a, calendar=calendar, name="A residents 2026"
    )
    resident2 = UserFactory(username="resident2", full_name="Second Resident")
    Membership.objects.create(user=resident2, role=Role.TRAINEE, institution=cast.inst_a)
    TraineeProfileFactory(user=resident2, kind=TraineeKind.RESIDENT, cohort=2026)
    member = services.member_add(
        actor=coord_a, cohort=cohort, resident=cast.resident, program=program
    )
    member2 = services.member_add(actor=coord_a, cohort=cohort, resident=resident2, program=program)
    return World(
        cast, base_a, base_b, a1, a2, b1, calendar, program, cohort, member, member2, resident2
    )


def good_rows(world: World) -> dict[str, list]:
    a1, a2, b1 = (f"D{d.pk}" for d in (world.a1, world.a2, world.b1))
    return {world.member.key: [a1, a1, a2, b1], world.member2.key: [a2, a1, a1, a2]}


def make_proposal(
    world: World, *, approved: bool | None = True, status: str = ProposalStatus.DONE
) -> ScheduleProposal:
    """A finished proposal with a schedule that breaks no rule. `approved`: None for no partner
    approval row, False for a pending one, True for an approved one."""
    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, enqueue=False
    )
    if status != ProposalStatus.QUEUED:
        proposal.status = status
        proposal.solution = {
            "format": "tandem-rotation-solution/1",
            "instance": proposal.instance["name"],
            "status": "OPTIMAL",
            "objective": 0,
            "bound": 0,
            "wall_seconds": 0.1,
            "assignments": good_rows(world),
            "conflicts": [],
        }
        proposal.objective = proposal.bound = proposal.incumbent = 0
        proposal.save()
    if approved is not None:
        PartnerApproval.objects.create(
            proposal=proposal,
            institution=world.cast.inst_b,
            approved_by=world.cast.coord_b if approved else None,
            approved_at=timezone.now() if approved else None,
        )
    return proposal


def publish(world: World) -> PublishedSchedule:
    proposal = make_proposal(world, approved=True)
    return services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)


def make_resident(cast: Cast, username: str, institution: object = None) -> object:
    """A resident (trainee profile and trainee membership) of `institution` (default A)."""
    user = UserFactory(username=username, full_name=username.replace(".", " ").title())
    Membership.objects.create(user=user, role=Role.TRAINEE, institution=institution or cast.inst_a)
    TraineeProfileFactory(user=user, kind=TraineeKind.RESIDENT, cohort=2026)
    return user


def make_base_director(world: World) -> object:
    """The director of A's internal-medicine base: sees A's programs and cohorts, manages
    neither."""
    user = UserFactory(username="director_a", full_name="Dora Director")
    Membership.objects.create(
        user=user, role=Role.BASE_DIRECTOR, institution=world.cast.inst_a, unit=world.base_a
    )
    return user
