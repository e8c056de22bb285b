"""The occurrences of a debriefing series and its iCalendar form.

Times are computed in the series' own time zone (a meeting at 14:00 in Shanghai stays at 14:00
local time whatever daylight saving does elsewhere) and stored in UTC.

In the feed a series is one recurring event (UID `meeting-series-<id>@tandem`, never changed) with
the rule as the series says now, plus an override (same UID, RECURRENCE-ID naming the date of the
rhythm) for every meeting that is not what the rule says: cancelled (STATUS:CANCELLED), moved, or
a past meeting that kept its old time, place or title after the series changed. Calendar programs
then update their copy in place instead of adding a second one; SEQUENCE only ever grows.
"""

import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus

# A series runs for at most two years; a longer one is a new series.
MAX_SPAN_DAYS = 2 * 366


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def occurrence(
    day: datetime.date, *, time_zone: str, start_time: datetime.time, duration_minutes: int
) -> tuple[datetime.datetime, datetime.datetime]:
    """(start, end) of the meeting on `day` at `start_time` local time, aware, in UTC."""
    local = datetime.datetime.combine(day, start_time, tzinfo=ZoneInfo(time_zone))
    end = local + datetime.timedelta(minutes=duration_minutes)
    return local.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def occurrence_dates(
    *, first_date: datetime.date, interval_weeks: int, until: datetime.date
) -> list[datetime.date]:
    step = datetime.timedelta(weeks=interval_weeks)
    days = []
    day = first_date
    while day <= until:
        days.append(day)
        day += step
    return days


def occurrences(
    *,
    time_zone: str,
    first_date: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    interval_weeks: int,
    until: datetime.date,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) of every occurrence from `first_date` to `until`, aware, in UTC."""
    return [
        occurrence(
            day, time_zone=time_zone, start_time=start_time, duration_minutes=duration_minutes
        )
        for day in occurrence_dates(
            first_date=first_date, interval_weeks=interval_weeks, until=until
        )
    ]


def series_occurrences(series: MeetingSeries) -> list[tuple[datetime.datetime, datetime.datetime]]:
    return occurrences(
        time_zone=series.time_zone,
        first_date=series.first_date,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        interval_weeks=series.interval_weeks,
        until=series.until,
    )


def series_occurrence(
    series: MeetingSeries, day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    return occurrence(
        day,
        time_zone=series.time_zone,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
    )


# What a meeting copies from its series when it is scheduled (and while it is ahead).
MEETING_DETAILS = ("title", "time_zone", "mode", "location", "online_url")


def meeting_details(series: MeetingSeries) -> dict[str, str]:
    return {field: getattr(series, field) for field in MEETING_DETAILS}


def series_today(series: MeetingSeries) -> datetime.date:
    """Today's date where the series meets (its own time zone)."""
    return timezone.localdate(timezone=ZoneInfo(series.time_zone))


def slot_date(meeting: Meeting, series: MeetingSeries) -> datetime.date:
    """The date of the series' rhythm a meeting stands for: its local date where it was
    scheduled (a series keeps its dates when its time or time zone changes)."""
    zone = ZoneInfo(meeting.time_zone or series.time_zone)
    return meeting.starts_at.astimezone(zone).date()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _uid(series: MeetingSeries) -> str:
    # Never change this: calendar programs match updates and cancellations on it.
    return f"meeting-series-{series.pk}@tandem"


def _where(event: icalendar.Event, location: str, online_url: str) -> None:
    if location or online_url:
        event.add("location", location or online_url)
    if online_url:
        event.add("url", online_url)


def _master(
    series: MeetingSeries, last_day: datetime.date, missing: list[datetime.date]
) -> icalendar.Event:
    """The series as one recurring event, its rule as the series says now."""
    zone = ZoneInfo(series.time_zone)
    start = datetime.datetime.combine(series.first_date, series.start_time, tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", _uid(series))
    event.add("dtstamp", series.updated_at)
    event.add("last-modified", series.updated_at)
    event.add("sequence", series.sequence)
    event.add("summary", series.title)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=series.duration_minutes))
    # UNTIL in UTC (RFC 5545 requires it when DTSTART has a time zone): the end of the last day.
    last = datetime.datetime.combine(last_day, datetime.time(23, 59, 59), tzinfo=zone)
    event.add(
        "rrule",
        {
            "freq": "weekly",
            "interval": series.interval_weeks,
            "until": last.astimezone(datetime.UTC),
        },
    )
    for day in missing:
        event.add("exdate", datetime.datetime.combine(day, series.start_time, tzinfo=zone))
    _where(event, series.location, series.online_url)
    link = _absolute(reverse("meetings:series_detail", args=[series.pk]))
    event.add("description", f"{series.description}\n\n{link}".strip())
    return event


def _differs(meeting: Meeting, series: MeetingSeries, day: datetime.date) -> bool:
    if meeting.status == MeetingStatus.CANCELLED or meeting.sequence > series.sequence:
        return True
    if (meeting.starts_at, meeting.ends_at) != series_occurrence(series, day):
        return True
    return any(
        getattr(meeting, f) != getattr(series, f) for f in ("title", "location", "online_url")
    )


def _override(series: MeetingSeries, meeting: Meeting, day: datetime.date) -> icalendar.Event:
    """One occurrence that is not as the rule says: moved, renamed, or cancelled. Same UID,
    RECURRENCE-ID naming the occurrence, its own SEQUENCE."""
    zone = ZoneInfo(series.time_zone)
    own_zone = ZoneInfo(meeting.time_zone or series.time_zone)
    event = icalendar.Event()
    event.add("uid", _uid(series))
    event.add("recurrence-id", datetime.datetime.combine(day, series.start_time, tzinfo=zone))
    event.add("dtstamp", series.updated_at)
    event.add("sequence", max(series.sequence, meeting.sequence))
    event.add("summary", meeting.title or series.title)
    event.add("dtstart", meeting.starts_at.astimezone(own_zone))
    event.add("dtend", meeting.ends_at.astimezone(own_zone))
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    _where(event, meeting.location, meeting.online_url)
    link = _absolute(reverse("meetings:meeting_detail", args=[meeting.pk]))
    event.add("description", f"{meeting.cancel_reason}\n\n{link}".strip())
    return event


def series_events(
    series: MeetingSeries, meetings: list[Meeting], before: datetime.datetime | None = None
) -> list[icalendar.Event]:
    """The recurring event of a series and an override per meeting that differs from it.
    `before`: only the meetings starting before then (a person taken off the series)."""
    if before is not None:
        meetings = [m for m in meetings if m.starts_at < before]
    by_day = {slot_date(m, series): m for m in meetings}
    if not by_day:
        return []
    last_day = max(by_day)
    days = occurrence_dates(
        first_date=series.first_date, interval_weeks=series.interval_weeks, until=last_day
    )
    events = [_master(series, last_day, [d for d in days if d not in by_day])]
    for day in days:
        meeting = by_day.get(day)
        if meeting is not None and _differs(meeting, series, day):
            events.append(_override(series, meeting, day))
    return events
