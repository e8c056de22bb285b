"""Every write about rotation-end assessments (出科考核): creating them when a schedule is
published, recording the components, the summary and the sign-off, deciding, and the remedy of
a failed assessment. Each service is atomic, checks its permission and writes its audit row in
the same transaction. WBAs are in `services_wba.py`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.assessments import permissions, rules, selectors
from tandem.assessments.models import (
    Assessment,
    AssessmentPlan,
    AssessmentStatus,
    Component,
    ComponentKind,
    Remediation,
    RemediationKind,
    RemediationStatus,
)
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.evaluations.models import EvaluationRound, EvaluationTemplate, Relationship
from tandem.evaluations.rotation import pair_mean_rating, rotation_pair_add, rotation_round_open
from tandem.faculty.selectors import assigned_teachers
from tandem.logbook.selectors import stint_completion
from tandem.residency import services_schedule
from tandem.residency.instancing import department_key
from tandem.residency.models import (
    Block,
    CohortMember,
    Department,
    Program,
    ProposalStatus,
    PublishedSchedule,
    ScheduleProposal,
)
from tandem.residency.stints import Stint, stints_of_members
from tandem.teaching.selectors import stint_attendance_share

# Without a plan: due two weeks after the rotation, the summary and the sign-off only.
DEFAULT_DUE_DAYS = 14
DEFAULT_MARKS: dict[str, int | None] = {
    ComponentKind.SUMMARY.value: None,
    ComponentKind.SIGNOFF.value: None,
}
SUMMARY_MIN_CHARS = 20
SUMMARY_MAX_CHARS = 5000
ROUND_OPENS_DAYS_BEFORE_END = 7


# --------------------------------------------------------------------------- plans


PLAN_FIELDS = (
    "due_days",
    "theory_pass",
    "skills_pass",
    "global_pass",
    "attendance_pass",
    "caselog_pass",
    "summary_required",
    "signoff_required",
    "global_template",
    "department_template",
    "teacher_template",
)
TEMPLATE_RELATIONSHIPS = {
    "global_template": (Relationship.TUTOR_TRAINEE, False),
    "department_template": (Relationship.TRAINEE_HOST, True),
    "teacher_template": (Relationship.TRAINEE_TUTOR, True),
}


@transaction.atomic
def plan_save(
    *, actor: User, program: Program, department: Department | None = None, **fields: Any
) -> AssessmentPlan:
    """Create or change the plan of a program (in one department, or its default)."""
    if not permissions.can_manage_program(actor, program):
        raise PermissionDenied(_("Only the program's training office keeps its assessment plans."))
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This is not a setting of an assessment plan."))
    for name, (relationship, anonymous) in TEMPLATE_RELATIONSHIPS.items():
        template = fields.get(name)
        if template is None:
            continue
        if not isinstance(template, EvaluationTemplate) or template.relationship != relationship:
            raise field_error(name, _("This form is for another relationship."))
        if anonymous and not template.is_anonymous:
            raise field_error(name, _("Residents evaluate departments and teachers anonymously."))
        if not anonymous and template.is_anonymous:
            raise field_error(name, _("The teacher's global evaluation is a named form."))
    if fields.get("global_pass") is not None and fields.get("global_template") is None:
        raise field_error("global_template", _("Choose the form of the global evaluation."))
    plan = AssessmentPlan.objects.filter(program=program, department=department).first()
    before = {name: getattr(plan, name) for name in PLAN_FIELDS} if plan else {}
    if plan is None:
        plan = AssessmentPlan(program=program, department=department)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    after = {name: getattr(plan, name) for name in PLAN_FIELDS}
    audit_record(
        actor=actor,
        action="assessment_plan.save",
        target=plan,
        changes={
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        },
    )
    return plan


# --------------------------------------------------------------------------- on publishing


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0


def _plans_of(program_ids: set[int]) -> dict[tuple[int, int | None], AssessmentPlan]:
    return {
        (plan.program_id, plan.department_id): plan
        for plan in AssessmentPlan.objects.filter(program_id__in=program_ids)
    }


def _responsible_teacher(
    teachers: dict[int, list[int]], department_id: int, resident_id: int
) -> int | None:
    for teacher_id in teachers.get(department_id, []):
        if teacher_id != resident_id:
            return teacher_id
    return None


def _round_for(
    actor: User,
    rounds: dict[tuple[int, datetime.date, int], EvaluationRound],
    plan: AssessmentPlan,
    department: Department,
    stint: Stint,
    institution: Any,
    due_on: datetime.date,
) -> EvaluationRound | None:
    templates: dict[str, EvaluationTemplate] = {
        str(relationship): getattr(plan, name)
        for name, (relationship, _anon) in TEMPLATE_RELATIONSHIPS.items()
        if getattr(plan, name) is not None
    }
    if not templates:
        return None
    key = (department.pk, stint.end, plan.pk)
    if key not in rounds:
        opens = max(stint.start, stint.end - datetime.timedelta(days=ROUND_OPENS_DAYS_BEFORE_END))
        rounds[key] = rotation_round_open(
            actor=actor,
            institution=institution,
            title=f"Rotation end: {department.name}, {stint.end.isoformat()}",
            title_zh=f"出科评价：{department.name_zh or department.name}，{stint.end.isoformat()}",
            opens_on=opens,
            due_on=due_on,
            templates=templates,
        )
    return rounds[key]


def _add_pairs(
    round_: EvaluationRound,
    assessment: Assessment,
    department: Department,
    teacher_ids: list[int],
    home_id: int,
) -> None:
    resident = assessment.resident_id
    if assessment.teacher_id:
        assessment.global_pair = rotation_pair_add(
            round_=round_,
            relationship=Relationship.TUTOR_TRAINEE,
            evaluator_id=assessment.teacher_id,
            target_user_id=resident,
            institution_id=department.base.institution_id,
        )
    rotation_pair_add(
        round_=round_,
        relationship=Relationship.TRAINEE_HOST,
        evaluator_id=resident,
        target_institution_id=department.base.institution_id,
        institution_id=home_id,
    )
    for teacher_id in teacher_ids:
        if teacher_id != resident:
            rotation_pair_add(
                round_=round_,
                relationship=Relationship.TRAINEE_TUTOR,
                evaluator_id=resident,
                target_user_id=teacher_id,
                institution_id=home_id,
            )


@transaction.atomic
def assessments_sync_for_schedule(*, actor: User, schedule: PublishedSchedule) -> SyncResult:
    """Called by the publishing of a schedule, in its transaction: every stint of the schedule
    has its open assessment (created with the components of its plan, due the plan's number
    of days after the rotation ends); an open assessment whose stint ends on another day now
    follows it; an open one whose stint is gone, with nothing recorded, is cancelled."""
    cohort = schedule.cohort
    members = {
        m.pk: m for m in CohortMember.objects.filter(cohort=cohort).select_related("program")
    }
    stints = stints_of_members(members)
    plans = _plans_of({m.program_id for m in members.values()})
    departments = Department.objects.select_related("base").in_bulk(
        {s.department_id for s in stints}
    )
    teachers: dict[int, list[int]] = defaultdict(list)
    for department_id, user_id in (
        Department.teachers.through.objects.filter(department_id__in=departments)
        .order_by("department_id", "user__full_name", "user_id")
        .values_list("department_id", "user_id")
    ):
        teachers[department_id].append(user_id)
    # The responsible teacher assigned to a stint (tandem/faculty) before the department's.
    assigned = assigned_teachers(members)
    existing = {
        (a.member_id, a.department_id, a.start): a
        for a in Assessment.objects.select_for_update().filter(
            member_id__in=members, status=AssessmentStatus.OPEN
        )
    }
    decided = set(
        Assessment.objects.filter(member_id__in=members)
        .exclude(status__in=[AssessmentStatus.OPEN, AssessmentStatus.CANCELLED])
        .values_list("member_id", "department_id", "start")
    )
    result = SyncResult()
    rounds: dict[tuple[int, datetime.date, int], EvaluationRound] = {}
    seen = set()
    for stint in stints:
        key = (stint.member_id, stint.department_id, stint.start)
        seen.add(key)
        member = members[stint.member_id]
        plan = plans.get((member.program_id, stint.department_id)) or plans.get(
            (member.program_id, None)
        )
        due_days = plan.due_days if plan else DEFAULT_DUE_DAYS
        due_on = stint.end + datetime.timedelta(days=due_days)
        found = existing.get(key)
        if found is not None:
            if found.end != stint.end:
                found.end, found.due_on = stint.end, due_on
                found.save(update_fields=["end", "due_on"])
                result.moved += 1
            continue
        if key in decided:
            continue
        department = departments[stint.department_id]
        assessment = Assessment(
            member=member,
            resident_id=member.resident_id,
            department=department,
            start=stint.start,
            end=stint.end,
            due_on=due_on,
            teacher_id=assigned.get(key)
            or _responsible_teacher(teachers, department.pk, member.resident_id),
        )
        assessment.full_clean(exclude=["member", "resident", "department", "teacher"])
        assessment.save()
        marks = plan.pass_marks() if plan else DEFAULT_MARKS
        Component.objects.bulk_create(
            Component(assessment=assessment, kind=kind, pass_mark=mark)
            for kind, mark in marks.items()
        )
        if plan is not None:
            round_ = _round_for(actor, rounds, plan, department, stint, cohort.institution, due_on)
            if round_ is not None:
                assessment.eval_round = round_
                _add_pairs(
                    round_, assessment, department, teachers[department.pk], cohort.institution_id
                )
                assessment.save(update_fields=["eval_round", "global_pair"])
        result.created += 1
    for key, assessment in existing.items():
        if key not in seen and not assessment.components.filter(passed__isnull=False).exists():
            assessment.status = AssessmentStatus.CANCELLED
            assessment.save(update_fields=["status"])
            result.cancelled += 1
    audit_record(
        actor=actor,
        action="assessments.sync",
        target=schedule,
        changes={
            "created": result.created,
            "moved": result.moved,
            "cancelled": result.cancelled,
        },
    )
    return result


def assessment_teacher_follow(
    *, member_id: int, department_id: int, start: datetime.date, teacher_id: int
) -> int:
    """The open assessment of a stint takes the responsible teacher assigned to it
    (tandem/faculty, in the assignment's transaction)."""
    return Assessment.objects.filter(
        member_id=member_id, department_id=department_id, start=start, status=AssessmentStatus.OPEN
    ).update(teacher_id=teacher_id)


@transaction.atomic
def assessment_apply_plan(*, actor: User, assessment: Assessment) -> Assessment:
    """Give an open assessment with nothing recorded yet the components and due date of the
    plan in force now (for a plan set up after the schedule was published)."""
    assessment = _lock(assessment)
    if not permissions.is_office_of(actor, assessment):
        raise PermissionDenied(_("Only the resident's training office changes assessments."))
    if (
        assessment.status != AssessmentStatus.OPEN
        or assessment.components.filter(passed__isnull=False).exists()
    ):
        raise field_error(
            "status", _("Only an open assessment with nothing recorded takes a new plan.")
        )
    plan = selectors.plan_for(assessment.member.program_id, assessment.department_id)
    marks = plan.pass_marks() if plan else DEFAULT_MARKS
    before = sorted(assessment.components.values_list("kind", flat=True))
    assessment.components.all().delete()
    Component.objects.bulk_create(
        Component(assessment=assessment, kind=kind, pass_mark=mark) for kind, mark in marks.items()
    )
    old_due = assessment.due_on
    assessment.due_on = assessment.end + datetime.timedelta(
        days=plan.due_days if plan else DEFAULT_DUE_DAYS
    )
    assessment.save(update_fields=["due_on"])
    audit_record(
        actor=actor,
        action="assessment.apply_plan",
        target=assessment,
        changes={"components": [before, sorted(marks)], "due_on": [old_due, assessment.due_on]},
    )
    return assessment


# --------------------------------------------------------------------------- components


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("member__cohort", "department__base")
        .get(pk=assessment.pk)
    )


def _component(assessment: Assessment, kind: str) -> Component:
    component = assessment.components.filter(kind=kind).first()
    if component is None:
        raise field_error("kind", _("This assessment has no such component."))
    if assessment.status == AssessmentStatus.FAILED and component.passed is not False:
        raise field_error(
            "kind", _("A re-examination records again only the components that failed.")
        )
    return component


def _store(
    actor: User, assessment: Assessment, component: Component, changes: dict[str, Any]
) -> Component:
    if assessment.status == AssessmentStatus.FAILED:
        component.attempt += 1
    component.recorded_by = actor
    component.recorded_at = timezone.now()
    component.full_clean(exclude=["assessment", "recorded_by"])
    component.save()
    audit_record(
        actor=actor,
        action="assessment.record",
        target=assessment,
        changes={"component": component.kind, "attempt": component.attempt, **changes},
    )
    return component


@transaction.atomic
def component_record(
    *,
    actor: User,
    assessment: Assessment,
    kind: str,
    score: Any = None,
    stations: list[dict[str, Any]] | None = None,
    note: str = "",
) -> Component:
    """Record an exam score (theory, 0–100), the stations of a skills exam, or the attendance
    (percent of the department's teaching activities)."""
    assessment = _lock(assessment)
    if not permissions.can_record_component(actor, assessment):
        if not permissions.is_examiner_of(actor, assessment):
            raise PermissionDenied(
                _("Only the department's teachers and the training offices record results.")
            )
        raise field_error("kind", _("This assessment is decided; nothing more is recorded."))
    if kind not in (ComponentKind.THEORY, ComponentKind.SKILLS, ComponentKind.ATTENDANCE):
        raise field_error("kind", _("This component is not recorded by hand."))
    component = _component(assessment, kind)
    if kind == ComponentKind.SKILLS:
        component.stations = rules.clean_stations(stations)
        component.score = rules.stations_percent(component.stations)
    else:
        component.score = rules.score_in_range(score)
    component.text = (note or "").strip()[:1000]
    component.passed = rules.component_passes(component.pass_mark, component.score)
    return _store(actor, assessment, component, {"score": component.score})


@transaction.atomic
def summary_submit(*, actor: User, assessment: Assessment, text: str) -> Component:
    """The resident's rotation summary (出科小结)."""
    assessment = _lock(assessment)
    if not permissions.can_write_summary(actor, assessment):
        raise PermissionDenied(_("Only the resident writes the summary of an open assessment."))
    component = _component(assessment, ComponentKind.SUMMARY)
    text = (text or "").strip()
    if len(text) < SUMMARY_MIN_CHARS:
        raise field_error("text", _("Write at least 20 characters about the rotation."))
    if len(text) > SUMMARY_MAX_CHARS:
        raise field_error("text", _("The summary is at most 5,000 characters."))
    component.text = text
    component.passed = True
    return _store(actor, assessment, component, {"characters": len(text)})


@transaction.atomic
def signoff_record(
    *, actor: User, assessment: Assessment, approve: bool, note: str = ""
) -> Component:
    """The department head's sign-off; refusing it needs a reason."""
    assessment = _lock(assessment)
    if not permissions.can_sign_off(actor, assessment):
        raise PermissionDenied(_("Only the department head signs off an open assessment."))
    component = _component(assessment, ComponentKind.SIGNOFF)
    note = (note or "").strip()
    if not approve and not note:
        raise field_error("note", _("Give the reason for refusing the sign-off."))
    component.text = note[:1000]
    component.passed = bool(approve)
    return _store(actor, assessment, component, {"signed": bool(approve)})


def _fill_attendance(actor: User, assessment: Assessment, component: Component) -> None:
    share = stint_attendance_share(
        assessment.resident_id, assessment.department_id, assessment.start, assessment.end
    )
    if share is None:
        return  # no activity held: the training office records it by hand
    component.score = Decimal(str(round(share * 100, 1)))
    component.passed = rules.component_passes(component.pass_mark, component.score)
    _store(actor, assessment, component, {"score": component.score})


def _fill_automatic(actor: User, assessment: Assessment, components: list[Component]) -> None:
    """The case-log completion and the teacher's global evaluation, read at decision time; the
    attendance too when nobody recorded it and the department's teaching activities
    (tandem/teaching) were held during the stint."""
    for component in components:
        if component.kind == ComponentKind.ATTENDANCE:
            if component.score is None:
                _fill_attendance(actor, assessment, component)
            continue
        if component.kind not in (ComponentKind.CASELOG, ComponentKind.GLOBAL):
            continue
        if assessment.status == AssessmentStatus.OPEN and component.passed is not None:
            continue
        if assessment.status == AssessmentStatus.FAILED and component.passed is not False:
            continue
        if component.kind == ComponentKind.CASELOG:
            share = stint_completion(
                assessment.resident_id, assessment.department, assessment.start, assessment.end
            )
            # No minimum for this department: nothing to complete (decision 105).
            component.score = Decimal(100) if share is None else Decimal(str(round(share * 100, 1)))
            component.passed = rules.component_passes(component.pass_mark, component.score)
            _store(actor, assessment, component, {"score": component.score})
        elif component.kind == ComponentKind.GLOBAL:
            pair = assessment.global_pair
            mean = pair_mean_rating(pair) if pair is not None else None
            if mean is None:
                continue
            component.score = mean
            component.passed = rules.component_passes(component.pass_mark, component.score)
            _store(actor, assessment, component, {"score": component.score})


@transaction.atomic
def assessment_decide(*, actor: User, assessment: Assessment) -> Assessment:
    """Decide the assessment once every component has its result: passed when every
    component passes, else failed, which opens a remediation. A second decision of the same
    assessment (two people at once) is refused."""
    assessment = _lock(assessment)
    if not permissions.can_decide(actor, assessment):
        if not permissions.is_office_of(actor, assessment):
            raise PermissionDenied(_("Only the resident's training office decides assessments."))
        raise field_error("status", _("This assessment has been decided already."))
    if assessment.status == AssessmentStatus.FAILED:
        remediation = assessment.remediation
        if remediation.status != RemediationStatus.PLANNED:
            raise field_error("status", _("Choose the remedy first."))
    components = list(assessment.components.all())
    _fill_automatic(actor, assessment, components)
    if assessment.status == AssessmentStatus.FAILED and not any(
        c.attempt > 1 for c in components if c.passed is not None
    ):
        raise field_error("status", _("Record the re-examination first."))
    missing = [str(c.get_kind_display()) for c in components if c.passed is None]
    if missing:
        raise field_error(
            "status",
            _("Still missing: %(components)s.") % {"components": ", ".join(missing)},
        )
    before = assessment.status
    passed = rules.overall_passes(c.passed for c in components)
    assessment.status = AssessmentStatus.PASSED if passed else AssessmentStatus.FAILED
    assessment.decided_by = actor
    assessment.decided_at = timezone.now()
    assessment.save(update_fields=["status", "decided_by", "decided_at"])
    failed = [c.kind for c in components if c.passed is False]
    found = Remediation.objects.filter(assessment=assessment).first()
    if passed and found is not None:
        found.status = RemediationStatus.DONE
        found.save(update_fields=["status"])
    elif not passed:
        if found is None:
            Remediation.objects.create(assessment=assessment)
        else:
            found.status = RemediationStatus.OPEN
            found.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="assessment.decide",
        target=assessment,
        changes={"status": [before, assessment.status], "failed": failed},
    )
    url = reverse("assessments:detail", args=[assessment.pk])
    notification_send(
        users=[assessment.resident_id],
        kind=NotificationKind.ASSESSMENT_DECIDED,
        params={"department": assessment.department.name, "passed": passed},
        url=url,
        urgent=not passed,
    )
    return assessment


# --------------------------------------------------------------------------- remediation


def editable_proposals(assessment: Assessment) -> list[ScheduleProposal]:
    """The cohort's proposals a pin can go into (not being solved, not published)."""
    return list(
        ScheduleProposal.objects.filter(
            cohort_id=assessment.member.cohort_id,
            status__in=[
                ProposalStatus.DONE,
                ProposalStatus.INFEASIBLE,
                ProposalStatus.FAILED,
                ProposalStatus.INTERRUPTED,
                ProposalStatus.QUEUED,
            ],
        ).order_by("-created_at", "-id")
    )


def future_blocks(assessment: Assessment) -> list[Block]:
    today = timezone.localdate()
    return list(
        Block.objects.filter(
            calendar_id=assessment.member.cohort.calendar_id, start_date__gt=today
        ).order_by("index")
    )


@transaction.atomic
def remediation_plan(
    *,
    actor: User,
    assessment: Assessment,
    kind: str,
    note: str = "",
    proposal: ScheduleProposal | None = None,
    block: int | None = None,
) -> Remediation:
    """The remedy of a failed assessment: a re-examination of the failed components, or a
    repeat rotation in the department, pinned in a proposal of the cohort for its next solve
    (residency's `proposal_pin`); the repeat stint gets an assessment of its own once
    published."""
    assessment = _lock(assessment)
    if not permissions.can_plan_remediation(actor, assessment):
        if not permissions.is_office_of(actor, assessment):
            raise PermissionDenied(_("Only the resident's training office plans a remediation."))
        raise field_error("kind", _("This remediation has been planned already."))
    remediation = Remediation.objects.select_for_update().get(assessment=assessment)
    if kind not in RemediationKind.values:
        raise field_error("kind", _("Choose a re-examination or a repeat rotation."))
    if kind == RemediationKind.REPEAT:
        if proposal is None or proposal.pk not in {p.pk for p in editable_proposals(assessment)}:
            raise field_error(
                "proposal",
                _("Choose an open proposal of the cohort (generate one on the schedule page)."),
            )
        if block is None or int(block) not in {b.index for b in future_blocks(assessment)}:
            raise field_error("block", _("Choose a block that has not started."))
        services_schedule.proposal_pin(
            actor=actor,
            proposal=proposal,
            resident=assessment.member.key,
            block=int(block),
            department=department_key(assessment.department_id),
        )
        remediation.proposal = proposal
        remediation.block = int(block)
    remediation.kind = kind
    remediation.note = (note or "").strip()[:1000]
    remediation.status = RemediationStatus.PLANNED
    remediation.full_clean(exclude=["assessment", "proposal"])
    remediation.save()
    audit_record(
        actor=actor,
        action="assessment.remediate",
        target=assessment,
        changes={
            "kind": kind,
            **({"block": int(block) + 1} if block is not None and kind == "repeat" else {}),
        },
        reason=remediation.note,
    )
    return remediation
