"""A terminated joint cultivation gives up its bookings ahead (decision 098).

The bookings still holding a slot that start after the last day, made for the cultivation or
by its trainee for no cultivation, are cancelled as `booking_cancel` does: the slot is freed
and the charge given back to the fund (and its allocation). `bookings_ahead` chooses them for
the preview and for the cancellation alike. The caller (`cultivation_terminate`) has checked its
own authority and holds the transaction.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.bookings.models import ACTIVE_STATUSES, Booking
from tandem.bookings.services import _locked, cancel_locked_booking
from tandem.cultivation.models import JointCultivation


def bookings_ahead(cultivation: JointCultivation, after: datetime.date) -> QuerySet[Booking]:
    """Active bookings of the cultivation starting after `after` (local dates)."""
    first_moment = timezone.make_aware(
        datetime.datetime.combine(after + datetime.timedelta(days=1), datetime.time.min)
    )
    return (
        Booking.objects.filter(status__in=ACTIVE_STATUSES, start__gte=first_moment)
        .filter(
            Q(for_cultivation=cultivation)
            | Q(booked_by_id=cultivation.trainee_id, for_cultivation__isnull=True)
        )
        .select_related("resource", "charge")
        .order_by("start", "id")
    )


def refund_of(booking: Booking) -> Decimal:
    """What cancelling gives back to the fund."""
    return booking.charged_amount if booking.charge_id else Decimal("0")


@transaction.atomic
def bookings_cancel_ahead(
    *, actor: User, cultivation: JointCultivation, after: datetime.date, reason: str
) -> list[Booking]:
    return [
        cancel_locked_booking(actor=actor, booking=_locked(booking), reason=reason)
        for booking in bookings_ahead(cultivation, after)
    ]
