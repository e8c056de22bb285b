"""A terminated joint cultivation gives up its bookings ahead, their charges given back
(decision 098); past bookings and other people's stay."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.bookings import services
from tandem.bookings.services_withdrawal import bookings_ahead, bookings_cancel_ahead, refund_of
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import requested_booking, rules_for, started_booking
from tandem.funds.tests.factories import funded_cultivation

pytestmark = pytest.mark.django_db


def test_bookings_ahead_are_cancelled_and_refunded(cast):
    allocation = funded_cultivation(cast)
    cultivation = allocation.cultivation
    rules_for(cast.resource_a, cost_per_hour=Decimal("80.00"), approval_required=False)
    start, end = slot(4, 10)
    charged = services.booking_request(
        actor=cast.trainee,
        resource=cast.resource_a,
        start=start,
        end=end,
        fund=allocation.fund,
        for_cultivation=cultivation,
    )
    uncharged = requested_booking(cast)
    past = started_booking(cast)
    someone_else = requested_booking(
        cast, booked_by=cast.tutor_a, start=slot(6, 9)[0], end=slot(6, 9)[1]
    )
    today = timezone.localdate()
    ahead = list(bookings_ahead(cultivation, today))
    assert {b.pk for b in ahead} == {charged.pk, uncharged.pk}
    assert [refund_of(b) for b in ahead if b.pk == charged.pk] == [Decimal("80.00")]
    balance = allocation.fund.balance
    bookings_cancel_ahead(actor=cast.coord_a, cultivation=cultivation, after=today, reason="End")
    for booking in (charged, uncharged, past, someone_else):
        booking.refresh_from_db()
    assert (charged.status, uncharged.status) == ("cancelled", "cancelled")
    assert (past.status, someone_else.status) == ("confirmed", "requested")
    allocation.fund.refresh_from_db()
    allocation.refresh_from_db()
    assert allocation.fund.balance == balance + Decimal("80.00")
    assert allocation.spent == Decimal("0")


def test_a_booking_on_the_last_day_stays(cast):
    allocation = funded_cultivation(cast)
    booking = requested_booking(cast)
    last_day = timezone.localtime(booking.start).date()
    assert booking.pk not in {b.pk for b in bookings_ahead(allocation.cultivation, last_day)}
    day_before = last_day - datetime.timedelta(days=1)
    assert booking.pk in {b.pk for b in bookings_ahead(allocation.cultivation, day_before)}
