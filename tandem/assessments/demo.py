"""The demo's rotation assessments: a plan for each demo program (theory exam, attendance,
case-log completion, summary and sign-off; two mini-CEX and one DOPS per rotation), applied to
the assessments the published schedules created; for the named demo residents the rotations
that have ended are assessed (one theory exam failed and sent to re-examination), and in their
latest rotation with a teacher one WBA confirmed by the teacher and one waiting. Built
through the services only; a second run changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.accounts.models import User
from tandem.assessments import services, services_wba
from tandem.assessments.models import (
    Assessment,
    AssessmentStatus,
    WbaForm,
    WbaRequirement,
)
from tandem.residency.models import CohortMember, Department, Program
from tandem.residency.stints import stints_of_members

NAMED = ("resident.tang", "resident.deng", "resident.xie")
FAILED_ONCE = "resident.deng"


def _coordinator(institution_id: int) -> User | None:
    return User.objects.filter(
        memberships__role="coordinator",
        memberships__institution_id=institution_id,
        username__startswith="coord.",
    ).first()


def load_demo() -> None:
    if WbaRequirement.objects.exists():
        return
    programs = Program.objects.filter(
        pk__in=CohortMember.objects.filter(cohort__schedule__isnull=False).values("program")
    )
    forms = services_wba.standard_forms()
    for program in programs:
        coordinator = _coordinator(program.institution_id)
        if coordinator is None:
            continue
        services.plan_save(
            actor=coordinator,
            program=program,
            theory_pass=60,
            attendance_pass=80,
            caselog_pass=60,
            due_days=14,
        )
        services_wba.wba_requirement_set(
            actor=coordinator, program=program, form=forms["mini_cex"], count=2
        )
        services_wba.wba_requirement_set(
            actor=coordinator, program=program, form=forms["dops"], count=1
        )
    for assessment in Assessment.objects.filter(status=AssessmentStatus.OPEN).select_related(
        "member__cohort"
    ):
        coordinator = _coordinator(assessment.member.cohort.institution_id)
        if coordinator is not None:
            services.assessment_apply_plan(actor=coordinator, assessment=assessment)
    today = timezone.localdate()
    for username in NAMED:
        resident = User.objects.filter(username=username).first()
        if resident is not None:
            _assess(resident, today)
            _wbas(resident, forms, today)


def _assess(resident: User, today: datetime.date) -> None:
    ended = Assessment.objects.filter(
        resident=resident, status=AssessmentStatus.OPEN, end__lt=today
    ).select_related("member__cohort", "department__base")
    for number, assessment in enumerate(ended.order_by("end")):
        office = _coordinator(assessment.member.cohort.institution_id)
        head = _coordinator(assessment.department.base.institution_id)
        if office is None or head is None:
            continue
        failing = resident.username == FAILED_ONCE and number == 0
        services.component_record(
            actor=office, assessment=assessment, kind="theory", score=52 if failing else 84
        )
        services.component_record(actor=office, assessment=assessment, kind="attendance", score=92)
        services.summary_submit(
            actor=resident,
            assessment=assessment,
            text="I took part in the daily rounds, admitted new patients and presented at the "
            "department's case conference; I want to improve my written records.",
        )
        services.signoff_record(actor=head, assessment=assessment, approve=True)
        try:
            services.assessment_decide(actor=office, assessment=assessment)
        except ValidationError:
            continue
        if failing:
            services.remediation_plan(
                actor=office,
                assessment=assessment,
                kind="reexam",
                note="Re-examination of the theory exam in two weeks.",
            )


def _wbas(resident: User, forms: dict[str, WbaForm], today: datetime.date) -> None:
    """In the latest rotation begun in a department with a teacher: a mini-CEX the teacher
    confirmed and a DOPS waiting for them."""
    members = list(CohortMember.objects.filter(resident=resident, cohort__schedule__isnull=False))
    begun = [
        s
        for s in stints_of_members([m.pk for m in members])
        if s.start <= today
        and Department.teachers.through.objects.filter(department_id=s.department_id).exists()
    ]
    if not begun:
        return
    stint = max(begun, key=lambda s: s.start)
    department = Department.objects.get(pk=stint.department_id)
    teacher = department.teachers.exclude(pk=resident.pk).first()
    if teacher is None:
        return
    day = max(stint.start, min(stint.end, today) - datetime.timedelta(days=1))
    for kind, case, confirm in (
        ("mini_cex", "New admission with chest pain", True),
        ("dops", "Peripheral venous cannulation", False),
    ):
        form = forms[kind]
        wba = services_wba.wba_start(
            actor=resident,
            department=department,
            form=form,
            teacher=teacher,
            date=day,
            case=case,
            ratings={code: form.scale_max - 2 for code, _label in form.domain_labels()},
            feedback="Good structure; summarise the plan for the patient at the end.",
        )
        if confirm:
            services_wba.wba_confirm(actor=teacher, wba=wba)
