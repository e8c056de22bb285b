"""What the rule library reads and returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DUTY = "duty"
ON_CALL = "on_call"
HANDOVER = "handover"
HOME_CALL = "home_call"
KINDS = (DUTY, ON_CALL, HANDOVER, HOME_CALL)
# Time in the hospital: the continuous-duty and rest rules look at these only. Home call (the
# time actually worked while on call from home) counts towards the hours and spoils a free day,
# but does not start or break a period of continuous duty.
IN_HOUSE_KINDS = frozenset({DUTY, ON_CALL, HANDOVER})

WEEKLY_HOURS = "weekly_hours"
DAYS_OFF = "days_off"
CONTINUOUS_DUTY = "continuous_duty"
REST = "rest"
RULES = (WEEKLY_HOURS, DAYS_OFF, CONTINUOUS_DUTY, REST)


@dataclass(frozen=True)
class Shift:
    """One stretch of work. `start` and `end` are aware datetimes; `end` after `start` (a shift
    may run across midnight). `ref` is whatever the caller uses to find it again."""

    start: datetime.datetime
    end: datetime.datetime
    kind: str = DUTY
    ref: int | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("shift times must be aware datetimes")
        # In UTC: two times of one zone compare by their wall clocks, so 01:30 EDT and 01:10 EST
        # (the night the clocks go back, `fold=1`) would compare the wrong way round.
        if self.end.astimezone(datetime.UTC) <= self.start.astimezone(datetime.UTC):
            raise ValueError("a shift ends after it starts")
        if self.kind not in KINDS:
            raise ValueError(f"unknown shift kind {self.kind!r}")


@dataclass(frozen=True)
class Limits:
    """One regulator's rule set with its numbers. Hours may be fractional."""

    code: str
    max_weekly_hours: float = 80
    averaging_weeks: int = 4
    free_days_per_week: float = 1
    max_continuous_hours: float = 24
    handover_hours: float = 4
    min_rest_hours: float = 8
    long_duty_hours: float = 24
    rest_after_long_hours: float = 14

    def __post_init__(self) -> None:
        if self.averaging_weeks < 1:
            raise ValueError("average over at least one week")

    @property
    def window_days(self) -> int:
        return 7 * self.averaging_weeks

    @property
    def window_hour_limit(self) -> float:
        return self.max_weekly_hours * self.averaging_weeks

    @property
    def window_free_days(self) -> float:
        return self.free_days_per_week * self.averaging_weeks


@dataclass(frozen=True)
class Violation:
    """A rule broken over [start, end) (aware datetimes in the rule set's time zone).

    - weekly_hours: the union of the 4-week windows whose average is above the limit; `value`
      is the highest average hours per week among them, `limit` the weekly maximum.
    - days_off: the union of the windows with too few free days; `value` the fewest free days
      in one window, `limit` the free days a window needs.
    - continuous_duty: the period of continuous duty; `value` its hours (or its hours without
      handover, when that part alone is too long), `limit` the maximum broken.
    - rest: the gap between two periods of duty; `value` its hours, `limit` the rest needed.
    """

    rule: str
    start: datetime.datetime
    end: datetime.datetime
    value: float
    limit: float
    refs: tuple[int, ...] = ()

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600
