"""Changing, ending and leaving a series: only the meetings ahead move; the past stays."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.alerts.models import Notification
from tandem.core.models import AuditEvent
from tandem.meetings import permissions, services, services_series
from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus, ProgressReport
from tandem.meetings.tests.factories import debriefing, report_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _series(series: MeetingSeries) -> MeetingSeries:
    return MeetingSeries.objects.prefetch_related("participants").get(pk=series.pk)


def _meetings(series: MeetingSeries) -> list[Meeting]:
    return list(Meeting.objects.filter(series=series).order_by("starts_at"))


def _split(series: MeetingSeries) -> tuple[list[Meeting], list[Meeting]]:
    now = timezone.now()
    meetings = _meetings(series)
    return [m for m in meetings if m.starts_at < now], [m for m in meetings if m.starts_at > now]


def _frozen(meetings: list[Meeting]) -> list[tuple]:
    return [
        (m.pk, m.starts_at, m.ends_at, m.status, m.title, m.location, m.time_zone) for m in meetings
    ]


def test_a_change_moves_the_meetings_ahead_and_leaves_the_past_as_it_was(cast):
    d = debriefing(cast)
    past_before, future_before = _split(d.series)
    services_series.series_update(
        actor=cast.tutor_a,
        series=d.series,
        title="Hypoxia debriefing",
        start_time=datetime.time(16, 30),
        duration_minutes=60,
        location="Room 5",
    )
    past_after, future_after = _split(d.series)
    assert _frozen(past_after) == _frozen(past_before)
    assert [m.pk for m in future_after] == [m.pk for m in future_before]
    for meeting in future_after:
        local = meeting.starts_at.astimezone(SHANGHAI)
        assert (local.hour, local.minute) == (16, 30)
        assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=60)
        assert (meeting.title, meeting.location) == ("Hypoxia debriefing", "Room 5")
    assert ProgressReport.objects.get(pk=d.report.pk).meeting_id == d.past.pk
    event = AuditEvent.objects.get(action="meeting_series.update")
    assert event.changes["start_time"] == ["14:00", "16:30"]
    assert len(event.changes["meetings"][1]["rescheduled"]) == len(future_after)


def test_a_new_time_zone_keeps_the_dates_and_the_local_time(cast):
    d = debriefing(cast)
    _past, future_before = _split(d.series)
    services_series.series_update(actor=cast.tutor_a, series=d.series, time_zone="Europe/London")
    london = ZoneInfo("Europe/London")
    for before, after in zip(future_before, _split(d.series)[1], strict=True):
        local = after.starts_at.astimezone(london)
        assert local.date() == before.starts_at.astimezone(SHANGHAI).date()
        assert local.hour == 14 and after.time_zone == "Europe/London"


def test_an_earlier_end_cancels_the_meetings_after_it_and_keeps_their_reports(cast):
    d = debriefing(cast)
    later = _split(d.series)[1][-1]
    early_report = report_for(later, cast.trainee)
    count = Meeting.objects.filter(series=d.series).count()
    services_series.series_update(
        actor=cast.tutor_a, series=d.series, until=_days(20), reason="Lab moves in the summer"
    )
    meetings = _meetings(d.series)
    assert len(meetings) == count  # nothing deleted
    cut = [m for m in meetings if m.starts_at.astimezone(SHANGHAI).date() > _days(20)]
    assert cut and {m.status for m in cut} == {MeetingStatus.CANCELLED}
    assert {m.cancel_reason for m in cut} == {"Lab moves in the summer"}
    assert ProgressReport.objects.filter(pk=early_report.pk).exists()
    kept = [m for m in meetings if m not in cut]
    assert MeetingStatus.CANCELLED not in {m.status for m in kept}


def test_a_later_end_brings_back_the_cut_meetings_and_adds_more_on_the_same_rhythm(cast):
    d = debriefing(cast)
    original_until = d.series.until
    by_hand = _split(d.series)[1][-1]
    services.meeting_cancel(actor=cast.tutor_a, meeting=by_hand, reason="Conference")
    services_series.series_update(actor=cast.tutor_a, series=d.series, until=_days(20))
    cut = {m.pk for m in _meetings(d.series) if m.status == MeetingStatus.CANCELLED}
    services_series.series_update(
        actor=cast.tutor_a, series=d.series, until=original_until + datetime.timedelta(days=28)
    )
    meetings = _meetings(d.series)
    statuses = {m.pk: m.status for m in meetings}
    assert statuses[by_hand.pk] == MeetingStatus.CANCELLED  # cancelled on its own: stays so
    assert all(statuses[pk] == MeetingStatus.SCHEDULED for pk in cut - {by_hand.pk})
    dates = [m.starts_at.astimezone(SHANGHAI).date() for m in meetings]
    assert len(dates) == 9  # seven, and two more
    assert {b - a for a, b in zip(dates, dates[1:], strict=False)} == {datetime.timedelta(weeks=2)}
    assert dates[-1] == original_until + datetime.timedelta(days=28)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mode": "online", "online_url": ""}, "online_url"),
        ({"mode": "onsite", "location": "  "}, "location"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"until": datetime.date(2000, 1, 1)}, "until"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"start_time": datetime.time(9, 0, tzinfo=datetime.UTC)}, "start_time"),
    ],
)
def test_a_bad_change_names_the_field_and_saves_nothing(cast, change, field):
    d = debriefing(cast)
    before = _frozen(_meetings(d.series))
    with pytest.raises(ValidationError) as caught:
        services_series.series_update(
            actor=cast.tutor_a, series=d.series, title="Changed", **change
        )
    assert field in caught.value.message_dict
    assert MeetingSeries.objects.get(pk=d.series.pk).title == "Oncology debriefing"
    assert _frozen(_meetings(d.series)) == before
    assert not AuditEvent.objects.filter(action="meeting_series.update").exists()


def test_a_series_runs_for_at_most_two_years(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        services_series.series_update(
            actor=cast.tutor_a,
            series=d.series,
            until=d.series.first_date + datetime.timedelta(days=800),
        )
    assert "until" in caught.value.message_dict


def test_the_end_date_cannot_move_before_today(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        services_series.series_update(actor=cast.tutor_a, series=d.series, until=_days(-2))
    assert "until" in caught.value.message_dict
    assert not Meeting.objects.filter(status=MeetingStatus.CANCELLED).exists()


def test_no_change_writes_nothing(cast):
    d = debriefing(cast)
    services_series.series_update(actor=cast.tutor_a, series=d.series, title=d.series.title)
    assert MeetingSeries.objects.get(pk=d.series.pk).sequence == 0
    assert not AuditEvent.objects.filter(action="meeting_series.update").exists()


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("tutor_a", True),
        ("coord_a", True),
        ("admin", True),
        ("tutor_b", False),
        ("coord_b", False),
        ("trainee", False),
        ("outsider", False),
    ],
)
def test_the_organizer_and_coordinators_change_the_series(cast, actor, allowed):
    d = debriefing(cast)
    # tutor_b is even invited as a tutor: running the meetings is not changing the series.
    services.participant_add(actor=cast.tutor_a, series=d.series, person=cast.tutor_b, role="tutor")
    series = _series(d.series)
    assert permissions.can_edit_series(getattr(cast, actor), series) is allowed
    if allowed:
        services_series.series_update(actor=getattr(cast, actor), series=series, title="New")
        return
    with pytest.raises(PermissionDenied):
        services_series.series_update(actor=getattr(cast, actor), series=series, title="New")
    with pytest.raises(PermissionDenied):
        services_series.series_end(
            actor=getattr(cast, actor), series=series, after=_days(0), reason="x"
        )


def test_ending_the_series_cancels_what_comes_after_and_keeps_the_rest(cast):
    d = debriefing(cast)
    past_before, future_before = _split(d.series)
    series = services_series.series_end(
        actor=cast.tutor_a, series=d.series, after=_days(10), reason="The trainees graduate"
    )
    assert series.is_ended and series.end_reason == "The trainees graduate"
    assert series.until == _days(10)
    past_after, future_after = _split(d.series)
    assert _frozen(past_after) == _frozen(past_before)
    assert future_after[0].pk == d.upcoming.pk and future_after[0].status == "scheduled"
    assert {m.status for m in future_after[1:]} == {MeetingStatus.CANCELLED}
    assert {m.cancel_reason for m in future_after[1:]} == {"The trainees graduate"}
    assert len(future_after) == len(future_before)
    event = AuditEvent.objects.get(action="meeting_series.end")
    assert event.reason == "The trainees graduate"
    assert len(event.changes["cancelled_meetings"][1]) == len(future_after) - 1
    with pytest.raises(ValidationError):
        services_series.series_update(actor=cast.tutor_a, series=d.series, title="Again")
    with pytest.raises(ValidationError):
        services_series.series_end(
            actor=cast.tutor_a, series=d.series, after=_days(10), reason="Twice"
        )


@pytest.mark.parametrize(
    ("after", "reason", "field"),
    [
        (-1, "Graduation", "after"),
        (5, "  ", "reason"),
    ],
)
def test_ending_needs_a_reason_and_a_date_not_in_the_past(cast, after, reason, field):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        services_series.series_end(
            actor=cast.tutor_a, series=d.series, after=_days(after), reason=reason
        )
    assert field in caught.value.message_dict
    assert MeetingSeries.objects.get(pk=d.series.pk).ended_at is None
    assert not Meeting.objects.filter(status=MeetingStatus.CANCELLED).exists()


def test_a_removed_trainee_is_no_longer_invited_but_their_past_stays(cast):
    d = debriefing(cast)
    services.attendance_record(
        actor=cast.tutor_a,
        meeting=d.past,
        entries=[{"person": cast.trainee, "status": "present", "site": cast.inst_b}],
    )
    services_series.participant_remove(
        actor=cast.tutor_a, series=d.series, person=cast.trainee, reason="Moved to another lab"
    )
    series = _series(d.series)
    upcoming = Meeting.objects.get(pk=d.upcoming.pk)
    upcoming.series = series
    assert not permissions.can_submit_report(cast.trainee, upcoming)
    with pytest.raises(PermissionDenied):
        report_for(upcoming, cast.trainee)
    on_the_day = time_machine.travel(upcoming.starts_at - datetime.timedelta(hours=1))
    with on_the_day, pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=cast.tutor_a,
            meeting=upcoming,
            entries=[{"person": cast.trainee, "status": "absent"}],
        )
    assert "entries.0.person" in caught.value.message_dict
    assert ProgressReport.objects.filter(pk=d.report.pk).exists()
    assert d.past.attendance.filter(person=cast.trainee, status="present").exists()
    event = AuditEvent.objects.get(action="meeting_series.remove")
    assert event.reason == "Moved to another lab"
    # Invited again later: the same row, invited from then on.
    services.participant_add(actor=cast.tutor_a, series=series, person=cast.trainee, role="trainee")
    assert [p.removed_at for p in _series(d.series).participants.all()] == [None]


def test_a_removed_tutor_no_longer_runs_the_meetings(cast):
    d = debriefing(cast)
    services.participant_add(actor=cast.tutor_a, series=d.series, person=cast.tutor_b, role="tutor")
    assert permissions.can_manage_series(cast.tutor_b, _series(d.series))
    services_series.participant_remove(actor=cast.coord_a, series=d.series, person=cast.tutor_b)
    assert not permissions.can_manage_series(cast.tutor_b, _series(d.series))


def test_the_organizer_cannot_be_removed_and_strangers_cannot_remove(cast):
    d = debriefing(cast)
    with pytest.raises(ValidationError) as caught:
        services_series.participant_remove(actor=cast.coord_a, series=d.series, person=cast.tutor_a)
    assert "person" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services_series.participant_remove(
            actor=cast.tutor_a, series=d.series, person=cast.resident
        )
    for actor in (cast.trainee, cast.tutor_b, cast.outsider):
        with pytest.raises(PermissionDenied):
            services_series.participant_remove(actor=actor, series=d.series, person=cast.trainee)
    assert not AuditEvent.objects.filter(action="meeting_series.remove").exists()


def _notified(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_everyone_invited_is_told_once_of_a_change_and_of_the_end(cast):
    d = debriefing(cast)
    services.participant_add(actor=cast.tutor_a, series=d.series, person=cast.tutor_b, role="tutor")
    services_series.series_update(
        actor=cast.coord_a, series=d.series, start_time=datetime.time(9, 0), location="Room 7"
    )
    assert _notified("series_changed") == ["trainee", "tutor_a", "tutor_b"]
    services_series.series_end(actor=cast.tutor_a, series=d.series, after=_days(10), reason="Done")
    assert _notified("series_ended") == ["trainee", "tutor_b"]  # not the one who ended it
    notification = Notification.objects.filter(kind="series_ended").first()
    assert notification.params["series"] == "Oncology debriefing"
    assert notification.url.endswith(f"/series/{d.series.pk}/")


def test_the_removed_person_is_told(cast):
    d = debriefing(cast)
    services_series.participant_remove(actor=cast.tutor_a, series=d.series, person=cast.trainee)
    assert _notified("participant_removed") == ["trainee"]


def test_the_service_never_names_a_person_the_organizer_cannot_see(cast):
    from tandem.meetings.tests.factories import make_series

    with pytest.raises(ValidationError) as caught:
        make_series(cast, actor=cast.outsider, institution=cast.inst_c, trainees=[cast.trainee])
    assert caught.value.message_dict == {"trainees": ["Not found."]}
    assert "Tina Trainee" not in str(caught.value)
    # Someone the organizer sees is still named, so they know whom to take off.
    with pytest.raises(ValidationError) as caught:
        make_series(cast, actor=cast.coord_a, institution=cast.inst_a, trainees=[cast.tutor_a])
    assert "Tom Tutor is not a trainee you can invite." in str(caught.value)
