"""Apply a rule set to one resident's shifts.

Durations are computed in UTC (a day of a daylight-saving change has 23 or 25 hours); days and
weeks are the calendar days and Monday-to-Sunday weeks of the rule set's time zone. "Averaged
over 4 weeks" means every run of 28 consecutive local days (decision 107): a rolling window, so
a heavy fortnight cannot hide by straddling two fixed blocks. Consecutive windows that break the
same rule are reported as one violation spanning them all.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tandem.workhours.rules.model import (
    CONTINUOUS_DUTY,
    DAYS_OFF,
    HANDOVER,
    IN_HOUSE_KINDS,
    REST,
    WEEKLY_HOURS,
    Limits,
    Shift,
    Violation,
)

UTC = datetime.UTC
Interval = tuple[datetime.datetime, datetime.datetime]
ONE_DAY = datetime.timedelta(days=1)


def _seconds(hours: float) -> int:
    return round(hours * 3600)


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint; intervals that touch are joined (no rest between them)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass
class _Worked:
    """Seconds worked before any instant, in O(log n): prefix sums over a disjoint union."""

    intervals: list[Interval]

    def __post_init__(self) -> None:
        self.starts = [start for start, _end in self.intervals]
        self.before = [0]
        for start, end in self.intervals:
            self.before.append(self.before[-1] + int((end - start).total_seconds()))

    def until(self, moment: datetime.datetime) -> int:
        index = bisect.bisect_right(self.starts, moment)
        if index == 0:
            return 0
        start, end = self.intervals[index - 1]
        partial = int((min(moment, end) - start).total_seconds())
        return self.before[index - 1] + partial

    def between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        return self.until(end) - self.until(start)


def _midnight(day: datetime.date, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=tz).astimezone(UTC)


def _local_day(moment: datetime.datetime, tz: ZoneInfo) -> datetime.date:
    return moment.astimezone(tz).date()


def _day_range(shifts: Sequence[Shift], tz: ZoneInfo) -> tuple[datetime.date, datetime.date]:
    first = min(_local_day(s.start, tz) for s in shifts)
    last = max(_local_day(s.end - datetime.timedelta(microseconds=1), tz) for s in shifts)
    return first, last


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    runs: list[tuple[int, int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _window_rules(
    shifts: Sequence[Shift], limits: Limits, tz: ZoneInfo, worked: _Worked
) -> list[Violation]:
    first, last = _day_range(shifts, tz)
    span = limits.window_days
    origin = first - datetime.timedelta(days=span - 1)
    day_count = (last - origin).days + 1
    midnights = [_midnight(origin + ONE_DAY * i, tz) for i in range(day_count + span)]
    cumulative = [worked.until(m) for m in midnights]
    free = [cumulative[i + 1] == cumulative[i] for i in range(day_count + span - 1)]
    free_before = [0]
    for flag in free:
        free_before.append(free_before[-1] + int(flag))

    hour_limit = _seconds(limits.window_hour_limit)
    window_hours = [cumulative[i + span] - cumulative[i] for i in range(day_count)]
    window_free = [free_before[i + span] - free_before[i] for i in range(day_count)]

    found: list[Violation] = []
    for first_index, last_index in _runs([h > hour_limit for h in window_hours]):
        worst = max(window_hours[first_index : last_index + 1])
        found.append(
            Violation(
                rule=WEEKLY_HOURS,
                start=midnights[first_index].astimezone(tz),
                end=midnights[last_index + span].astimezone(tz),
                value=worst / 3600 / limits.averaging_weeks,
                limit=limits.max_weekly_hours,
            )
        )
    needed = limits.window_free_days
    for first_index, last_index in _runs([f < needed for f in window_free]):
        fewest = min(window_free[first_index : last_index + 1])
        found.append(
            Violation(
                rule=DAYS_OFF,
                start=midnights[first_index].astimezone(tz),
                end=midnights[last_index + span].astimezone(tz),
                value=float(fewest),
                limit=needed,
            )
        )
    return found


def _refs(shifts: Sequence[Shift], start: datetime.datetime, end: datetime.datetime) -> tuple:
    return tuple(s.ref for s in shifts if s.ref is not None and s.start <= end and s.end >= start)


def _period_rules(shifts: Sequence[Shift], limits: Limits, tz: ZoneInfo) -> list[Violation]:
    in_house = [s for s in shifts if s.kind in IN_HOUSE_KINDS]
    periods = _union((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in in_house)
    not_handover = _Worked(
        _union(
            (s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in in_house if s.kind != HANDOVER
        )
    )
    found: list[Violation] = []
    with_handover = _seconds(limits.max_continuous_hours + limits.handover_hours)
    duty_only = _seconds(limits.max_continuous_hours)
    for start, end in periods:
        total = int((end - start).total_seconds())
        duty = not_handover.between(start, end)
        value, limit = None, 0.0
        if total > with_handover:
            value, limit = total, limits.max_continuous_hours + limits.handover_hours
        elif duty > duty_only:
            value, limit = duty, limits.max_continuous_hours
        if value is not None:
            found.append(
                Violation(
                    rule=CONTINUOUS_DUTY,
                    start=start.astimezone(tz),
                    end=end.astimezone(tz),
                    value=value / 3600,
                    limit=limit,
                    refs=_refs(in_house, start, end),
                )
            )
    long_duty = _seconds(limits.long_duty_hours)
    for (start, end), (next_start, _next_end) in zip(periods, periods[1:], strict=False):
        was_long = int((end - start).total_seconds()) >= long_duty
        needed = limits.rest_after_long_hours if was_long else limits.min_rest_hours
        gap = int((next_start - end).total_seconds())
        if gap < _seconds(needed):
            found.append(
                Violation(
                    rule=REST,
                    start=end.astimezone(tz),
                    end=next_start.astimezone(tz),
                    value=gap / 3600,
                    limit=needed,
                    refs=_refs(in_house, end, next_start),
                )
            )
    return found


def check(shifts: Sequence[Shift], limits: Limits, tz: ZoneInfo) -> list[Violation]:
    """Every violation of `limits` by these shifts (one resident's), ordered by start."""
    if not shifts:
        return []
    worked = _Worked(_union((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in shifts))
    found = _window_rules(shifts, limits, tz, worked) + _period_rules(shifts, limits, tz)
    found.sort(key=lambda v: (v.start, v.rule))
    return found


def weekly_hours(shifts: Sequence[Shift], tz: ZoneInfo) -> dict[datetime.date, float]:
    """Hours worked in each local Monday-to-Sunday week from the first shift's to the last's,
    keyed by the Monday (weeks without work included, as 0)."""
    if not shifts:
        return {}
    worked = _Worked(_union((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in shifts))
    first, last = _day_range(shifts, tz)
    monday = first - datetime.timedelta(days=first.weekday())
    weeks: dict[datetime.date, float] = {}
    while monday <= last:
        following = monday + datetime.timedelta(days=7)
        seconds = worked.between(_midnight(monday, tz), _midnight(following, tz))
        weeks[monday] = seconds / 3600
        monday = following
    return weeks
