"""The booking rules, the no-overlap guarantee, decisions, charges and their reversal."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, connections

from tandem.bookings import services
from tandem.bookings.models import Booking, BookingStatus
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import fund_for, requested_booking, rules_for, started_booking
from tandem.core.models import AuditEvent
from tandem.funds.models import ResearchFund
from tandem.resources.tests.helpers import end_agreement

pytestmark = pytest.mark.django_db


def _book(cast, user=None, **kw):
    start, end = kw.pop("when", slot(2, 10))
    return services.booking_request(
        actor=user or cast.trainee, resource=cast.resource_a, start=start, end=end, **kw
    )


def test_a_partner_tutor_books_through_the_active_agreement(cast):
    rules_for(cast.resource_a)
    booking = _book(cast, cast.tutor_b)
    assert booking.status == BookingStatus.REQUESTED
    assert booking.institution == cast.inst_b and booking.agreement == cast.agreement_ab
    assert AuditEvent.objects.filter(action="booking.request", target_id=str(booking.pk)).exists()


def test_partner_without_an_active_agreement_cannot_book(cast):
    rules_for(cast.resource_a)
    end_agreement(cast.agreement_ab, cast.tutor_b)
    with pytest.raises(PermissionDenied):
        _book(cast, cast.tutor_b)
    assert not Booking.objects.exists()


def test_outsider_and_coordinators_cannot_book(cast):
    rules_for(cast.resource_a)
    for user in (cast.outsider, cast.coord_a, cast.admin):
        with pytest.raises(PermissionDenied):
            _book(cast, user)


def test_a_resource_without_rules_is_not_bookable(cast):
    with pytest.raises(ValidationError) as exc:
        _book(cast)
    assert "resource" in exc.value.message_dict


@pytest.mark.parametrize(
    ("when", "field"),
    [
        (slot(2, 6), "start"),  # before opening
        (slot(2, 19, 2), "start"),  # past closing
        (slot(2, 9, 5), "end"),  # longer than the longest booking
        (slot(0, 0, 1), "start"),  # not enough notice (or closed)
        (slot(90, 10), "start"),  # too far ahead
    ],
)
def test_rules_refuse_with_the_field_named(cast, when, field):
    rules_for(cast.resource_a)
    with pytest.raises(ValidationError) as exc:
        _book(cast, when=when)
    assert field in exc.value.message_dict
    assert not Booking.objects.exists()


def test_start_off_the_slot_grid_is_refused(cast):
    rules_for(cast.resource_a)
    start, end = slot(2, 10)
    with pytest.raises(ValidationError) as exc:
        _book(cast, when=(start + datetime.timedelta(minutes=10), end))
    assert "start" in exc.value.message_dict


def test_an_overlapping_booking_is_refused_clearly(cast):
    rules_for(cast.resource_a)
    _book(cast)
    start, _end = slot(2, 10)
    with pytest.raises(ValidationError) as exc:
        _book(
            cast,
            cast.tutor_b,
            when=(start + datetime.timedelta(minutes=30), start + datetime.timedelta(minutes=90)),
        )
    assert "overlaps" in exc.value.message_dict["start"][0]
    assert Booking.objects.count() == 1


def test_back_to_back_and_cancelled_slots_are_free(cast):
    rules_for(cast.resource_a)
    first = _book(cast)
    _book(cast, cast.tutor_b, when=slot(2, 11))
    services.booking_cancel(actor=cast.trainee, booking=first)
    _book(cast, cast.tutor_a, when=slot(2, 10))
    assert Booking.objects.filter(status__in=["requested", "confirmed"]).count() == 2


def test_costly_resource_needs_a_chargeable_fund(cast):
    rules_for(cast.resource_a, cost_per_hour=Decimal("100"))
    with pytest.raises(ValidationError) as exc:
        _book(cast)
    assert "fund" in exc.value.message_dict
    other = fund_for(cast.tutor_b, cast.inst_b, code="F-B")
    with pytest.raises(ValidationError) as exc:
        _book(cast, fund=other)
    assert "fund" in exc.value.message_dict


def test_fund_balance_must_cover_the_cost(cast):
    rules_for(cast.resource_a, cost_per_hour=Decimal("100"))
    fund = fund_for(cast.trainee, cast.inst_a, amount="50.00")
    with pytest.raises(ValidationError) as exc:
        _book(cast, fund=fund)
    assert "fund" in exc.value.message_dict


def test_approval_charges_the_fund_and_cancellation_reverses_it(cast):
    rules_for(cast.resource_a, cost_per_hour=Decimal("120"))
    fund = fund_for(cast.trainee, cast.inst_a)
    booking = _book(cast, when=slot(2, 10, 2), fund=fund)
    assert booking.cost == Decimal("240.00") and booking.charge is None
    booking = services.booking_approve(actor=cast.coord_a, booking=booking, note="ok")
    fund.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.charge.amount == Decimal("240.00")
    assert booking.charge.category == "instrument_use"
    assert f"#{booking.pk}" in booking.charge.description
    assert fund.balance == Decimal("760.00")
    services.booking_cancel(actor=cast.coord_a, booking=booking, reason="Instrument broke")
    fund.refresh_from_db()
    booking.refresh_from_db()
    assert fund.balance == Decimal("1000.00")
    assert booking.charged_amount == 0 and booking.status == BookingStatus.CANCELLED


def test_without_approval_the_booking_is_confirmed_and_charged_at_once(cast):
    rules_for(cast.resource_a, approval_required=False, cost_per_hour=Decimal("10"))
    fund = fund_for(cast.trainee, cast.inst_a)
    booking = _book(cast, fund=fund)
    assert booking.status == BookingStatus.CONFIRMED and booking.charged_amount == Decimal("10")
    assert ResearchFund.objects.get(pk=fund.pk).balance == Decimal("990.00")


def test_no_show_is_not_charged_when_the_owner_says_so(cast):
    rules_for(cast.resource_a, charge_no_show=False)
    booking = started_booking(cast)
    booking = services.booking_mark(actor=cast.coord_a, booking=booking, outcome="no_show")
    assert booking.status == BookingStatus.NO_SHOW


def test_only_owner_coordinators_decide(cast):
    booking = requested_booking(cast)
    for user in (cast.trainee, cast.coord_b, cast.tutor_a):
        with pytest.raises(PermissionDenied):
            services.booking_approve(actor=user, booking=booking)


def test_reject_needs_a_reason(cast):
    booking = requested_booking(cast)
    with pytest.raises(ValidationError) as exc:
        services.booking_reject(actor=cast.coord_a, booking=booking, note=" ")
    assert "note" in exc.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_marking_needs_a_started_confirmed_booking(cast):
    booking = requested_booking(cast)
    with pytest.raises(PermissionDenied):
        services.booking_mark(actor=cast.coord_a, booking=booking, outcome="completed")


def test_rules_refuse_closing_before_opening(cast):
    with pytest.raises(ValidationError) as exc:
        services.booking_rules_set(
            actor=cast.coord_a, resource=cast.resource_a, opening_hours={"1": ["18:00", "08:00"]}
        )
    assert "opening_hours" in exc.value.message_dict


def test_partner_coordinator_cannot_set_rules(cast):
    with pytest.raises(PermissionDenied):
        services.booking_rules_set(actor=cast.coord_b, resource=cast.resource_a)


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_on_sqlite_give_one_booking(cast):
    """On SQLite the IMMEDIATE transaction serializes writers: still exactly one booking."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant is in test_concurrency.py")
    rules_for(cast.resource_a)
    results: list[str] = []
    users = [cast.trainee, cast.tutor_a, cast.tutor_b, cast.resident] * 3

    def attempt(user):
        # The test database is SQLite's shared in-memory one, which reports "locked" instead of
        # waiting out the busy timeout a database file has: retry as that timeout would.
        try:
            for _try in range(200):
                try:
                    _book(cast, user)
                    results.append("ok")
                    return
                except ValidationError as exc:
                    results.append(exc.message_dict["start"][0])
                    return
                except OperationalError:
                    time.sleep(0.01)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == len(users)
    assert results.count("ok") == 1
    assert all("overlaps" in r for r in results if r != "ok")
    assert Booking.objects.count() == 1
