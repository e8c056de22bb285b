"""Reads about bookings, always scoped to the asking user.

A user sees their own bookings; the coordinators of the owner see every booking of its
resources; the coordinators of the booker's institution see their people's bookings; consortium
admins see everything. Which resources a person can book comes from the shared-resource
catalogue: their own institution's, or one opened to it under an *active* agreement.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.agreements.models import AgreementStatus
from tandem.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, CalendarFeed
from tandem.core import tenancy
from tandem.resources.models import ResourceOpening, SharedResource
from tandem.resources.selectors import resource_list_visible_to

BOOKING_ROLES = (Role.TRAINEE, Role.TUTOR, Role.TEACHER)


@dataclass(frozen=True)
class Access:
    """How a person reaches a resource: through which of their institutions and agreement."""

    institution_id: int
    agreement_id: int | None


def booking_access_for(user: Any, resource: SharedResource) -> Access | None:
    """The institution (and agreement) through which `user` may book `resource`, or None."""
    own = tenancy.own_institution_ids(user, *BOOKING_ROLES)
    if not own:
        return None
    if resource.institution_id in own:
        return Access(resource.institution_id, None)
    opening = (
        ResourceOpening.objects.filter(
            resource=resource, partner_id__in=own, agreement__status=AgreementStatus.ACTIVE
        )
        .order_by("id")
        .values_list("partner_id", "agreement_id")
        .first()
    )
    return Access(*opening) if opening else None


def bookable_resource_list_for(user: Any) -> QuerySet[SharedResource]:
    """Resources the user can see that have booking rules (bookable by someone)."""
    return (
        resource_list_visible_to(user)
        .filter(is_active=True, booking_rules__isnull=False)
        .select_related("booking_rules")
    )


def booking_list_visible_to(user: Any) -> QuerySet[Booking]:
    queryset = Booking.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    coordinated = tenancy.coordinated_institution_ids(user)
    return queryset.filter(
        Q(booked_by=user)
        | Q(resource__institution_id__in=coordinated)
        | Q(institution_id__in=coordinated)
    )


def _with_related(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related(
        "resource__institution", "booked_by", "institution", "agreement", "fund", "decided_by"
    )


def booking_get_for_user_or_404(user: Any, pk: int) -> Booking:
    return get_object_or_404(_with_related(booking_list_visible_to(user)), pk=pk)


def booking_list_for_page(
    user: Any,
    *,
    status: str = "",
    resource_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    mine: bool = False,
    awaiting_me: bool = False,
    search: str = "",
) -> QuerySet[Booking]:
    queryset = booking_list_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if resource_id:
        queryset = queryset.filter(resource_id=resource_id)
    if date_from:
        queryset = queryset.filter(end__gt=local_midnight(date_from))
    if date_to:
        queryset = queryset.filter(start__lt=local_midnight(date_to + datetime.timedelta(days=1)))
    if mine:
        queryset = queryset.filter(booked_by=user)
    if awaiting_me:
        queryset = queryset.filter(status=BookingStatus.REQUESTED).filter(
            resource__in=resource_list_managed_by(user)
        )
    if search:
        queryset = queryset.filter(
            Q(resource__name__icontains=search)
            | Q(resource__name_zh__icontains=search)
            | Q(booked_by__full_name__icontains=search)
            | Q(purpose__icontains=search)
        )
    return _with_related(queryset)


def resource_list_managed_by(user: Any) -> QuerySet[SharedResource]:
    """Resources whose bookings the user decides (the owner's coordinators, admins)."""
    if tenancy.is_consortium_admin(user):
        return SharedResource.objects.all()
    return SharedResource.objects.filter(
        institution_id__in=tenancy.coordinated_institution_ids(user)
    )


def booking_resource_filter_choices(user: Any) -> QuerySet[SharedResource]:
    return bookable_resource_list_for(user).order_by("name")


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def feed_list_for(user: Any) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(owner=user, revoked_at__isnull=True).select_related(
        "resource"
    )


def feed_get_for_user_or_404(user: Any, pk: int) -> CalendarFeed:
    return get_object_or_404(feed_list_for(user), pk=pk)


def feed_get_by_token_or_404(token: str) -> CalendarFeed:
    return get_object_or_404(
        CalendarFeed.objects.select_related("owner", "resource"),
        token=token,
        revoked_at__isnull=True,
        owner__is_active=True,
    )


def feed_bookings(feed: CalendarFeed) -> QuerySet[Booking]:
    """What a feed shows, re-checked against what its owner may see now: their own bookings, or
    the active and past bookings of a resource they still see (busy times only)."""
    since = timezone.now() - datetime.timedelta(days=90)
    if feed.resource_id is None:
        queryset = Booking.objects.filter(booked_by=feed.owner)
    else:
        if not resource_list_visible_to(feed.owner).filter(pk=feed.resource_id).exists():
            return Booking.objects.none()
        queryset = Booking.objects.filter(resource_id=feed.resource_id)
    return (
        queryset.filter(end__gte=since)
        .exclude(status__in=(BookingStatus.REJECTED, BookingStatus.CANCELLED))
        .select_related("resource", "booked_by")
        .order_by("start")
    )


def booking_dashboard(user: Any) -> dict[str, Any]:
    """Counts for the dashboard card, in two queries whatever the data size."""
    now = timezone.now()
    mine = Booking.objects.filter(booked_by=user).aggregate(
        upcoming=Count("id", filter=Q(status__in=ACTIVE_STATUSES, end__gt=now)),
        requested=Count("id", filter=Q(status=BookingStatus.REQUESTED)),
    )
    awaiting = (
        Booking.objects.filter(
            status=BookingStatus.REQUESTED, resource__in=resource_list_managed_by(user)
        ).count()
        if tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)
        else 0
    )
    return {
        "upcoming": mine["upcoming"],
        "requested": mine["requested"],
        "awaiting_decision": awaiting,
    }
