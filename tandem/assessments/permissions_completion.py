"""Who may do what with annual assessments and completion (decision 112).

- The training office of the resident's hospital (its coordinators, or a consortium admin)
  keeps the annual plans and completion rules, schedules and records annual assessments and
  records the final completion result.
- The resident, the office's coordinators and base directors, and admins read them.
"""

from typing import Any

from tandem.assessments.models_completion import AnnualAssessment, AnnualStatus
from tandem.residency import permissions as residency_permissions


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_keep_completion(user: Any, institution_id: int | None) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(user, institution_id)


def can_record_annual(user: Any, assessment: AnnualAssessment) -> bool:
    return can_keep_completion(user, assessment.member.cohort.institution_id)


def annual_open_for_results(assessment: AnnualAssessment, reexams_allowed: int) -> bool:
    """Open, or failed with a re-examination left."""
    if assessment.status == AnnualStatus.OPEN:
        return True
    return assessment.status == AnnualStatus.FAILED and assessment.attempt <= reexams_allowed


def can_record_completion(user: Any, institution_id: int) -> bool:
    return can_keep_completion(user, institution_id)
