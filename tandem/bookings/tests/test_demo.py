import pytest

from tandem.bookings.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def test_demo_books_the_emu_microscope_for_zhang_in_every_state_a_new_booking_can_reach():
    from tandem.bookings import demo as bookings_demo
    from tandem.portal import demo as portal_demo

    portal_demo.load_demo()
    bookings_demo.load_demo()
    bookings = Booking.objects.filter(booked_by__username="trainee.zhang")
    # Completed and no-show need a booking that has started; the services book only ahead.
    assert {b.status for b in bookings} == set(BookingStatus.values) - {
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    }
    assert all(b.resource.name == "Confocal laser scanning microscope" for b in bookings)
    confirmed = bookings.get(status=BookingStatus.CONFIRMED)
    assert confirmed.charge is not None and confirmed.charged_amount == confirmed.cost
    assert bookings.get(status=BookingStatus.CANCELLED).charged_amount == 0
    assert all(b.agreement and b.agreement.status == "active" for b in bookings)
