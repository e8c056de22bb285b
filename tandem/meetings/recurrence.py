"""The occurrences of a debriefing series and its iCalendar form.

Times are computed in the series' own time zone (a meeting at 14:00 in Shanghai stays at 14:00
local time whatever daylight saving does elsewhere) and stored in UTC.
"""

import datetime
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar
from django.conf import settings
from django.urls import reverse

from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus

# A series runs for at most two years; a longer one is a new series.
MAX_SPAN_DAYS = 2 * 366


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


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
    zone = ZoneInfo(time_zone)
    step = datetime.timedelta(weeks=interval_weeks)
    length = datetime.timedelta(minutes=duration_minutes)
    result = []
    day = first_date
    while day <= until:
        local = datetime.datetime.combine(day, start_time, tzinfo=zone)
        start = local.astimezone(datetime.UTC)
        result.append((start, (local + length).astimezone(datetime.UTC)))
        day += step
    return result


def series_occurrences(series: MeetingSeries) -> list[tuple[datetime.datetime, datetime.datetime]]:
    return occurrences(
        time_zone=series.time_zone, first_date=series.first_date, start_time=series.start_time,
        duration_minutes=series.duration_minutes, interval_weeks=series.interval_weeks,
        until=series.until,
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _event(series: MeetingSeries, cancelled: list[Meeting]) -> icalendar.Event:
    zone = ZoneInfo(series.time_zone)
    start = datetime.datetime.combine(series.first_date, series.start_time, tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", f"meeting-series-{series.pk}@tandem")
    event.add("dtstamp", series.created_at)
    event.add("summary", series.title)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=series.duration_minutes))
    # UNTIL in UTC (RFC 5545 requires it when DTSTART has a time zone): the end of the last day.
    last = datetime.datetime.combine(series.until, datetime.time(23, 59, 59), tzinfo=zone)
    event.add("rrule", {
        "freq": "weekly", "interval": series.interval_weeks,
        "until": last.astimezone(datetime.UTC),
    })
    for meeting in cancelled:
        event.add("exdate", meeting.starts_at.astimezone(zone))
    where = series.location or series.online_url
    if where:
        event.add("location", where)
    if series.online_url:
        event.add("url", series.online_url)
    description = series.description
    link = _absolute(reverse("meetings:series_detail", args=[series.pk]))
    event.add("description", f"{description}\n\n{link}".strip())
    return event


def calendar_for(series_list: Iterable[MeetingSeries], name: str) -> bytes:
    """An iCalendar document with one recurring event per series, its cancelled occurrences
    as EXDATE, and a VTIMEZONE for every time zone used."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Debriefing meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for series in series_list:
        cancelled = [
            m for m in getattr(series, "all_meetings", [])
            if m.status == MeetingStatus.CANCELLED
        ]
        calendar.add_component(_event(series, cancelled))
    calendar.add_missing_timezones()
    return calendar.to_ical()
