"""Who may book, decide, cancel and mark bookings. Views and the API ask; services re-check."""

from typing import Any

from django.utils import timezone

from tandem.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from tandem.bookings.selectors import booking_access_for
from tandem.core import tenancy
from tandem.resources.models import SharedResource


def can_manage_bookings_of(user: Any, resource: SharedResource) -> bool:
    """The owner's coordinators (and consortium admins) set the rules and decide bookings."""
    return tenancy.is_consortium_admin(user) or (
        resource.institution_id in tenancy.coordinated_institution_ids(user)
    )


def can_set_booking_rules(user: Any, resource: SharedResource) -> bool:
    return can_manage_bookings_of(user, resource)


def can_book_resource(user: Any, resource: SharedResource) -> bool:
    """Trainees, tutors and teachers whose institution owns the resource or reaches it through
    an opening under an active agreement, once the owner has set booking rules."""

    if not resource.is_active or not hasattr(resource, "booking_rules"):
        return False
    return booking_access_for(user, resource) is not None


def can_decide_booking(user: Any, booking: Booking) -> bool:
    return booking.status == BookingStatus.REQUESTED and can_manage_bookings_of(
        user, booking.resource
    )


def can_cancel_booking(user: Any, booking: Booking) -> bool:
    """The booker until the booking starts; the owner's coordinators while it is active."""
    if booking.status not in ACTIVE_STATUSES:
        return False
    if can_manage_bookings_of(user, booking.resource):
        return True
    return booking.booked_by_id == getattr(user, "pk", None) and booking.start > timezone.now()


def can_mark_booking(user: Any, booking: Booking) -> bool:
    """Completed or no-show, once a confirmed booking has started."""
    return (
        booking.status == BookingStatus.CONFIRMED
        and booking.start <= timezone.now()
        and can_manage_bookings_of(user, booking.resource)
    )


def can_see_usage_reports(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))
