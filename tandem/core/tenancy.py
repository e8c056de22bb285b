"""Who belongs where: the single source of the tenancy rules every selector builds on.

A user reaches the institutions where they hold an active membership (their own), and the
institutions that share an *active* agreement with one of their own (partners). Consortium
admins reach everything. The sets are computed once per request and kept on the user object.
"""

from typing import Any

from tandem.accounts.models import Membership, Role
from tandem.agreements.models import AgreementParty, AgreementStatus


def _memberships(user: Any) -> list[Membership]:
    cached = getattr(user, "_tandem_memberships", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False):
            cached = []
        else:
            cached = list(Membership.objects.filter(user=user, is_active=True))
        user._tandem_memberships = cached
    return cached


def forget(user: Any) -> None:
    """Drop the per-request cache (after a membership or agreement changes)."""
    for attr in ("_tandem_memberships", "_tandem_partner_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


def is_consortium_admin(user: Any) -> bool:
    return any(m.role == Role.CONSORTIUM_ADMIN for m in _memberships(user))


def roles(user: Any) -> set[str]:
    return {m.role for m in _memberships(user)}


def own_institution_ids(user: Any, *roles_wanted: str) -> set[int]:
    """Institutions where the user holds one of `roles_wanted` (any role if none given)."""
    return {
        m.institution_id
        for m in _memberships(user)
        if m.institution_id is not None and (not roles_wanted or m.role in roles_wanted)
    }


def coordinated_institution_ids(user: Any) -> set[int]:
    return own_institution_ids(user, Role.COORDINATOR)


def unit_ids_with_role(user: Any, role: str) -> set[int]:
    return {m.unit_id for m in _memberships(user) if m.role == role and m.unit_id is not None}


def partner_institution_ids(user: Any) -> set[int]:
    """Institutions sharing an active agreement with one of the user's own institutions."""
    cached = getattr(user, "_tandem_partner_ids", None)
    if cached is None:
        own = own_institution_ids(user)
        cached = set()
        if own:
            cached = set(
                AgreementParty.objects.filter(
                    agreement__status=AgreementStatus.ACTIVE,
                    agreement__parties__institution_id__in=own,
                )
                .exclude(institution_id__in=own)
                .values_list("institution_id", flat=True)
            )
        user._tandem_partner_ids = cached
    return cached


def reach_institution_ids(user: Any) -> set[int]:
    return own_institution_ids(user) | partner_institution_ids(user)
