"""The calendar feed after a series changes: read back as a calendar program would.

A program expands each recurring event (RRULE minus EXDATE) and replaces the occurrences named
by a RECURRENCE-ID with that override; it keeps one copy per UID, taking a change only when its
SEQUENCE is higher.
"""

import datetime

import icalendar
from dateutil.rrule import rrulestr
from django.urls import reverse
from django.utils import timezone

from tandem.meetings import services, services_series
from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus
from tandem.meetings.tests.factories import debriefing


def _calendar(client, token: str) -> icalendar.Calendar:
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _expand(calendar: icalendar.Calendar) -> dict[datetime.datetime, dict]:
    """{occurrence (its RECURRENCE-ID): {start, status, sequence, uid}} over all events."""
    events = calendar.walk("VEVENT")
    occurrences: dict[datetime.datetime, dict] = {}
    for master in (e for e in events if "RECURRENCE-ID" not in e):
        start = master.decoded("DTSTART")
        exdates = master.get("EXDATE", [])
        exdates = exdates if isinstance(exdates, list) else [exdates]
        excluded = {_utc(d.dt) for exdate in exdates for d in exdate.dts}
        for when in rrulestr(master["RRULE"].to_ical().decode(), dtstart=start):
            if _utc(when) not in excluded:
                occurrences[_utc(when)] = {
                    "start": _utc(when),
                    "status": "CONFIRMED",
                    "uid": str(master["UID"]),
                    "sequence": int(master["SEQUENCE"]),
                    "summary": str(master["SUMMARY"]),
                }
    for override in (e for e in events if "RECURRENCE-ID" in e):
        key = _utc(override.decoded("RECURRENCE-ID"))
        assert key in occurrences, "an override must name an occurrence of its rule"
        occurrences[key] = {
            "start": _utc(override.decoded("DTSTART")),
            "status": str(override.get("STATUS", "CONFIRMED")),
            "uid": str(override["UID"]),
            "sequence": int(override["SEQUENCE"]),
            "summary": str(override["SUMMARY"]),
        }
    return occurrences


def _by_start(occurrences: dict) -> dict[datetime.datetime, dict]:
    return {o["start"]: o for o in occurrences.values()}


def test_ending_the_series_shows_the_meetings_after_as_cancelled_in_place(cast, client_for):
    d = debriefing(cast)
    client = client_for("anonymous")
    before = _expand(_calendar(client, d.feed_token))
    services_series.series_end(
        actor=cast.tutor_a,
        series=d.series,
        after=timezone.localdate() + datetime.timedelta(days=10),
        reason="Graduation",
    )
    after = _expand(_calendar(client, d.feed_token))
    assert set(after) == set(before)  # the same occurrences, none added, none dropped
    cancelled = {
        m.starts_at for m in Meeting.objects.filter(series=d.series, status=MeetingStatus.CANCELLED)
    }
    assert cancelled
    for key, occurrence in after.items():
        assert occurrence["uid"] == before[key]["uid"] == f"meeting-series-{d.series.pk}@tandem"
        if occurrence["start"] in cancelled:
            assert occurrence["status"] == "CANCELLED"
            assert occurrence["sequence"] > before[key]["sequence"]
        else:
            assert occurrence["status"] == "CONFIRMED"
            assert occurrence["start"] == before[key]["start"]


def test_after_a_change_of_time_past_meetings_stay_where_they_were(cast, client_for):
    d = debriefing(cast)
    services_series.series_update(
        actor=cast.tutor_a, series=d.series, start_time=datetime.time(9, 15), title="Renamed"
    )
    occurrences = _by_start(_expand(_calendar(client_for("anonymous"), d.feed_token)))
    meetings = list(Meeting.objects.filter(series=d.series))
    assert set(occurrences) == {m.starts_at for m in meetings}
    assert occurrences[d.past.starts_at]["summary"] == "Oncology debriefing"
    upcoming = Meeting.objects.get(pk=d.upcoming.pk)
    assert occurrences[upcoming.starts_at]["summary"] == "Renamed"
    assert upcoming.starts_at != d.upcoming.starts_at


def test_a_removed_trainee_feed_drops_the_meetings_ahead(cast, client_for):
    d = debriefing(cast)
    services_series.participant_remove(actor=cast.tutor_a, series=d.series, person=cast.trainee)
    occurrences = _by_start(_expand(_calendar(client_for("anonymous"), d.feed_token)))
    now = timezone.now()
    past = {m.starts_at for m in Meeting.objects.filter(series=d.series, starts_at__lt=now)}
    assert set(occurrences) == past


def test_a_series_shortened_and_lengthened_again_keeps_one_event_per_date(cast, client_for):
    d = debriefing(cast)
    until = d.series.until
    services_series.series_update(
        actor=cast.tutor_a,
        series=d.series,
        until=timezone.localdate() + datetime.timedelta(days=20),
    )
    services_series.series_update(
        actor=cast.tutor_a, series=d.series, until=until + datetime.timedelta(days=14)
    )
    d.upcoming.series = MeetingSeries.objects.prefetch_related("participants").get(pk=d.series.pk)
    services.meeting_cancel(actor=cast.tutor_a, meeting=d.upcoming, reason="Holiday")
    occurrences = _by_start(_expand(_calendar(client_for("anonymous"), d.feed_token)))
    meetings = {m.starts_at: m.status for m in Meeting.objects.filter(series=d.series)}
    assert set(occurrences) == set(meetings)
    assert {start for start, o in occurrences.items() if o["status"] == "CANCELLED"} == {
        d.upcoming.starts_at
    }
