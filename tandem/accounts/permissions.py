"""Who may do what to people. Selectors decide who is visible; these decide who may act."""

from typing import Any

from tandem.accounts.models import CalendarFeed, Membership, Role, User
from tandem.core import tenancy


def _active_institution_ids(person: User) -> set[int]:
    memberships = getattr(person, "active_memberships", None)
    if memberships is None:
        memberships = Membership.objects.filter(user=person, is_active=True)
    return {m.institution_id for m in memberships if m.institution_id is not None}


def can_manage_people_somewhere(user: Any) -> bool:
    """A consortium admin or a coordinator of at least one institution."""
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_manage_people_at(user: Any, institution_id: int | None) -> bool:
    """Invite, import and give roles at this institution (None: the consortium itself)."""
    if tenancy.is_consortium_admin(user):
        return True
    return institution_id is not None and institution_id in tenancy.coordinated_institution_ids(
        user
    )


def can_grant_role(user: Any, role: str, institution_id: int | None) -> bool:
    if role == Role.CONSORTIUM_ADMIN:
        return tenancy.is_consortium_admin(user)
    return can_manage_people_at(user, institution_id)


def can_edit_person(user: Any, person: User) -> bool:
    """Edit profiles: an admin, or a coordinator of an institution where the person is active."""
    if tenancy.is_consortium_admin(user):
        return True
    return bool(tenancy.coordinated_institution_ids(user) & _active_institution_ids(person))


def can_add_membership(user: Any, person: User) -> bool:
    """Open the "add a role" form: anyone who may give roles somewhere."""
    return can_manage_people_somewhere(user)


def can_end_membership(user: Any, membership: Membership) -> bool:
    if tenancy.is_consortium_admin(user):
        return True
    return membership.institution_id is not None and can_manage_people_at(
        user, membership.institution_id
    )


def can_view_private_details(user: Any, person: User) -> bool:
    """Student numbers and the history: the person themself and those who may edit them."""
    return getattr(user, "pk", None) == person.pk or can_edit_person(user, person)


def can_manage_calendar_feed(user: Any, feed: CalendarFeed) -> bool:
    """Choose what a calendar feed shows, make its address anew or revoke it: its owner only."""
    return bool(getattr(user, "is_authenticated", False)) and feed.user_id == user.pk
