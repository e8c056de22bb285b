"""Who may do what with teaching activities: one predicate per action, for one object.

- The training office of a hospital (its coordinators), the director of a base (that base
  only) and consortium admins manage a base's kinds of activity and schedule, change and
  cancel activities in its departments; a teacher of a department schedules there too.
- The activity's teacher shows the sign-in code and corrects attendance (with a reason); so
  do those who manage its base (when a colleague stands in).
- A resident signs in to an activity they are expected at, or whose department the published
  schedule places them in that day, with their own account.
"""

from typing import Any

from tandem.core import tenancy
from tandem.institutions.models import Unit
from tandem.residency import permissions as residency_permissions
from tandem.residency.models import Department
from tandem.teaching import selectors
from tandem.teaching.models import Activity, ActivityStatus


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_base(user: Any, base: Unit) -> bool:
    return _signed_in(user) and residency_permissions.can_edit_base(user, base)


def can_manage_any_base(user: Any) -> bool:
    return _signed_in(user) and selectors.base_list_managed_by(user).exists()


def can_schedule_in(user: Any, department: Department) -> bool:
    return _signed_in(user) and (
        can_manage_base(user, department.base)
        or department.pk in selectors.taught_department_ids(user)
    )


def can_schedule_any(user: Any) -> bool:
    return _signed_in(user) and selectors.department_list_schedulable_by(user).exists()


def can_change_activity(user: Any, activity: Activity) -> bool:
    """Edit or cancel: who schedules in its department, and its teacher."""
    return _signed_in(user) and (
        activity.teacher_id == user.pk or can_schedule_in(user, activity.department)
    )


def can_run_activity(user: Any, activity: Activity) -> bool:
    """Show the code and correct attendance: the teacher and the base's managers."""
    return (
        _signed_in(user)
        and activity.status == ActivityStatus.SCHEDULED
        and (activity.teacher_id == user.pk or can_manage_base(user, activity.department.base))
    )


def can_view_attendance(user: Any, activity: Activity) -> bool:
    """The list of who came: everyone who sees the activity but its residents."""
    return _signed_in(user) and (
        tenancy.is_consortium_admin(user)
        or activity.teacher_id == user.pk
        or activity.department_id in selectors.taught_department_ids(user)
        or can_manage_base(user, activity.department.base)
        or bool(tenancy.own_institution_ids(user, *selectors.STAFF_ROLES))
    )


def can_set_rating_form(user: Any, institution_id: int) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(user, institution_id)
