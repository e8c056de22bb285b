"""Planned shifts from a rota pattern: the residency schedule places a resident in a department
for a run of blocks; the department's pattern says which days are worked and when, and how often
a resident takes a 24-hour call. The result goes through the same `check` as logged shifts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tandem.workhours.rules.model import DUTY, HANDOVER, ON_CALL, Shift


@dataclass(frozen=True)
class Pattern:
    """`weekdays`: 0 = Monday … 6 = Sunday. A day shift whose end is not after its start runs
    into the next day. Every `call_every` days (counted from the stint's first day, 0 = never)
    the day shift is replaced by a call of `call_hours` from `day_start`, followed by
    `handover_hours` of handover."""

    weekdays: frozenset[int] = field(default_factory=lambda: frozenset({0, 1, 2, 3, 4}))
    day_start: datetime.time = datetime.time(8, 0)
    day_end: datetime.time = datetime.time(17, 0)
    call_every: int = 0
    call_hours: float = 24
    handover_hours: float = 0


def expand_pattern(
    first_day: datetime.date, last_day: datetime.date, pattern: Pattern, tz: ZoneInfo
) -> list[Shift]:
    shifts: list[Shift] = []
    day = first_day
    offset = 0
    while day <= last_day:
        start = datetime.datetime.combine(day, pattern.day_start, tzinfo=tz)
        is_call = pattern.call_every > 0 and offset % pattern.call_every == 0
        if is_call:
            call_end = (
                start.astimezone(datetime.UTC) + datetime.timedelta(hours=pattern.call_hours)
            ).astimezone(tz)
            shifts.append(Shift(start=start, end=call_end, kind=ON_CALL))
            if pattern.handover_hours > 0:
                handover_end = (
                    call_end.astimezone(datetime.UTC)
                    + datetime.timedelta(hours=pattern.handover_hours)
                ).astimezone(tz)
                shifts.append(Shift(start=call_end, end=handover_end, kind=HANDOVER))
        elif day.weekday() in pattern.weekdays:
            end_day = day if pattern.day_end > pattern.day_start else day + datetime.timedelta(1)
            end = datetime.datetime.combine(end_day, pattern.day_end, tzinfo=tz)
            shifts.append(Shift(start=start, end=end, kind=DUTY))
        day += datetime.timedelta(days=1)
        offset += 1
    return _without_overlaps(shifts)


def _without_overlaps(shifts: list[Shift]) -> list[Shift]:
    """A day shift that starts while the previous call (and handover) is still running is
    dropped: the resident is post-call."""
    kept: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: s.start):
        if kept and shift.kind == DUTY and shift.start < kept[-1].end:
            continue
        kept.append(shift)
    return kept
