"""Terminating a joint cultivation closes everything it held and keeps the home enrolment
(decision 098): the preview lists it, the service does it in one transaction."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from tandem.accounts.models import Membership, StudentNumber
from tandem.alerts.models import Notification
from tandem.alerts.texts import notification_text
from tandem.core.models import AuditEvent
from tandem.cultivation import services, services_ending
from tandem.cultivation.models import Stay, TutorAssignment
from tandem.cultivation.services_termination import cultivation_terminate, termination_preview
from tandem.cultivation.tests.factories import cultivation_in
from tandem.cultivation.tests.termination_data import terminable
from tandem.funds.models import Expense, FundAllocation, ResearchFund

pytestmark = pytest.mark.django_db


def ledger_balances(fund: ResearchFund) -> bool:
    """The balance is the amount less what was spent (reversals give back), and what is still
    allocated fits in it."""
    fund.refresh_from_db()
    spent = -sum((e.signed_amount for e in Expense.objects.filter(fund=fund)), Decimal("0"))
    committed = (
        FundAllocation.objects.filter(fund=fund)
        .exclude(status="closed")
        .aggregate(total=Sum("amount"))["total"]
        or Decimal("0")
    ) - (
        FundAllocation.objects.filter(fund=fund)
        .exclude(status="closed")
        .aggregate(total=Sum("spent"))["total"]
        or Decimal("0")
    )
    allocations_spent = -sum(
        (e.signed_amount for e in Expense.objects.filter(fund=fund, allocation__isnull=False)),
        Decimal("0"),
    )
    recorded_spent = FundAllocation.objects.filter(fund=fund).aggregate(total=Sum("spent"))[
        "total"
    ] or Decimal("0")
    return (
        fund.balance == fund.amount - spent
        and committed <= fund.balance
        and allocations_spent == recorded_spent
    )


def home_enrolment(cultivation):
    return (
        list(
            Membership.objects.filter(user_id=cultivation.trainee_id)
            .order_by("id")
            .values_list("id", "role", "institution_id", "is_active")
        ),
        list(StudentNumber.objects.filter(trainee__user_id=cultivation.trainee_id).values_list()),
        cultivation.home_id,
        cultivation.trainee_id,
    )


def test_preview_lists_every_change_and_changes_nothing(cast):
    data = terminable(cast)
    today = timezone.localdate()
    plan = termination_preview(data.cultivation, on=today)
    assert {t.role for t in plan.tutors_ended} == {"experimental", "theoretical"}
    assert len(plan.change_requests_rejected) == 1
    assert [s.new_end for s in plan.stays] == [today, None]
    assert [s.title for s in plan.series_ended] == ["Oncology debriefing"]
    assert [s.title for s in plan.series_left] == ["Journal club"]
    assert plan.meetings_cancelled > 0
    assert {b.booking_id for b in plan.bookings} == {
        data.charged_booking.pk,
        data.requested_booking.pk,
    }
    assert plan.refunds == Decimal("100.00")
    by_id = {a.allocation_id: a for a in plan.allocations}
    assert by_id[data.allocation.pk].spent == Decimal("500.00")
    assert by_id[data.allocation.pk].returned == Decimal("19500.00")
    assert by_id[data.proposed.pk].returned == Decimal("3000.00")
    assert plan.home_id == cast.inst_a.pk and plan.home_memberships
    assert plan.student_numbers == ("A2025001",)
    assert plan.host_access_until == today
    # Nothing changed.
    data.cultivation.refresh_from_db()
    assert data.cultivation.status == "active" and data.cultivation.ended_on is None
    assert termination_preview(data.cultivation, on=today) == plan


def test_terminate_does_what_the_preview_listed(cast):
    data = terminable(cast)
    cultivation = data.cultivation
    enrolment = home_enrolment(cultivation)
    plan = termination_preview(cultivation, on=timezone.localdate())
    done = cultivation_terminate(
        actor=cast.coord_a,
        cultivation=cultivation,
        ground="insufficient_progress",
        reason="No results for a year",
        plan=plan,
    )
    assert done == plan
    cultivation.refresh_from_db()
    assert cultivation.status == "terminated"
    assert cultivation.ended_on == timezone.localdate()
    decision = cultivation.decisions.get(kind="terminate")
    assert decision.reason == "Insufficient progress: No results for a year"
    assert not TutorAssignment.objects.filter(cultivation=cultivation, ended_at=None).exists()
    assert cultivation.tutor_change_requests.get().status == "rejected"
    assert list(Stay.objects.filter(cultivation=cultivation).values_list("end", flat=True)) == [
        timezone.localdate()
    ]
    data.own_series.refresh_from_db()
    assert data.own_series.ended_at is not None
    assert not data.own_series.meetings.filter(
        status="scheduled", starts_at__date__gt=timezone.localdate()
    ).exists()
    assert data.shared_series.participants.get(user=cast.trainee).removed_at is not None
    data.shared_series.refresh_from_db()
    assert data.shared_series.ended_at is None
    for booking in (data.charged_booking, data.requested_booking):
        booking.refresh_from_db()
        assert booking.status == "cancelled"
    data.charged_booking.refresh_from_db()
    assert data.charged_booking.charged_amount == 0
    for allocation in (data.allocation, data.proposed):
        allocation.refresh_from_db()
        assert allocation.status == "closed"
    assert data.allocation.spent == Decimal("500.00")
    assert ledger_balances(data.allocation.fund)
    assert ledger_balances(data.proposed.fund)
    assert home_enrolment(cultivation) == enrolment


def test_every_step_is_audited_and_everyone_concerned_told(cast):
    data = terminable(cast)
    cultivation_terminate(
        actor=cast.coord_b, cultivation=data.cultivation, ground="health", reason="Long illness"
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "cultivation.terminate",
        "cultivation.terminate_close",
        "meeting_series.end",
        "meeting_series.remove",
        "booking.cancel",
        "expense.reverse",
        "allocation.close",
    } <= actions
    told = set(
        Notification.objects.filter(kind="cultivation_ended").values_list("user_id", flat=True)
    )
    assert {cast.trainee.pk, cast.tutor_a.pk, cast.tutor_b.pk, cast.coord_a.pk} <= told
    assert cast.coord_b.pk in told and cast.outsider.pk not in told
    text = notification_text(Notification.objects.filter(kind="cultivation_ended").first())
    assert "Western Medical University" in text and "terminated" in text


def test_a_stale_preview_is_refused_and_nothing_changes(cast):
    data = terminable(cast)
    plan = termination_preview(data.cultivation, on=timezone.localdate())
    Stay.objects.create(
        cultivation=data.cultivation,
        institution=cast.inst_b,
        start=timezone.localdate() + datetime.timedelta(days=300),
        end=timezone.localdate() + datetime.timedelta(days=320),
    )
    with pytest.raises(ValidationError) as error:
        cultivation_terminate(
            actor=cast.coord_a,
            cultivation=data.cultivation,
            ground="other",
            reason="Why",
            plan=plan,
        )
    assert "plan" in error.value.message_dict
    data.cultivation.refresh_from_db()
    assert data.cultivation.status == "active"
    assert not AuditEvent.objects.filter(action__startswith="cultivation.terminate").exists()
    data.allocation.refresh_from_db()
    assert data.allocation.status == "approved"


def test_a_preview_of_yesterday_is_stale(cast):
    data = terminable(cast)
    plan = termination_preview(
        data.cultivation, on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        cultivation_terminate(
            actor=cast.coord_a,
            cultivation=data.cultivation,
            ground="other",
            reason="Why",
            fingerprint=plan.fingerprint,
        )


@pytest.mark.parametrize(
    ("ground", "reason", "field"),
    [("", "Why", "ground"), ("plan_completed", "Why", "ground"), ("health", "  ", "reason")],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, ground, reason, field):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(ValidationError) as error:
        cultivation_terminate(
            actor=cast.coord_a, cultivation=cultivation, ground=ground, reason=reason
        )
    assert field in error.value.message_dict
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


@pytest.mark.parametrize("actor", ["outsider", "tutor_a", "trainee", "tutor_b"])
def test_only_the_two_sides_coordinators_terminate(cast, actor):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(PermissionDenied):
        cultivation_terminate(
            actor=cast.actor(actor), cultivation=cultivation, ground="other", reason="Why"
        )


def test_a_finished_cultivation_is_not_terminated_again(cast):
    cultivation = cultivation_in(cast, "completed")
    with pytest.raises(ValidationError):
        cultivation_terminate(
            actor=cast.coord_a, cultivation=cultivation, ground="other", reason="Why"
        )


def test_both_sides_agreeing_closes_everything_too(cast):
    data = terminable(cast)
    services.cultivation_decide(
        actor=cast.coord_a,
        cultivation=data.cultivation,
        action="terminate",
        reason="Wants to leave",
        ground="trainee_withdrew",
    )
    ending = data.cultivation.ending_requests.get(status="requested")
    plan = termination_preview(data.cultivation, on=timezone.localdate())
    services_ending.ending_confirm(
        actor=cast.coord_b, ending=ending, reason="Agreed", fingerprint=plan.fingerprint
    )
    data.cultivation.refresh_from_db()
    assert data.cultivation.status == "terminated"
    assert data.cultivation.ended_on == timezone.localdate()
    assert data.cultivation.decisions.get(kind="terminate").institution_id == cast.inst_b.pk
    data.allocation.refresh_from_db()
    assert data.allocation.status == "closed"
    data.charged_booking.refresh_from_db()
    assert data.charged_booking.status == "cancelled"


def test_confirming_a_stale_preview_leaves_the_request_open(cast):
    data = terminable(cast)
    services.cultivation_decide(
        actor=cast.coord_a,
        cultivation=data.cultivation,
        action="terminate",
        reason="Wants to leave",
        ground="trainee_withdrew",
    )
    ending = data.cultivation.ending_requests.get(status="requested")
    with pytest.raises(ValidationError):
        services_ending.ending_confirm(actor=cast.coord_b, ending=ending, fingerprint="0" * 32)
    ending.refresh_from_db()
    assert ending.status == "requested"


def test_a_cultivation_with_nothing_to_close_terminates(cast):
    cultivation = cultivation_in(cast, "approved", paired=False)
    plan = cultivation_terminate(
        actor=cast.coord_a, cultivation=cultivation, ground="other", reason="Never started"
    )
    assert plan.bookings == () and plan.allocations == () and plan.series == ()
    cultivation.refresh_from_db()
    assert cultivation.status == "terminated"


def test_the_preview_costs_the_same_queries_whatever_the_data(cast):
    """The preview page lists every booking, series and allocation: its queries must not grow
    with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.bookings.tests.factories import BookingFactory, slot
    from tandem.funds.tests.factories import FundAllocationFactory, fund_at_b
    from tandem.meetings.tests.factories import make_series

    data = terminable(cast)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as small:
        termination_preview(data.cultivation, on=today)
    for index in range(3):
        make_series(cast, title=f"More {index}")
        start, end = slot(10 + index, 9)
        BookingFactory(
            resource=cast.resource_a,
            booked_by=cast.trainee,
            start=start,
            end=end,
            for_cultivation=data.cultivation,
        )
        FundAllocationFactory(
            fund=fund_at_b(cast, code=f"MORE-{index}"),
            cultivation=data.cultivation,
            amount=Decimal("100.00"),
            created_by=cast.coord_b,
        )
    with CaptureQueriesContext(connection) as large:
        plan = termination_preview(data.cultivation, on=today)
    assert len(plan.bookings) == 5 and len(plan.series) == 5 and len(plan.allocations) == 5
    assert len(large) == len(small)
