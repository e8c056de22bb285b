"""Who may do what with feedback items and seminars: one predicate per action, answering for
one object. Services call these; templates show buttons by them."""

from typing import Any

from tandem.accounts.models import Role
from tandem.agreements.models import AgreementParty
from tandem.core import tenancy
from tandem.feedback.models import FeedbackItem, ItemStatus, Seminar, SeminarStatus
from tandem.feedback.selectors import followed_item_ids


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_handler(user: Any, item: FeedbackItem) -> bool:
    """The responsible role at the item's institution, that institution's coordinators (the
    first escalation level) and the consortium admins."""
    if not _signed_in(user):
        return False
    if tenancy.is_consortium_admin(user):
        return True
    return item.institution_id in tenancy.own_institution_ids(
        user, item.handler_role, Role.COORDINATOR
    )


def is_raiser(user: Any, item: FeedbackItem) -> bool:
    if not _signed_in(user):
        return False
    if not item.is_anonymous:
        return item.raised_by_id == user.pk
    return item.pk in followed_item_ids(user)


def can_raise_item(user: Any) -> bool:
    return _signed_in(user) and Role.TRAINEE in tenancy.roles(user)


def can_acknowledge_item(user: Any, item: FeedbackItem) -> bool:
    return item.status == ItemStatus.OPEN and is_handler(user, item)


def can_start_item(user: Any, item: FeedbackItem) -> bool:
    return item.status == ItemStatus.ACKNOWLEDGED and is_handler(user, item)


def can_resolve_item(user: Any, item: FeedbackItem) -> bool:
    return item.status in (ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS) and is_handler(
        user, item
    )


def can_confirm_item(user: Any, item: FeedbackItem) -> bool:
    return item.status == ItemStatus.RESOLVED and is_raiser(user, item)


def can_reopen_item(user: Any, item: FeedbackItem) -> bool:
    return item.status == ItemStatus.RESOLVED and is_raiser(user, item)


def can_view_stats(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def _party_ids(agreement_id: int) -> set[int]:
    return set(
        AgreementParty.objects.filter(agreement_id=agreement_id).values_list(
            "institution_id", flat=True
        )
    )


def can_manage_routing(user: Any, agreement: Any) -> bool:
    if tenancy.is_consortium_admin(user):
        return True
    coordinated = tenancy.coordinated_institution_ids(user)
    return bool(coordinated and coordinated & _party_ids(agreement.pk))


def can_create_seminar(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_manage_seminar(user: Any, seminar: Seminar) -> bool:
    """The organizer, the coordinators of the agreement's parties and the consortium admins."""
    if not _signed_in(user):
        return False
    if seminar.organizer_id == user.pk or tenancy.is_consortium_admin(user):
        return True
    coordinated = tenancy.coordinated_institution_ids(user)
    return bool(coordinated and coordinated & _party_ids(seminar.agreement_id))


def can_record_seminar(user: Any, seminar: Seminar) -> bool:
    return seminar.status != SeminarStatus.CANCELLED and can_manage_seminar(user, seminar)


def can_raise_at_seminar(user: Any, seminar: Seminar) -> bool:
    """An invited trainee raises a problem from the seminar's page."""
    return (
        can_raise_item(user)
        and seminar.status != SeminarStatus.CANCELLED
        and seminar.invitations.filter(person=user).exists()
    )
