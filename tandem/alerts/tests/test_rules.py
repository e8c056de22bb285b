"""Each early-warning rule, in frozen time: it raises, it does not raise twice for the same
cause, and it closes itself when the cause goes away."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tandem.alerts import services
from tandem.alerts.models import EarlyWarning, Notification, Rule, WarningStatus
from tandem.alerts.tests.factories import active_cultivation, allocation, evaluate, warnings_of
from tandem.alerts.texts import notification_text
from tandem.meetings import services as meeting_services
from tandem.meetings import services_log
from tandem.meetings.models import MeetingSeries
from tandem.meetings.tests.factories import make_series, report_for

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _statuses(rule):
    return [w.status for w in warnings_of(rule)]


def test_no_report_raises_once_and_closes_when_the_trainee_reports(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 8, 1))
    evaluate()
    evaluate()
    [warning] = warnings_of(Rule.NO_REPORT)
    assert warning.status == WarningStatus.OPEN and warning.cause == "since:none"
    assert warning.is_urgent is False

    series = make_series(cast, first_date=datetime.date(2026, 9, 24))
    report_for(series.meetings.first(), cast.trainee)
    evaluate()
    assert _statuses(Rule.NO_REPORT) == [WarningStatus.CLOSED_AUTOMATICALLY]

    clock.shift(datetime.timedelta(weeks=5))
    evaluate()
    assert _statuses(Rule.NO_REPORT) == [WarningStatus.CLOSED_AUTOMATICALLY, WarningStatus.OPEN]
    assert warnings_of(Rule.NO_REPORT)[1].cause == "since:2026-10-01"


def test_no_report_waits_for_the_institution_threshold(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 8, 1))
    services.thresholds_update(actor=cast.coord_a, institution=cast.inst_a, no_report_weeks=12)
    evaluate()
    assert warnings_of(Rule.NO_REPORT) == []
    clock.shift(datetime.timedelta(weeks=4))
    evaluate()
    assert _statuses(Rule.NO_REPORT) == [WarningStatus.OPEN]


def test_a_cultivation_that_has_not_started_raises_nothing(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 9, 20))
    evaluate()
    assert warnings_of(Rule.NO_REPORT) == []
    assert warnings_of(Rule.TUTORS_SILENT) == []


def _milestone(cast, cultivation, latest):
    from tandem.plans.models import PlanMilestone, TrainingPlan

    plan = TrainingPlan.objects.create(cultivation=cultivation, created_by=cast.coord_a)
    return PlanMilestone.objects.create(
        plan=plan,
        key="mid-term",
        kind="mid_term",
        title="Mid-term review",
        earliest=latest - datetime.timedelta(days=30),
        latest=latest,
    )


def test_milestone_due_soon_then_overdue_then_passed(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 9, 25))
    milestone = _milestone(cast, cultivation, datetime.date(2026, 10, 10))
    evaluate()
    evaluate()
    [due] = warnings_of(Rule.MILESTONE)
    assert due.cause == "due:2026-10-10" and not due.is_urgent

    clock.shift(datetime.timedelta(days=10))
    evaluate()
    due.refresh_from_db()
    assert due.status == WarningStatus.CLOSED_AUTOMATICALLY
    overdue = warnings_of(Rule.MILESTONE)[1]
    assert overdue.cause == "overdue:2026-10-10" and overdue.is_urgent

    milestone.status = "passed"
    milestone.save()
    evaluate()
    assert _statuses(Rule.MILESTONE) == [WarningStatus.CLOSED_AUTOMATICALLY] * 2


def test_milestone_far_away_raises_nothing(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 9, 25))
    _milestone(cast, cultivation, datetime.date(2026, 12, 1))
    evaluate()
    assert warnings_of(Rule.MILESTONE) == []


def test_silent_tutors_raise_once_and_close_when_they_talk(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1))
    evaluate()
    evaluate()
    assert _statuses(Rule.TUTORS_SILENT) == [WarningStatus.OPEN]
    services_log.contact_log(
        actor=cast.tutor_b,
        cultivation=cultivation,
        kind="tutor_tutor",
        date=datetime.date(2026, 9, 30),
        channel="phone",
        topic="Mid-term plan",
    )
    evaluate()
    assert _statuses(Rule.TUTORS_SILENT) == [WarningStatus.CLOSED_AUTOMATICALLY]


def test_a_tutor_trainee_contact_does_not_count_as_the_tutors_talking(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1))
    services_log.contact_log(
        actor=cast.tutor_a,
        cultivation=cultivation,
        kind="tutor_trainee",
        date=datetime.date(2026, 9, 30),
        channel="phone",
        topic="Thesis",
    )
    evaluate()
    assert _statuses(Rule.TUTORS_SILENT) == [WarningStatus.OPEN]


def _series_with_meetings(cast, first):
    series = make_series(cast, first_date=first)
    return MeetingSeries.objects.prefetch_related("participants").get(pk=series.pk)


def test_overdue_action_raises_once_and_closes_when_closed(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 9, 25))
    series = _series_with_meetings(cast, datetime.date(2026, 9, 17))
    meeting = series.meetings.first()
    meeting.series = series
    action = meeting_services.action_create(
        actor=cast.tutor_a,
        meeting=meeting,
        title="Send the western blots",
        owner=cast.trainee,
        due_date=datetime.date(2026, 9, 30),
    )
    evaluate()
    evaluate()
    [warning] = warnings_of(Rule.ACTION_OVERDUE)
    assert warning.status == WarningStatus.OPEN and warning.extra_recipient_id == cast.trainee.pk
    assert Notification.objects.filter(warning=warning, user=cast.trainee).exists()
    meeting_services.action_close(actor=cast.trainee, action=action, note="Sent")
    evaluate()
    assert _statuses(Rule.ACTION_OVERDUE) == [WarningStatus.CLOSED_AUTOMATICALLY]


def test_overdue_action_respects_the_grace_days(cast, clock):
    services.thresholds_update(actor=cast.coord_a, institution=cast.inst_a, action_overdue_days=3)
    series = _series_with_meetings(cast, datetime.date(2026, 9, 17))
    meeting = series.meetings.first()
    meeting.series = series
    meeting_services.action_create(
        actor=cast.tutor_a,
        meeting=meeting,
        title="Draft",
        owner=cast.trainee,
        due_date=datetime.date(2026, 9, 29),
    )
    evaluate()
    assert warnings_of(Rule.ACTION_OVERDUE) == []


def _attend(cast, series, meeting, status):
    meeting.series = series
    meeting_services.attendance_record(
        actor=cast.tutor_a, meeting=meeting, entries=[{"person": cast.trainee, "status": status}]
    )


def test_absent_in_a_row_raises_once_and_closes_when_present(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 6, 1))
    series = _series_with_meetings(cast, datetime.date(2026, 8, 6))
    meetings = list(series.meetings.order_by("starts_at"))
    _attend(cast, series, meetings[0], "present")
    for meeting in meetings[1:3]:
        _attend(cast, series, meeting, "absent")
    evaluate()
    assert warnings_of(Rule.ABSENCES) == []  # two in a row, the default is three
    _attend(cast, series, meetings[3], "absent")
    evaluate()
    evaluate()
    [warning] = warnings_of(Rule.ABSENCES)
    assert warning.detail["count"] == 3 and warning.status == WarningStatus.OPEN
    _attend(cast, series, meetings[4], "excused")
    evaluate()
    assert _statuses(Rule.ABSENCES) == [WarningStatus.CLOSED_AUTOMATICALLY]


def test_low_funds_raise_once_and_close_when_topped_up(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 9, 25))
    row = allocation(cast, cultivation, amount="10000", spent="9500", warn_below="1000")
    evaluate()
    evaluate()
    [warning] = warnings_of(Rule.LOW_FUNDS)
    assert warning.is_urgent and warning.detail["remaining"] == "500.00"
    row.amount = Decimal("20000")
    row.save()
    evaluate()
    assert _statuses(Rule.LOW_FUNDS) == [WarningStatus.CLOSED_AUTOMATICALLY]


def test_a_warning_resolved_by_hand_is_not_raised_again_for_the_same_cause(cast, clock):
    active_cultivation(cast, start=datetime.date(2026, 8, 1))
    evaluate()
    [warning] = warnings_of(Rule.NO_REPORT)
    services.warning_resolve(actor=cast.coord_a, warning=warning, note="On sick leave.")
    clock.shift(datetime.timedelta(days=1))
    evaluate()
    assert _statuses(Rule.NO_REPORT) == [WarningStatus.RESOLVED]


def test_an_acknowledged_warning_still_closes_itself(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1))
    evaluate()
    [warning] = warnings_of(Rule.TUTORS_SILENT)
    services.warning_acknowledge(actor=cast.tutor_b, warning=warning, note="Calling Tom")
    services_log.contact_log(
        actor=cast.tutor_b,
        cultivation=cultivation,
        kind="tutor_tutor",
        date=timezone.localdate(),
        channel="video",
        topic="Catch-up",
    )
    evaluate()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED_AUTOMATICALLY
    assert warning.closed_at == timezone.now()


def test_the_database_refuses_a_second_open_warning_for_the_same_subject(cast, clock):
    from django.db import IntegrityError, transaction

    cultivation = active_cultivation(cast, start=datetime.date(2026, 8, 1))
    evaluate()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlyWarning.objects.create(
            rule=Rule.NO_REPORT,
            subject_type="cultivation",
            subject_id=cultivation.pk,
            cause="since:other",
            institution=cast.inst_a,
        )


def test_silent_tutors_ask_the_first_in_charge_and_inform_the_other_tutor(cast, clock):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1))
    first = cultivation.tutor_assignments.get(ended_at__isnull=True, is_first_in_charge=True)
    other = cultivation.tutor_assignments.get(ended_at__isnull=True, is_first_in_charge=False)
    evaluate()
    [warning] = warnings_of(Rule.TUTORS_SILENT)
    kinds = dict(Notification.objects.filter(warning=warning).values_list("user_id", "kind"))
    assert kinds[first.tutor_id] == "warning"
    assert kinds[other.tutor_id] == "warning_informed"
    assert kinds[cast.coord_a.pk] == "warning"

    told = Notification.objects.get(warning=warning, user=other.tutor)
    assert str(first.tutor.full_name or first.tutor.username) in notification_text(told)
    assert "first tutor in charge" in notification_text(told)
    # other rules still ask both tutors
    assert not Notification.objects.filter(kind="warning_informed").exclude(warning=warning)
