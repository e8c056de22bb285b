"""Reads about bookings, always scoped to the asking user.

A user sees their own bookings; the coordinators of the owner see every booking of its
resources; the coordinators of the booker's institution see their people's bookings; consortium
admins see everything. Which resources a person can book comes from the shared-resource
catalogue: their own institution's, or one opened to it under an *active* agreement.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import icalendar
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Role
from tandem.agreements.models import AgreementStatus
from tandem.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
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


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The person's own bookings for their calendar feed: from 90 days back, neither rejected
    nor cancelled (a calendar program drops what leaves the feed)."""
    since = timezone.now() - datetime.timedelta(days=90)
    bookings = (
        Booking.objects.filter(booked_by_id=getattr(user, "pk", None), end__gte=since)
        .exclude(status__in=(BookingStatus.REJECTED, BookingStatus.CANCELLED))
        .select_related("resource")
        .order_by("start")
    )
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "tandem"
    events = []
    for booking in bookings:
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("summary", str(booking.resource))
        event.add(
            "status", "TENTATIVE" if booking.status == BookingStatus.REQUESTED else "CONFIRMED"
        )
        event.add(
            "description",
            _("Booking status: %(status)s") % {"status": booking.get_status_display()},
        )
        if booking.resource.location:
            event.add("location", booking.resource.location)
        events.append(event)
    return events


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
