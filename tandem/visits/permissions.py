"""Who may do what with exchange visits: one predicate per action, for one object
(decision 109).

- The coordinators (training offices) of the host and of the visiting institution plan and
  run the visit: agenda, delegation, sessions, minutes, practices, invitations.
- Each side adds the actions it owns; the host's coordinators may add actions for either side
  (they lead the follow-up).
- An action's owner, or a coordinator of its institution, reports progress and completion; a
  coordinator of the host who is not the owner accepts it or returns it.
- A base director records the minutes of the sessions of their base.
"""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.visits.models import Action, ActionStatus, Session, Visit, VisitStatus


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _coordinated(user: Any) -> set[int]:
    return tenancy.coordinated_institution_ids(user) if _signed_in(user) else set()


def can_create_visit(user: Any, host_id: int | None = None, visiting_id: int | None = None) -> bool:
    coordinated = _coordinated(user)
    if host_id is None and visiting_id is None:
        return bool(coordinated)
    return bool(coordinated & {host_id, visiting_id})


def can_manage_visit(user: Any, visit: Visit) -> bool:
    return bool(_coordinated(user) & set(visit.side_ids))


def can_change_visit(user: Any, visit: Visit) -> bool:
    return can_manage_visit(user, visit) and visit.status != VisitStatus.CANCELLED


def is_host_coordinator(user: Any, visit: Visit) -> bool:
    return visit.host_id in _coordinated(user)


def notes_side(user: Any, visit: Visit) -> str:
    """Whose internal notes the person reads and writes: "host", "visiting" or ""."""
    coordinated = _coordinated(user)
    if visit.host_id in coordinated:
        return "host"
    if visit.visiting_id in coordinated:
        return "visiting"
    return ""


def can_add_action(user: Any, visit: Visit, institution_id: int | None = None) -> bool:
    if not can_change_visit(user, visit):
        return False
    if institution_id is None or is_host_coordinator(user, visit):
        return True
    return institution_id in _coordinated(user)


def can_progress_action(user: Any, action: Action) -> bool:
    return (
        _signed_in(user)
        and action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        and (action.owner_id == user.pk or action.institution_id in _coordinated(user))
    )


def can_accept_action(user: Any, action: Action) -> bool:
    """Accepting (or returning) a done action: the host's training office, never the owner."""
    return (
        _signed_in(user)
        and action.status == ActionStatus.DONE
        and action.owner_id != user.pk
        and action.visit.host_id in _coordinated(user)
    )


def can_step_action_at_all(user: Any, action: Action) -> bool:
    """Whether the person has any say on the action (for a 403 rather than a refusal)."""
    return _signed_in(user) and (
        action.owner_id == user.pk
        or action.institution_id in _coordinated(user)
        or action.visit.host_id in _coordinated(user)
    )


def directed_base_ids(user: Any) -> set[int]:
    return tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR) if _signed_in(user) else set()


def can_record_minutes(user: Any, session: Session) -> bool:
    if can_change_visit(user, session.visit):
        return True
    return session.visit.status != VisitStatus.CANCELLED and bool(
        directed_base_ids(user) & {session.host_base_id, session.visiting_base_id}
    )


def can_share_practice(user: Any, visit: Visit) -> bool:
    return can_change_visit(user, visit)


def can_read_library(user: Any) -> bool:
    return _signed_in(user) and (tenancy.is_consortium_admin(user) or bool(tenancy.roles(user)))
