"""Who may do what with the teachers' data: one predicate per action, for one object.

- The managers of a base (the hospital's training office, the base's director) and consortium
  admins keep its teacher profiles and qualification policy, assign the responsible teacher of
  a stint in its departments, and review the development plans of its teachers.
- A teacher records their own teacher-training and writes their own development plan; the
  base's managers may record training for them too.
"""

from typing import Any

from tandem.faculty.models import DevelopmentPlan, PlanStatus, ResponsibleTeacher, TeacherProfile
from tandem.institutions.models import Unit
from tandem.residency import permissions as residency_permissions
from tandem.residency.models import Department


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_base(user: Any, base: Unit) -> bool:
    return _signed_in(user) and residency_permissions.can_edit_base(user, base)


def can_edit_profile(user: Any, profile: TeacherProfile) -> bool:
    return can_manage_base(user, profile.base)


def can_record_training(user: Any, profile: TeacherProfile) -> bool:
    return _signed_in(user) and (
        profile.teacher_id == user.pk or can_manage_base(user, profile.base)
    )


def can_start_plan(user: Any, profile: TeacherProfile) -> bool:
    return _signed_in(user) and profile.teacher_id == user.pk


def can_write_plan(user: Any, plan: DevelopmentPlan) -> bool:
    """The teacher adds and changes goals until the plan is reviewed."""
    return (
        _signed_in(user)
        and plan.profile.teacher_id == user.pk
        and plan.status != PlanStatus.REVIEWED
    )


def can_review_plan(user: Any, plan: DevelopmentPlan) -> bool:
    return (
        plan.status == PlanStatus.SUBMITTED
        and plan.profile.teacher_id != getattr(user, "pk", None)
        and can_manage_base(user, plan.profile.base)
    )


def can_assign_in(user: Any, department: Department) -> bool:
    return can_manage_base(user, department.base)


def can_end_assignment(user: Any, assignment: ResponsibleTeacher) -> bool:
    return assignment.cancelled_at is None and can_assign_in(user, assignment.department)
