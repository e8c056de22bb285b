"""The tenancy rules worked out in plain Python from every row, for oracle tests of the
selectors: slow and obviously right, never used by the application."""

from typing import Any

from tandem.accounts.models import Membership, Role
from tandem.agreements.models import Agreement, AgreementStatus


def active_memberships(user: Any) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return [m for m in Membership.objects.all() if m.user_id == user.pk and m.is_active]


def is_admin(user: Any) -> bool:
    return any(m.role == Role.CONSORTIUM_ADMIN for m in active_memberships(user))


def own_ids(user: Any, *roles: str) -> set[int]:
    return {
        m.institution_id
        for m in active_memberships(user)
        if m.institution_id and (not roles or m.role in roles)
    }


def reach_ids(user: Any) -> set[int]:
    """Own institutions and every party to an active agreement with one of them."""
    own = own_ids(user)
    reach = set(own)
    for agreement in Agreement.objects.prefetch_related("parties"):
        parties = {p.institution_id for p in agreement.parties.all()}
        if agreement.status == AgreementStatus.ACTIVE and parties & own:
            reach |= parties
    return reach
