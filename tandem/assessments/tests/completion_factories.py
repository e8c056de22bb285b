"""A completion world on top of the assessments world (factories.py): internal medicine at A
takes one training year; the program's annual plan asks a theory exam of 60; the cohort's
annual exam is on 1 December 2026, its result due on 15 December. Required rotations: A1 and
A2 (B1 is elective)."""

import datetime

from django.utils import timezone

from tandem.assessments import services_completion
from tandem.assessments.models import Assessment, AssessmentStatus
from tandem.assessments.models_completion import AnnualAssessment
from tandem.assessments.tests.factories import AssessWorld

EXAM_ON = datetime.date(2026, 12, 1)
DUE_ON = datetime.date(2026, 12, 15)


def build_completion(aw: AssessWorld, *, exam_on=EXAM_ON, due_on=DUE_ON) -> AssessWorld:
    cast, world = aw.world.cast, aw.world
    services_completion.completion_rule_save(
        actor=cast.coord_a,
        institution_id=cast.inst_a.pk,
        specialty=world.program.specialty,
        training_years=1,
        attendance_pass=None,
    )
    services_completion.annual_plan_save(
        actor=cast.coord_a, program=world.program, theory_pass=60, reexams_allowed=1
    )
    services_completion.annual_schedule(
        actor=cast.coord_a,
        program=world.program,
        cohort=world.cohort,
        exam_on=exam_on,
        due_on=due_on,
    )
    return aw


def pass_rotations(aw: AssessWorld, member=None) -> None:
    """The member's A1 and A2 rotation-end assessments passed (a shortcut of the test)."""
    world = aw.world
    Assessment.objects.filter(
        member=member or world.member, department__in=[world.a1, world.a2]
    ).update(
        status=AssessmentStatus.PASSED, decided_by=world.cast.coord_a, decided_at=timezone.now()
    )


def annual_of(aw: AssessWorld, member=None) -> AnnualAssessment:
    return AnnualAssessment.objects.get(member=member or aw.world.member)


def make_eligible(aw: AssessWorld, member=None) -> None:
    member = member or aw.world.member
    pass_rotations(aw, member)
    services_completion.annual_record(
        actor=aw.world.cast.coord_a, assessment=annual_of(aw, member), theory="75"
    )
