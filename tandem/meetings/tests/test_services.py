import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.meetings import services, services_log
from tandem.meetings.models import (
    ActionItem,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ProgressReport,
    ReportComment,
)
from tandem.meetings.selectors import agenda_actions
from tandem.meetings.tests.factories import debriefing, make_series, report_for


def _with_participants(meeting):
    meeting.series = MeetingSeries.objects.prefetch_related("participants").get(
        pk=meeting.series_id
    )
    return meeting


def test_series_creates_every_biweekly_meeting_at_local_time(cast):
    series = make_series(
        cast,
        first_date=datetime.date(2026, 3, 5),
        until_days=70,
        time_zone="Europe/London",
        start_time=datetime.time(14, 0),
    )
    meetings = list(series.meetings.order_by("starts_at"))
    assert len(meetings) == 6  # 0, 14, … 70 days
    from zoneinfo import ZoneInfo

    local = [m.starts_at.astimezone(ZoneInfo("Europe/London")) for m in meetings]
    assert {t.hour for t in local} == {14}  # across the change to summer time (29 March)
    assert {t.utcoffset() for t in local} == {datetime.timedelta(0), datetime.timedelta(hours=1)}
    assert AuditEvent.objects.filter(action="meeting_series.create").count() == 1


def test_series_with_an_unknown_time_zone_names_the_field_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as caught:
        make_series(cast, time_zone="Mars/Olympus")
    assert "time_zone" in caught.value.message_dict
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_online_series_needs_a_link(cast):
    with pytest.raises(ValidationError) as caught:
        make_series(cast, mode="online", location="")
    assert "online_url" in caught.value.message_dict


def test_series_longer_than_two_years_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        make_series(cast, until_days=800)
    assert "until" in caught.value.message_dict


def test_outsider_cannot_organize_at_a(cast):
    with pytest.raises(PermissionDenied):
        make_series(cast, actor=cast.outsider)


def test_cannot_invite_a_trainee_outside_ones_reach(cast):
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, role="trainee", institution=cast.inst_c)
    with pytest.raises(ValidationError) as caught:
        make_series(cast, trainees=[stranger])
    assert "trainees" in caught.value.message_dict


def test_report_is_submitted_then_revised_and_audited(cast):
    d = debriefing(cast)
    report = report_for(d.upcoming, cast.trainee, next_steps="Write chapter 3")
    again = report_for(d.upcoming, cast.trainee, next_steps="Write chapter 4")
    assert again.pk == report.pk
    assert ProgressReport.objects.get(pk=report.pk).next_steps == "Write chapter 4"
    actions = list(
        AuditEvent.objects.filter(
            target_id=str(report.pk), action__startswith="progress_report"
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == ["progress_report.revise", "progress_report.submit"]


def test_a_report_written_after_the_fact_keeps_when_it_was_handed_in(cast):
    d = debriefing(cast)
    handed_in = timezone.now() - datetime.timedelta(days=20)
    report = report_for(d.upcoming, cast.trainee, submitted_at=handed_in)
    report.refresh_from_db()
    assert report.submitted_at == handed_in and report.updated_at == handed_in
    assert AuditEvent.objects.filter(
        target_id=str(report.pk), action="progress_report.submit"
    ).exists()


def test_a_report_cannot_be_dated_in_the_future_or_redated(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        report_for(
            d.upcoming, cast.trainee, submitted_at=timezone.now() + datetime.timedelta(hours=1)
        )
    assert "submitted_at" in caught.value.message_dict
    assert not ProgressReport.objects.filter(meeting=d.upcoming).exists()
    report_for(d.upcoming, cast.trainee)
    with pytest.raises(ValidationError) as caught:
        report_for(
            d.upcoming, cast.trainee, submitted_at=timezone.now() - datetime.timedelta(days=3)
        )
    assert "submitted_at" in caught.value.message_dict


def test_empty_report_names_the_field(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        report_for(d.upcoming, cast.trainee, experimental_progress="  ")
    assert "experimental_progress" in caught.value.message_dict
    assert not ProgressReport.objects.filter(meeting=d.upcoming).exists()


def test_an_uninvited_trainee_cannot_report(cast):
    d = debriefing(cast)
    with pytest.raises(PermissionDenied):
        report_for(d.upcoming, cast.resident)


def test_each_tutor_comments_separately_and_the_second_tutor_may_comment(cast):
    d = debriefing(cast)
    report = d.report
    report.meeting = _with_participants(report.meeting)
    services.comment_save(actor=cast.tutor_a, report=report, body="Good")
    services.comment_save(actor=cast.tutor_b, report=report, body="Check controls")
    services.comment_save(actor=cast.tutor_a, report=report, body="Very good")
    assert dict(ReportComment.objects.values_list("tutor__username", "body")) == {
        "tutor_a": "Very good",
        "tutor_b": "Check controls",
    }
    from tandem.alerts.models import Notification

    assert Notification.objects.filter(user=cast.trainee, kind="report_commented").count() == 3


def test_the_trainee_cannot_comment_on_their_own_report(cast):
    d = debriefing(cast)
    d.report.meeting = _with_participants(d.report.meeting)
    with pytest.raises(PermissionDenied):
        services.comment_save(actor=cast.trainee, report=d.report, body="Me")


def test_attendance_marks_the_meeting_held_and_refuses_strangers(cast):
    d = debriefing(cast)
    meeting = _with_participants(d.past)
    services.attendance_record(
        actor=cast.tutor_a,
        meeting=meeting,
        entries=[
            {"person": cast.trainee, "status": "present", "site": cast.inst_b},
            {"person": cast.tutor_a, "status": "present", "site": cast.inst_a},
        ],
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=cast.tutor_a,
            meeting=meeting,
            entries=[{"person": cast.resident, "status": "present"}],
        )
    assert "entries.0.person" in caught.value.message_dict


def test_open_actions_carry_forward_until_closed(cast):
    d = debriefing(cast)
    meetings = list(d.series.meetings.order_by("starts_at"))
    raised_in = meetings.index(d.past)
    later = meetings[raised_in + 1]
    last = meetings[raised_in + 2]
    assert list(agenda_actions(later)) == [d.action]
    assert list(agenda_actions(last)) == [d.action]
    assert list(agenda_actions(d.past)) == []
    services.action_close(actor=cast.trainee, action=d.action, note="Validated", meeting=later)
    assert list(agenda_actions(later)) == [ActionItem.objects.get(pk=d.action.pk)]
    assert list(agenda_actions(last)) == []


def test_action_owner_must_be_invited(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            actor=cast.tutor_a,
            meeting=_with_participants(d.past),
            title="X",
            owner=cast.resident,
            due_date=timezone.localdate(),
        )
    assert "owner" in caught.value.message_dict


def test_cancelled_meeting_needs_a_reason_and_refuses_reports(cast):
    d = debriefing(cast)
    meeting = _with_participants(d.upcoming)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=cast.tutor_a, meeting=meeting, reason=" ")
    services.meeting_cancel(actor=cast.tutor_a, meeting=meeting, reason="Holiday")
    meeting = _with_participants(Meeting.objects.get(pk=meeting.pk))
    with pytest.raises(PermissionDenied):
        report_for(meeting, cast.trainee)


def test_only_the_pair_logs_tutor_contacts(cast):
    d = debriefing(cast)
    with pytest.raises(PermissionDenied):
        services_log.contact_log(
            actor=cast.trainee,
            cultivation=d.cultivation,
            kind="tutor_tutor",
            date=timezone.localdate(),
            channel="phone",
            topic="x",
        )
    with pytest.raises(ValidationError) as caught:
        services_log.contact_log(
            actor=cast.tutor_b,
            cultivation=d.cultivation,
            kind="tutor_tutor",
            date=timezone.localdate() + datetime.timedelta(days=2),
            channel="phone",
            topic="x",
        )
    assert "date" in caught.value.message_dict
