"""Who may do what with case and procedure logs: one predicate per action, for one object.

- A resident logs entries for their own published stints, and withdraws or corrects an entry
  until it is verified.
- A teacher of the entry's department verifies or returns it (never their own entry).
- The training office (coordinators) of a hospital, or a consortium admin, keeps the hospital's
  catalogues and their minimums.
"""

from typing import Any

from tandem.logbook import selectors
from tandem.logbook.models import Catalogue, EntryStatus, LogEntry
from tandem.residency import permissions as residency_permissions


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_log_entries(user: Any) -> bool:
    return _signed_in(user) and selectors.my_memberships(user).exists()


def can_change_entry(user: Any, entry: LogEntry) -> bool:
    return (
        _signed_in(user) and entry.resident_id == user.pk and entry.status != EntryStatus.VERIFIED
    )


def is_teacher_of(user: Any, entry: LogEntry) -> bool:
    return (
        _signed_in(user)
        and entry.resident_id != user.pk
        and entry.department_id in selectors.taught_department_ids(user)
    )


def can_review_entry(user: Any, entry: LogEntry) -> bool:
    return entry.status == EntryStatus.PENDING and is_teacher_of(user, entry)


def can_review_any(user: Any) -> bool:
    return bool(selectors.taught_department_ids(user))


def can_create_catalogue(user: Any) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_any(user)


def can_manage_catalogue(user: Any, catalogue: Catalogue) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(
        user, catalogue.institution_id
    )


def can_view_progress_pages(user: Any) -> bool:
    """Cohort and department pages: training offices, hosts, teachers, consortium admins."""
    return _signed_in(user) and (
        selectors.cohort_list_for_progress(user).exists()
        or selectors.department_list_for_progress(user).exists()
    )
