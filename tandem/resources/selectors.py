"""Reads about the shared-resource catalogue, always scoped to the asking user.

A user sees the resources of the institutions where they hold a role, and the resources an
opening shares with one of those institutions under an *active* agreement — nothing else.
Consortium admins see everything.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy
from tandem.institutions.models import Institution, Unit
from tandem.resources.models import ResourceOpening, SharedResource

# An opening may be arranged under an agreement that is not yet in force; it shares only once
# the agreement is active.
OPENABLE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SIGNING, AgreementStatus.ACTIVE)


def _opened_to(institution_ids: set[int]) -> Exists:
    return Exists(
        ResourceOpening.objects.filter(
            resource=OuterRef("pk"),
            partner_id__in=institution_ids,
            agreement__status=AgreementStatus.ACTIVE,
        )
    )


def resource_list_visible_to(user: Any) -> QuerySet[SharedResource]:
    queryset = SharedResource.objects.select_related("institution", "unit")
    if tenancy.is_consortium_admin(user):
        return queryset
    own = tenancy.own_institution_ids(user)
    if not own:
        return queryset.none()
    return queryset.filter(Q(institution_id__in=own) | _opened_to(own))


def resource_get_for_user_or_404(user: Any, pk: int) -> SharedResource:
    return get_object_or_404(resource_list_visible_to(user), pk=pk)


def resource_filter(
    queryset: QuerySet[SharedResource],
    user: Any,
    *,
    kind: str = "",
    institution_id: int | None = None,
    opened_to_me: bool = False,
    search: str = "",
) -> QuerySet[SharedResource]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if institution_id:
        queryset = queryset.filter(institution_id=institution_id)
    if opened_to_me:
        queryset = queryset.filter(_opened_to(tenancy.own_institution_ids(user)))
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(name_zh__icontains=search)
            | Q(description__icontains=search)
            | Q(location__icontains=search)
        )
    return queryset


def resource_owner_choices(user: Any) -> QuerySet[Institution]:
    """Institutions whose resources the user may add: coordinated ones (admins: all)."""
    queryset = Institution.objects.filter(is_active=True)
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(pk__in=tenancy.coordinated_institution_ids(user))


def resource_institution_filter_choices(user: Any) -> QuerySet[Institution]:
    """Institutions to filter the catalogue by: those owning something the user can see."""
    return Institution.objects.filter(
        Exists(resource_list_visible_to(user).filter(institution=OuterRef("pk")))
    ).order_by("name")


def resource_unit_choices(institution: Institution | int) -> QuerySet[Unit]:
    return Unit.objects.filter(institution=institution, is_active=True)


def sees_all_openings(user: Any, resource: SharedResource) -> bool:
    """The owner's coordinators and admins see every opening; others only their own."""
    return tenancy.is_consortium_admin(user) or (
        resource.institution_id in tenancy.coordinated_institution_ids(user)
    )


def opening_list_visible_to(user: Any, resource: SharedResource) -> QuerySet[ResourceOpening]:
    """The openings of a resource the user may see (the caller has checked the resource)."""
    queryset = resource.openings.select_related("agreement", "partner").order_by(
        "partner__name", "agreement__title"
    )
    if sees_all_openings(user, resource):
        return queryset
    return queryset.filter(partner_id__in=tenancy.own_institution_ids(user))


def opening_get_for_user_or_404(user: Any, resource: SharedResource, pk: int) -> ResourceOpening:
    return get_object_or_404(opening_list_visible_to(user, resource), pk=pk)


def opening_agreement_choices(resource: SharedResource) -> QuerySet[Agreement]:
    """Agreements the owner is a party to and that have not ended."""
    return Agreement.objects.filter(
        parties__institution_id=resource.institution_id, status__in=OPENABLE_STATUSES
    ).order_by("title", "-version")


def opening_partner_choices(resource: SharedResource) -> QuerySet[Institution]:
    """Institutions that share an openable agreement with the owner."""
    return (
        Institution.objects.filter(
            agreement_parties__agreement__in=opening_agreement_choices(resource)
        )
        .exclude(pk=resource.institution_id)
        .distinct()
        .order_by("name")
    )
