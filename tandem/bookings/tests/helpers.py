"""Shared set-ups for the bookings tests, built on the fixed cast."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tandem.bookings.models import Booking, BookingRules, BookingStatus
from tandem.bookings.tests.factories import BookingFactory, BookingRulesFactory, slot
from tandem.core.tests.cast import Cast


def rules_for(resource, **overrides) -> BookingRules:
    existing = BookingRules.objects.filter(resource=resource).first()
    if existing is not None:
        for key, value in overrides.items():
            setattr(existing, key, value)
        existing.save()
        return existing
    return BookingRulesFactory(resource=resource, **overrides)


def requested_booking(cast: Cast, **overrides) -> Booking:
    """A booking of resource_a (owned by A) requested by the trainee of A."""
    rules_for(cast.resource_a)
    start, end = slot(3, 14)
    values = {"resource": cast.resource_a, "booked_by": cast.trainee, "start": start, "end": end}
    return BookingFactory(**(values | overrides))


def started_booking(cast: Cast) -> Booking:
    """A confirmed booking of resource_a that began an hour ago."""
    rules_for(cast.resource_a)
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    return BookingFactory(
        resource=cast.resource_a,
        booked_by=cast.trainee,
        start=start,
        end=start + datetime.timedelta(hours=1),
        status=BookingStatus.CONFIRMED,
    )


def fund_for(user, institution, *, amount: str = "1000.00", code: str = "F-TEST-1"):
    """A research fund led by `user` (so they may charge it), written through the ORM."""
    from tandem.funds.models import ResearchFund

    today = timezone.localdate()
    return ResearchFund.objects.create(
        code=code,
        title="Test fund",
        source="Test",
        principal_investigator=user,
        institution=institution,
        amount=Decimal(amount),
        balance=Decimal(amount),
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=365),
    )
