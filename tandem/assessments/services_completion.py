"""Writes of annual assessments (年度考核) and completion (结业考核) — decision 112.

Each service: keyword-only arguments, the actor first; the permission predicate, then the
validation with a message naming what is wrong; the change and its audit row in one
transaction.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.assessments import eligibility, permissions_completion, selectors_completion
from tandem.assessments.models_completion import (
    AnnualAssessment,
    AnnualPlan,
    AnnualStatus,
    CompletionOutcome,
    CompletionResult,
    CompletionRule,
)
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.residency.models import Cohort, CohortMember, Program

ANNUAL_PLAN_FIELDS = (
    "theory_pass",
    "skills_pass",
    "evaluation_pass",
    "attendance_pass",
    "rotations_required",
    "reexams_allowed",
)
ANNUAL_SCORES = ("theory", "skills", "evaluation", "attendance")
RULE_FIELDS = (
    "training_years",
    "rotations_required",
    "caselog_share",
    "annual_required",
    "attendance_pass",
    "remediation_clear",
)


def _save_settings(obj: Any, names: tuple[str, ...], fields: dict[str, Any]) -> dict[str, Any]:
    """Set and save the fields; the changes, for the caller's audit row."""
    unknown = set(fields) - set(names)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This is not a setting here."))
    before = {name: getattr(obj, name) for name in names} if obj.pk else {}
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return {
        name: [before.get(name), getattr(obj, name)]
        for name in names
        if before.get(name) != getattr(obj, name)
    }


@transaction.atomic
def annual_plan_save(*, actor: User, program: Program, **fields: Any) -> AnnualPlan:
    """Create or change the annual assessment plan of a program (one training year)."""
    if not permissions_completion.can_keep_completion(actor, program.institution_id):
        raise PermissionDenied(_("Only the program's training office keeps its annual plan."))
    plan = AnnualPlan.objects.filter(program=program).first() or AnnualPlan(program=program)
    changes = _save_settings(plan, ANNUAL_PLAN_FIELDS, fields)
    audit_record(actor=actor, action="annual_plan.save", target=plan, changes=changes)
    return plan


@transaction.atomic
def completion_rule_save(
    *, actor: User, institution_id: int, specialty: str, **fields: Any
) -> CompletionRule:
    """Create or change the completion rules of one specialty at one hospital."""
    if not permissions_completion.can_keep_completion(actor, institution_id):
        raise PermissionDenied(_("Only the hospital's training office keeps completion rules."))
    specialty = (specialty or "").strip()
    if not specialty:
        raise field_error("specialty", _("Name the specialty."))
    rule = CompletionRule.objects.filter(
        institution_id=institution_id, specialty=specialty
    ).first() or CompletionRule(institution_id=institution_id, specialty=specialty)
    changes = _save_settings(rule, RULE_FIELDS, fields)
    audit_record(actor=actor, action="completion_rule.save", target=rule, changes=changes)
    return rule


@transaction.atomic
def annual_schedule(
    *,
    actor: User,
    program: Program,
    cohort: Cohort,
    exam_on: datetime.date,
    due_on: datetime.date,
) -> list[AnnualAssessment]:
    """An annual assessment for each member of the cohort in the program that has none yet;
    the exam date of those not yet decided is moved to this one."""
    if not permissions_completion.can_keep_completion(actor, cohort.institution_id):
        raise PermissionDenied(_("Only the cohort's training office schedules annual exams."))
    if program.institution_id != cohort.institution_id:
        raise field_error("program", _("This program is not of the cohort's hospital."))
    if due_on < exam_on:
        raise field_error("due_on", _("The result is due on or after the exam date."))
    members = list(CohortMember.objects.filter(cohort=cohort, program=program))
    if not members:
        raise field_error("program", _("No resident of the cohort is in this program."))
    existing = {a.member_id: a for a in AnnualAssessment.objects.filter(member__in=members)}
    touched = []
    for member in members:
        found = existing.get(member.pk)
        if found is None:
            found = AnnualAssessment(
                member=member,
                resident_id=member.resident_id,
                training_year=program.training_year,
                exam_on=exam_on,
                due_on=due_on,
            )
        elif found.status == AnnualStatus.PASSED:
            continue
        else:
            found.exam_on, found.due_on = exam_on, due_on
        found.full_clean()
        found.save()
        touched.append(found)
    audit_record(
        actor=actor,
        action="annual.schedule",
        target=cohort,
        changes={"exam_on": [None, exam_on], "due_on": [None, due_on], "count": len(touched)},
    )
    return touched


def _score(name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise field_error(name, _("Give the score as a number from 0 to 100.")) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise field_error(name, _("Give the score as a number from 0 to 100."))
    return score.quantize(Decimal("0.1"))


def annual_passes(
    plan: AnnualPlan | None, scores: dict[str, Decimal | None], rotations_passed: bool | None
) -> list[str]:
    """The components below their pass mark (none: passed). A component without a pass mark
    is left out; the rotations count only when the plan requires them and there are any."""
    below: list[str] = []
    if plan is None:
        return below
    for name in ANNUAL_SCORES:
        mark = getattr(plan, f"{name}_pass")
        score = scores.get(name)
        if mark is not None and (score is None or score < mark):
            below.append(name)
    if plan.rotations_required and rotations_passed is False:
        below.append("rotations")
    return below


@transaction.atomic
def annual_record(
    *, actor: User, assessment: AnnualAssessment, remarks: str = "", **scores: Any
) -> AnnualAssessment:
    """Record the scores and decide: passed when every component of the plan reaches its pass
    mark. A failed assessment may be re-examined as many times as the plan allows."""
    if not permissions_completion.can_record_annual(actor, assessment):
        raise PermissionDenied(_("Only the resident's training office records annual results."))
    assessment = AnnualAssessment.objects.select_for_update().get(pk=assessment.pk)
    plan = selectors_completion.annual_plan_for(assessment.member.program_id)
    allowed = plan.reexams_allowed if plan else 1
    if not permissions_completion.annual_open_for_results(assessment, allowed):
        if assessment.status == AnnualStatus.PASSED:
            raise field_error("status", _("This annual assessment is already passed."))
        raise field_error("status", _("No re-examination is left for this annual assessment."))
    unknown = set(scores) - set(ANNUAL_SCORES)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This is not a component of the assessment."))
    values = {name: _score(name, scores.get(name)) for name in ANNUAL_SCORES}
    if plan is not None:
        for name in ANNUAL_SCORES:
            if getattr(plan, f"{name}_pass") is not None and values[name] is None:
                raise field_error(name, _("Record this component: the plan requires it."))
    rotations = selectors_completion.rotations_of_year_passed(assessment.member)
    below = annual_passes(plan, values, rotations)
    reexam = assessment.status == AnnualStatus.FAILED
    if reexam:
        assessment.attempt += 1
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.rotations_passed = rotations
    assessment.remarks = remarks.strip()
    assessment.status = AnnualStatus.FAILED if below else AnnualStatus.PASSED
    assessment.decided_by = actor
    assessment.decided_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action="annual.record",
        target=assessment,
        changes={
            **{name: [None, value] for name, value in values.items() if value is not None},
            "status": [None, assessment.status],
            "attempt": [None, assessment.attempt],
            "below": below,
        },
    )
    return assessment


@transaction.atomic
def completion_result_record(
    *,
    actor: User,
    resident: User,
    institution_id: int,
    specialty: str,
    outcome: str,
    decided_on: datetime.date | None,
    certificate_number: str = "",
    remarks: str = "",
) -> CompletionResult:
    """The final completion result, only for an eligible resident (refused with what is still
    missing). Two recordings at once: the resident's row is locked, the second finds the
    first's result and is refused."""
    if not permissions_completion.can_record_completion(actor, institution_id):
        raise PermissionDenied(_("Only the resident's training office records completion."))
    User.objects.select_for_update().filter(pk=resident.pk).first()
    if outcome not in CompletionOutcome.values:
        raise field_error("outcome", _("Choose passed, failed or deferred."))
    if decided_on is None:
        raise field_error("decided_on", _("Give the date of the result."))
    certificate_number = (certificate_number or "").strip()
    if outcome == CompletionOutcome.PASSED and not certificate_number:
        raise field_error(
            "certificate_number", _("A passed completion needs its certificate number.")
        )
    candidates = [
        c
        for c in selectors_completion.candidates_of_resident(resident.pk)
        if c.institution_id == institution_id and c.specialty == specialty
    ]
    if not candidates:
        raise field_error("specialty", _("The resident is not in this specialty at this hospital."))
    candidate = candidates[0]
    if not candidate.verdict.eligible:
        raise field_error(
            "outcome",
            _("Not eligible for completion: %(missing)s.")
            % {"missing": "; ".join(eligibility.describe(m) for m in candidate.verdict.missing)},
        )
    existing = (
        CompletionResult.objects.select_for_update()
        .filter(resident=resident, institution_id=institution_id, specialty=specialty)
        .first()
    )
    if existing is not None and existing.outcome != CompletionOutcome.DEFERRED:
        raise field_error("outcome", _("The completion result is already recorded."))
    result = existing or CompletionResult(
        resident=resident, institution_id=institution_id, specialty=specialty
    )
    before = result.outcome if existing else None
    result.outcome = outcome
    result.decided_on = decided_on
    result.certificate_number = certificate_number
    result.remarks = remarks.strip()
    result.recorded_by = actor
    result.recorded_at = timezone.now()
    result.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError:
        raise field_error("outcome", _("The completion result is already recorded.")) from None
    audit_record(
        actor=actor,
        action="completion.record",
        target=result,
        changes={
            "outcome": [before, outcome],
            "decided_on": [None, decided_on],
            "certificate_number": [None, certificate_number],
        },
    )
    return result
