"""Reads about institutions and units, always scoped to the asking user.

The institution directory (name, kind, region, country, tier labels, parent) is open to every
member of the consortium (docs/decisions/003). Units are visible to members of their institution,
to partners through an active agreement, and to consortium admins.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.core import tenancy
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
