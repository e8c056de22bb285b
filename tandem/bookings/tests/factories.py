import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tandem.bookings.models import Booking, BookingRules, BookingStatus

ALL_WEEK = {str(day): ["08:00", "20:00"] for day in range(1, 8)}


class BookingRulesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingRules

    opening_hours = factory.LazyFunction(lambda: dict(ALL_WEEK))
    slot_minutes = 30
    max_booking_minutes = 240
    min_notice_hours = 1
    max_advance_days = 60
    approval_required = True
    cost_per_hour = Decimal("0")


def slot(days_ahead: int = 2, hour: int = 10, hours: int = 1) -> tuple[datetime.datetime, ...]:
    """A local-time slot `days_ahead` days from today, from `hour` for `hours` hours."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return start, start + datetime.timedelta(hours=hours)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written straight to the table (bypassing the rules), for fixtures."""

    class Meta:
        model = Booking

    start = factory.LazyFunction(lambda: slot()[0])
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1))
    status = BookingStatus.REQUESTED
    institution = factory.LazyAttribute(lambda o: o.resource.institution)
