"""Who may do what with rotation-end assessments and WBAs: one predicate per action.

- The training office of the resident's hospital (its coordinators, or a consortium admin)
  decides an assessment, chooses the remedy of a failed one and keeps the plans.
- The teachers of the department and the hosting hospital's coordinators record exam scores
  and attendance.
- The resident writes the rotation summary (出科小结) while the assessment is open.
- The department head signs off: the director of the department's training base, or a
  coordinator of the hospital the department belongs to (decision 105).
- A resident starts WBAs for their own rotations; only the WBA's teacher confirms it, on
  their own account or by issuing a one-time code (decision 106).
"""

from typing import Any

from tandem.accounts.models import Role
from tandem.assessments import selectors
from tandem.assessments.models import (
    Assessment,
    AssessmentStatus,
    ComponentKind,
    RemediationKind,
    Wba,
    WbaStatus,
)
from tandem.core import tenancy
from tandem.residency import permissions as residency_permissions
from tandem.residency.stints import stints_of_resident


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_office_of(user: Any, assessment: Assessment) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(
        user, assessment.member.cohort.institution_id
    )


def _reexam_open(assessment: Assessment) -> bool:
    remediation = getattr(assessment, "remediation", None)
    return (
        assessment.status == AssessmentStatus.FAILED
        and remediation is not None
        and remediation.kind == RemediationKind.REEXAM
        and remediation.status != "done"
    )


def is_open_for_results(assessment: Assessment) -> bool:
    return assessment.status == AssessmentStatus.OPEN or _reexam_open(assessment)


def is_examiner_of(user: Any, assessment: Assessment) -> bool:
    """A teacher of the department, a host coordinator, or the resident's training office."""
    if not _signed_in(user) or user.pk == assessment.resident_id:
        return False
    return (
        assessment.department_id in selectors.taught_department_ids(user)
        or assessment.department_id in selectors.hosted_department_ids(user)
        or is_office_of(user, assessment)
    )


def can_record_component(user: Any, assessment: Assessment) -> bool:
    return is_open_for_results(assessment) and is_examiner_of(user, assessment)


def is_department_head_of(user: Any, assessment: Assessment) -> bool:
    department = assessment.department
    if not _signed_in(user) or user.pk == assessment.resident_id:
        return False
    return tenancy.is_consortium_admin(user) or (
        department.base_id in tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)
        or department.base.institution_id in tenancy.coordinated_institution_ids(user)
    )


def can_sign_off(user: Any, assessment: Assessment) -> bool:
    return is_open_for_results(assessment) and is_department_head_of(user, assessment)


def can_write_summary(user: Any, assessment: Assessment) -> bool:
    return (
        _signed_in(user)
        and assessment.resident_id == user.pk
        and is_open_for_results(assessment)
        and any(c.kind == ComponentKind.SUMMARY for c in assessment.components.all())
    )


def can_decide(user: Any, assessment: Assessment) -> bool:
    return is_open_for_results(assessment) and is_office_of(user, assessment)


def can_plan_remediation(user: Any, assessment: Assessment) -> bool:
    remediation = getattr(assessment, "remediation", None)
    return (
        remediation is not None and remediation.status == "open" and is_office_of(user, assessment)
    )


def can_manage_program(user: Any, program: Any) -> bool:
    return _signed_in(user) and residency_permissions.can_edit_program(user, program)


# --------------------------------------------------------------------------- WBAs


def can_start_wba(user: Any) -> bool:
    """A resident with a rotation in a published schedule."""
    return _signed_in(user) and bool(stints_of_resident(user.pk))


def can_confirm_wba(user: Any, wba: Wba) -> bool:
    return _signed_in(user) and wba.teacher_id == user.pk and wba.status == WbaStatus.AWAITING


def can_enter_code(user: Any, wba: Wba) -> bool:
    return _signed_in(user) and wba.resident_id == user.pk and wba.status == WbaStatus.AWAITING


def can_issue_codes(user: Any) -> bool:
    return bool(selectors.taught_department_ids(user))
