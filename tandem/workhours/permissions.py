"""Who may do what with work hours: one predicate per action, for one object.

- A resident on a published schedule logs their own shifts and deletes them.
- The training office (coordinators) of a hospital, or a consortium admin, keeps the hospital's
  rule sets and its departments' rota patterns, and checks a planned rota.
- The training office and base directors of the resident's hospital read the program pages.
"""

from typing import Any

from tandem.residency import permissions as residency_permissions
from tandem.residency.models import Department, ScheduleProposal
from tandem.workhours import selectors
from tandem.workhours.models import RuleSet, Shift


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_log_shifts(user: Any) -> bool:
    return _signed_in(user) and selectors.my_memberships(user).exists()


def can_delete_shift(user: Any, shift: Shift) -> bool:
    return _signed_in(user) and shift.resident_id == user.pk


def can_manage_rules_of(user: Any, institution_id: int | None) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(user, institution_id)


def can_manage_any_rules(user: Any) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_any(user)


def can_edit_ruleset(user: Any, ruleset: RuleSet) -> bool:
    return can_manage_rules_of(user, ruleset.institution_id)


def can_set_pattern(user: Any, department: Department) -> bool:
    return can_manage_rules_of(user, department.base.institution_id)


def can_view_program_pages(user: Any) -> bool:
    return _signed_in(user) and selectors.cohort_list_for_workhours(user).exists()


def can_check_proposal(user: Any, proposal: ScheduleProposal) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_cohort(user, proposal.cohort)
