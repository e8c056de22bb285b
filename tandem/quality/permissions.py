"""Who may do what with the quality of a base: one predicate per action, for one object.

- Those who manage a base (its hospital's training office, its director, consortium admins)
  set its standards, designate its supervisors, see its compliance and fill its
  self-assessment.
- A designated supervisor of the base observes its teaching activities, records findings and
  accepts or returns the rectifications of their observations.
- The owner of a rectification reports the action taken.
"""

from typing import Any

from tandem.institutions.models import Unit
from tandem.quality.models import (
    Observation,
    Rectification,
    RectificationStatus,
    SelfAssessment,
    SelfAssessmentStatus,
    Supervisor,
)
from tandem.teaching import permissions as teaching_permissions
from tandem.teaching.models import Activity


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_base(user: Any, base: Unit) -> bool:
    return _signed_in(user) and teaching_permissions.can_manage_base(user, base)


def is_supervisor_of(user: Any, base_id: int) -> bool:
    return _signed_in(user) and Supervisor.objects.filter(base_id=base_id, user_id=user.pk).exists()


def can_observe(user: Any, activity: Activity) -> bool:
    return is_supervisor_of(user, activity.department.base_id)


def can_record_findings(user: Any, observation: Observation) -> bool:
    return _signed_in(user) and observation.supervisor_id == user.pk


def can_respond(user: Any, item: Rectification) -> bool:
    return _signed_in(user) and item.owner_id == user.pk and item.status == RectificationStatus.OPEN


def can_decide(user: Any, item: Rectification) -> bool:
    return (
        _signed_in(user)
        and item.observation.supervisor_id == user.pk
        and item.status == RectificationStatus.RESPONDED
    )


def can_edit_self_assessment(user: Any, assessment: SelfAssessment) -> bool:
    return (
        can_manage_base(user, assessment.base) and assessment.status == SelfAssessmentStatus.DRAFT
    )
