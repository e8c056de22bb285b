"""The demo's annual assessments and completion (decision 112): completion rules for each
specialty of the demo's scheduled programs (one training year, 90 % of the case-log minimums,
80 % attendance), an annual plan for each program (theory and skills exams of 60, one
re-examination; the rotations are left to the completion rules), the annual exam of every
cohort a week ago with the result due in two weeks, and the results of the named residents:
one passed, one failed (the theory exam) and one still open, so the checklist and the office
list have something to show. The demo's training year runs to August 2027, so nobody is
eligible yet: every checklist lists the rotations still ahead. Built through the services; a
second run changes nothing."""

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.assessments import services_completion
from tandem.assessments.demo import NAMED, _coordinator
from tandem.assessments.models_completion import AnnualAssessment, CompletionRule
from tandem.residency.models import CohortMember, Program

RESULTS = {"resident.tang": ("84", "78"), "resident.deng": ("55", "66")}


def load_demo() -> None:
    if CompletionRule.objects.exists():
        return
    programs = list(
        Program.objects.filter(
            pk__in=CohortMember.objects.filter(cohort__schedule__isnull=False).values("program")
        )
    )
    today = timezone.localdate()
    for institution_id, specialty in sorted({(p.institution_id, p.specialty) for p in programs}):
        coordinator = _coordinator(institution_id)
        if coordinator is None:
            continue
        services_completion.completion_rule_save(
            actor=coordinator,
            institution_id=institution_id,
            specialty=specialty,
            training_years=1,
            caselog_share=90,
            attendance_pass=80,
        )
    for program in programs:
        coordinator = _coordinator(program.institution_id)
        if coordinator is None:
            continue
        services_completion.annual_plan_save(
            actor=coordinator,
            program=program,
            theory_pass=60,
            skills_pass=60,
            rotations_required=False,
            reexams_allowed=1,
        )
        cohorts = {
            m.cohort
            for m in CohortMember.objects.filter(
                program=program, cohort__schedule__isnull=False
            ).select_related("cohort")
        }
        for cohort in sorted(cohorts, key=lambda c: c.pk):
            services_completion.annual_schedule(
                actor=coordinator,
                program=program,
                cohort=cohort,
                exam_on=today - datetime.timedelta(days=7),
                due_on=today + datetime.timedelta(days=14),
            )
    for username in NAMED:
        scores = RESULTS.get(username)
        resident = User.objects.filter(username=username).first()
        if scores is None or resident is None:
            continue
        for annual in AnnualAssessment.objects.filter(resident=resident).select_related(
            "member__cohort"
        ):
            coordinator = _coordinator(annual.member.cohort.institution_id)
            if coordinator is not None:
                services_completion.annual_record(
                    actor=coordinator,
                    assessment=annual,
                    theory=scores[0],
                    skills=scores[1],
                    remarks="Annual exam of the first training year.",
                )
