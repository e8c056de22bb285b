"""Property tests of termination (decision 098), on random cultivations: random stays,
debriefing series (alone or shared), allocations (approved or proposed) with random expenses,
and bookings (past, ahead, charged or not).

- the preview equals what termination does, and each listed change is what happened;
- every fund's ledger balances afterwards;
- nothing of the home enrolment changes.

Each example runs in a savepoint rolled back at its end, so they do not see each other.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import TraineeProfile
from tandem.bookings import services as booking_services
from tandem.bookings.models import Booking
from tandem.bookings.tests.factories import BookingFactory, slot
from tandem.bookings.tests.helpers import rules_for
from tandem.cultivation.models import Stay, TutorAssignment
from tandem.cultivation.services_termination import cultivation_terminate, termination_preview
from tandem.cultivation.tests.factories import StayFactory, cultivation_in, joint_trainee
from tandem.cultivation.tests.test_termination import home_enrolment, ledger_balances
from tandem.funds import services as fund_services
from tandem.funds.models import FundAllocation, ResearchFund
from tandem.funds.tests.factories import FundAllocationFactory, ResearchFundFactory
from tandem.meetings.models import MeetingSeries
from tandem.meetings.tests.factories import make_series

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


stays = st.lists(
    st.tuples(st.integers(-300, 300), st.integers(1, 200), st.sampled_from(["inst_a", "inst_b"])),
    max_size=4,
)
series = st.lists(st.tuples(st.booleans(), st.integers(-60, 20), st.integers(14, 120)), max_size=2)
allocations = st.lists(
    st.tuples(
        st.sampled_from(["approved", "proposed"]),
        st.integers(1_000, 50_000),
        st.lists(st.integers(1, 300), max_size=3),
    ),
    max_size=3,
)
bookings = st.lists(st.tuples(st.integers(-3, 20), st.booleans()), max_size=3)


def _build(cast, status, stay_rows, series_rows, allocation_rows, booking_rows):
    today = timezone.localdate()
    cultivation = cultivation_in(cast, status)
    for offset, length, site in stay_rows:
        start = today + datetime.timedelta(days=offset)
        StayFactory(
            cultivation=cultivation,
            institution=getattr(cast, site),
            start=start,
            end=start + datetime.timedelta(days=length),
        )
    other = None
    for index, (shared, first, span) in enumerate(series_rows):
        if shared and other is None:
            other = joint_trainee(cast, "prop_other")
            cultivation_in(cast, "active", trainee=other)
        make_series(
            cast,
            title=f"Series {index}",
            trainees=[cast.trainee, other] if shared else [cast.trainee],
            first_date=today + datetime.timedelta(days=first),
            until_days=span,
        )
    approved = None
    for index, (allocation_status, amount, expenses) in enumerate(allocation_rows):
        pi, institution = (
            (cast.tutor_b, cast.inst_b)
            if index % 2 == 0
            else (
                cast.tutor_a,
                cast.inst_a,
            )
        )
        fund = ResearchFundFactory(
            amount=Decimal("100000.00"),
            institution=institution,
            principal_investigator=pi,
            start_date=today - datetime.timedelta(days=400),
            end_date=today + datetime.timedelta(days=400),
        )
        allocation = FundAllocationFactory(
            fund=fund,
            cultivation=cultivation,
            amount=Decimal(amount),
            status=allocation_status,
            created_by=cast.coord_b,
        )
        if allocation_status != "approved":
            continue
        approved = approved or allocation
        for value in expenses:
            fund_services.expense_record(
                actor=pi,
                fund=fund,
                amount=Decimal(value),
                date=today,
                category="consumables",
                description="Reagents",
                allocation=allocation,
            )
    rules_for(
        cast.resource_a,
        cost_per_hour=Decimal("50.00") if approved else Decimal("0"),
        approval_required=False,
        max_advance_days=60,
    )
    for index, (days, for_cultivation) in enumerate(booking_rows):
        start, end = slot(days, 8 + 2 * index)
        if start <= timezone.now() + datetime.timedelta(hours=2):
            BookingFactory(
                resource=cast.resource_a,
                booked_by=cast.trainee,
                start=start,
                end=end,
                status="confirmed",
                for_cultivation=cultivation if for_cultivation else None,
            )
            continue
        booking_services.booking_request(
            actor=cast.trainee,
            resource=cast.resource_a,
            start=start,
            end=end,
            fund=approved.fund if approved else None,
            for_cultivation=cultivation if for_cultivation else None,
        )
    return cultivation


def _state(cultivation):
    """What the checks compare: stays, bookings, allocations, funds, series."""
    return {
        "stays": {s.pk: (s.start, s.end) for s in Stay.objects.filter(cultivation=cultivation)},
        "bookings": {b.pk: (b.status, b.charged_amount) for b in Booking.objects.all()},
        "allocations": {
            a.pk: (a.status, a.spent)
            for a in FundAllocation.objects.filter(cultivation=cultivation)
        },
        "funds": {f.pk: f.balance for f in ResearchFund.objects.all()},
        "series": {
            s.pk: s.meetings.filter(status="scheduled").count() for s in MeetingSeries.objects.all()
        },
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    status=st.sampled_from(["approved", "active", "suspended"]),
    stay_rows=stays,
    series_rows=series,
    allocation_rows=allocations,
    booking_rows=bookings,
)
def test_termination_does_what_the_preview_says(
    cast, status, stay_rows, series_rows, allocation_rows, booking_rows
):
    try:
        with transaction.atomic():
            cultivation = _build(
                cast, status, stay_rows, series_rows, allocation_rows, booking_rows
            )
            today = timezone.localdate()
            enrolment = home_enrolment(cultivation)
            profile = TraineeProfile.objects.filter(user=cast.trainee).values().get()
            before = _state(cultivation)
            plan = termination_preview(cultivation, on=today)
            assert _state(cultivation) == before  # the preview changes nothing
            done = cultivation_terminate(
                actor=cast.coord_a,
                cultivation=cultivation,
                ground="other",
                reason="Property",
                plan=plan,
            )
            assert done == plan
            after = _state(cultivation)
            _check_effects(cultivation, plan, before, after, today)
            for fund in ResearchFund.objects.all():
                assert ledger_balances(fund), fund.code
            assert home_enrolment(cultivation) == enrolment
            assert TraineeProfile.objects.filter(user=cast.trainee).values().get() == profile
            raise _Rollback
    except _Rollback:
        pass


def _check_effects(cultivation, plan, before, after, today):
    cultivation.refresh_from_db()
    assert (cultivation.status, cultivation.ended_on) == ("terminated", today)
    assert not TutorAssignment.objects.filter(cultivation=cultivation, ended_at=None).exists()
    # Stays: the listed ones cut or gone, the others untouched.
    listed = {s.stay_id: s for s in plan.stays}
    for pk, (start, end) in before["stays"].items():
        change = listed.get(pk)
        if change is None:
            assert after["stays"][pk] == (start, end)
        elif change.cancelled:
            assert pk not in after["stays"]
        else:
            assert after["stays"][pk] == (start, change.new_end)
    assert all(end <= today for _start, end in after["stays"].values())
    # Bookings: the listed ones cancelled with their charge given back, the others untouched.
    cancelled = {b.booking_id for b in plan.bookings}
    for pk, (status, charged) in before["bookings"].items():
        if pk in cancelled:
            assert after["bookings"][pk] == ("cancelled", Decimal("0"))
        else:
            assert after["bookings"][pk] == (status, charged)
    # Allocations: all closed, with what the plan says was spent; funds get the refunds back.
    by_id = {a.allocation_id: a for a in plan.allocations}
    assert set(by_id) == {pk for pk, (s, _spent) in before["allocations"].items() if s != "closed"}
    for pk, (status, spent) in after["allocations"].items():
        assert status == "closed"
        assert spent == by_id[pk].spent
    refunds: dict[int, Decimal] = {}
    for booking in plan.bookings:
        if booking.refund:
            fund_id = Booking.objects.get(pk=booking.booking_id).fund_id
            refunds[fund_id] = refunds.get(fund_id, Decimal("0")) + booking.refund
    for pk, balance in before["funds"].items():
        assert after["funds"][pk] == balance + refunds.get(pk, Decimal("0"))
    # Series: ended ones keep no scheduled meeting after the last day; shared ones go on.
    for change in plan.series:
        series = MeetingSeries.objects.get(pk=change.series_id)
        if change.ends:
            assert series.ended_at is not None
            assert before["series"][series.pk] - after["series"][series.pk] == len(
                change.meetings_after
            )
        else:
            assert series.ended_at is None
            assert series.participants.get(user=cultivation.trainee).removed_at is not None
