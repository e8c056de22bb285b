"""Reads about institutions and units, always scoped to the asking user.

The institution directory (name, kind, region, country, tier labels, parent) is open to every
member of the consortium (docs/decisions/003). Units are visible to members of their institution,
to partners through an active agreement, and to consortium admins.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.core.lookups import visible_or_none
from tandem.institutions.models import Institution, Unit


def institution_list_visible_to(user: Any) -> QuerySet[Institution]:
    """Every institution, for anyone who holds a role in the consortium."""
    queryset = Institution.objects.select_related("parent")
    if not tenancy.roles(user):
        return queryset.none()
    return queryset


def institution_get_for_user_or_404(user: Any, pk: int) -> Institution:
    return get_object_or_404(institution_list_visible_to(user), pk=pk)


def institution_filter(
    queryset: QuerySet[Institution],
    *,
    kind: str = "",
    region: str = "",
    search: str = "",
    include_inactive: bool = False,
) -> QuerySet[Institution]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if region:
        queryset = queryset.filter(region=region)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(name_zh__icontains=search) | Q(code__icontains=search)
        )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset


def unit_institution_ids_visible_to(user: Any) -> set[int] | None:
    """Institutions whose units the user may see; None means all (consortium admin)."""
    if tenancy.is_consortium_admin(user):
        return None
    return tenancy.reach_institution_ids(user)


def can_see_units_of(user: Any, institution: Institution) -> bool:
    ids = unit_institution_ids_visible_to(user)
    return ids is None or institution.pk in ids


def unit_list_visible_to(user: Any) -> QuerySet[Unit]:
    queryset = Unit.objects.select_related("institution", "parent")
    ids = unit_institution_ids_visible_to(user)
    if ids is None:
        return queryset
    return queryset.filter(institution_id__in=ids)


def unit_get_for_user_or_404(user: Any, pk: int) -> Unit:
    return get_object_or_404(unit_list_visible_to(user), pk=pk)


def unit_list_of(user: Any, institution: Institution) -> QuerySet[Unit]:
    """The units of one institution that the user may see (none if not theirs to see)."""
    return unit_list_visible_to(user).filter(institution=institution)


# --- Choice lists -------------------------------------------------------------------------------
# Every form field, filter and id lookup that offers institutions takes its queryset from one of
# these (docs/decisions/077), so "admin sees all, else the user's reach" is written only here.


def institution_choices_for(user: Any) -> QuerySet[Institution]:
    """The active institutions of the directory, for a choice list of `user`'s (none without a
    role): filters, parties, stays, affiliations."""
    return institution_list_visible_to(user).filter(is_active=True).order_by("name")


def institution_list_in_reach_of(user: Any) -> QuerySet[Institution]:
    """The user's own and partner institutions (every institution for a consortium admin)."""
    queryset = institution_list_visible_to(user).order_by("name")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(pk__in=tenancy.reach_institution_ids(user))


def institution_in_reach_or_none(user: Any, pk: int | None) -> Institution | None:
    """The institution `pk` if it is in the user's reach; None for a missing id and for an
    institution out of reach alike."""
    return visible_or_none(institution_list_in_reach_of(user), pk)


def institution_list_coordinated_by(user: Any) -> QuerySet[Institution]:
    """The institutions whose people the user manages: those they coordinate (all for an admin)."""
    queryset = institution_list_visible_to(user).order_by("name")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(pk__in=tenancy.coordinated_institution_ids(user))


def institution_list_organizable_by(user: Any) -> QuerySet[Institution]:
    """The institutions where the user may organize a meeting series: where they are a tutor or
    a coordinator (all for an admin)."""
    queryset = institution_list_visible_to(user).order_by("name")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(pk__in=tenancy.own_institution_ids(user, Role.TUTOR, Role.COORDINATOR))


def institution_parent_choices(user: Any, instance: Institution | None) -> QuerySet[Institution]:
    """What an institution may be affiliated to: any other institution once it exists, an active
    one for a new institution."""
    queryset = institution_list_visible_to(user).order_by("name")
    if instance is None:
        return queryset.filter(is_active=True)
    return queryset.exclude(pk=instance.pk)


def institution_list_by_ids(user: Any, ids: set[int]) -> QuerySet[Institution]:
    """The visible institutions among `ids` (the sites of one meeting, the parties of one
    agreement), by name."""
    return institution_list_visible_to(user).filter(pk__in=ids).order_by("name")


def unit_choices_for(user: Any, institutions: QuerySet[Institution]) -> QuerySet[Unit]:
    """The units the user may see at `institutions` (one of the choice lists above)."""
    return unit_list_visible_to(user).filter(institution__in=institutions)


def unit_parent_choices(
    user: Any, institution: Institution, instance: Unit | None
) -> QuerySet[Unit]:
    """What a unit may be part of: another unit of the same institution."""
    queryset = unit_list_of(user, institution)
    return queryset if instance is None else queryset.exclude(pk=instance.pk)
