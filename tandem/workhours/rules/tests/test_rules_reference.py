"""Every rule against a plain reference: the shifts are cut into quarter-hour slots of UTC time
and each rule is counted slot by slot (no interval arithmetic, no prefix sums). Shifts are
random, on a quarter-hour grid, across midnight, week boundaries and — in America/New_York — the
daylight-saving changes of 8 March and 1 November 2026."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.workhours.rules import KINDS, Limits, Shift, check, weekly_hours
from tandem.workhours.rules.model import HANDOVER, IN_HOUSE_KINDS

NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
SLOT = datetime.timedelta(minutes=15)
UTC = datetime.UTC
# Starting points a few weeks before each change, so the 4-week windows straddle it.
ORIGINS = [
    datetime.datetime(2026, 2, 20, 5, 0, tzinfo=UTC),  # before spring forward (8 March)
    datetime.datetime(2026, 10, 12, 4, 0, tzinfo=UTC),  # before fall back (1 November)
    datetime.datetime(2026, 6, 1, 4, 0, tzinfo=UTC),  # no change
]


# --------------------------------------------------------------------------- the reference


def slots_of(shifts):
    """slot number (quarter hours since the epoch, UTC) -> the kinds worked in it."""
    slots: dict[int, set[str]] = {}
    for shift in shifts:
        moment = shift.start.astimezone(UTC)
        while moment < shift.end.astimezone(UTC):
            key = int(moment.timestamp()) // 900
            slots.setdefault(key, set()).add(shift.kind)
            moment += SLOT
    return slots


def slot_time(key):
    return datetime.datetime.fromtimestamp(key * 900, tz=UTC)


def local_midnight(day, tz):
    return datetime.datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def slot_keys_between(start, end):
    return range(int(start.timestamp()) // 900, int(end.timestamp()) // 900)


def reference(shifts, limits, tz):
    slots = slots_of(shifts)
    if not slots:
        return []
    first = slot_time(min(slots)).astimezone(tz).date()
    last = slot_time(max(slots)).astimezone(tz).date()
    span = limits.window_days
    found = []

    # Windows: each run of 28 (span) local days whose first day is from first-27 to last.
    day = first - datetime.timedelta(days=span - 1)
    window_rows = []
    while day <= last:
        start = local_midnight(day, tz)
        end = local_midnight(day + datetime.timedelta(days=span), tz)
        hours = sum(1 for k in slot_keys_between(start, end) if k in slots) / 4
        free = 0
        for offset in range(span):
            d = day + datetime.timedelta(days=offset)
            keys = slot_keys_between(
                local_midnight(d, tz), local_midnight(d + datetime.timedelta(1), tz)
            )
            if not any(k in slots for k in keys):
                free += 1
        window_rows.append((start, end, hours, free))
        day += datetime.timedelta(days=1)

    def merge(rule, bad, value_of, pick, limit):
        run = []
        for row in window_rows + [None]:
            if row is not None and bad(row):
                run.append(row)
                continue
            if run:
                found.append(
                    (rule, run[0][0], run[-1][1], round(pick(value_of(r) for r in run), 6), limit)
                )
                run = []

    merge(
        "weekly_hours",
        lambda r: r[2] > limits.max_weekly_hours * limits.averaging_weeks,
        lambda r: r[2] / limits.averaging_weeks,
        max,
        limits.max_weekly_hours,
    )
    merge(
        "days_off",
        lambda r: r[3] < limits.free_days_per_week * limits.averaging_weeks,
        lambda r: float(r[3]),
        min,
        limits.free_days_per_week * limits.averaging_weeks,
    )

    # Periods: runs of consecutive slots with in-house work.
    in_house = sorted(k for k, kinds in slots.items() if kinds & IN_HOUSE_KINDS)
    periods = []
    for key in in_house:
        if periods and periods[-1][-1] == key - 1:
            periods[-1].append(key)
        else:
            periods.append([key])
    for period in periods:
        total = len(period) / 4
        duty = sum(1 for k in period if (slots[k] & IN_HOUSE_KINDS) - {HANDOVER}) / 4
        start, end = slot_time(period[0]), slot_time(period[-1]) + SLOT
        if total > limits.max_continuous_hours + limits.handover_hours:
            found.append(
                (
                    "continuous_duty",
                    start,
                    end,
                    total,
                    limits.max_continuous_hours + limits.handover_hours,
                )
            )
        elif duty > limits.max_continuous_hours:
            found.append(("continuous_duty", start, end, duty, limits.max_continuous_hours))
    for period, following in zip(periods, periods[1:], strict=False):
        needed = (
            limits.rest_after_long_hours
            if len(period) / 4 >= limits.long_duty_hours
            else limits.min_rest_hours
        )
        gap = (following[0] - period[-1] - 1) / 4
        if gap < needed:
            found.append(
                ("rest", slot_time(period[-1]) + SLOT, slot_time(following[0]), gap, needed)
            )
    return sorted(found, key=lambda v: (v[1], v[0]))


def reference_weeks(shifts, tz):
    slots = slots_of(shifts)
    weeks: dict[datetime.date, float] = {}
    for key in slots:
        day = slot_time(key).astimezone(tz).date()
        monday = day - datetime.timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + 0.25
    return weeks


def as_tuples(violations):
    return sorted(
        (
            (v.rule, v.start.astimezone(UTC), v.end.astimezone(UTC), round(v.value, 6), v.limit)
            for v in violations
        ),
        key=lambda v: (v[1], v[0]),
    )


# --------------------------------------------------------------------------- strategies


@st.composite
def shift_sequences(draw, tz=NEW_YORK):
    """Shifts one after another with random gaps (zero included: back-to-back shifts form one
    period), random lengths up to 36 h, random kinds, in local time of `tz`."""
    moment = draw(st.sampled_from(ORIGINS)) + SLOT * draw(st.integers(0, 96))
    shifts = []
    for _ in range(draw(st.integers(0, 40))):
        moment += SLOT * draw(st.one_of(st.just(0), st.integers(1, 24), st.integers(24, 200)))
        length = SLOT * draw(st.integers(1, 144))
        kind = draw(st.sampled_from(KINDS))
        shifts.append(
            Shift(start=moment.astimezone(tz), end=(moment + length).astimezone(tz), kind=kind)
        )
        moment += length
    return shifts


limit_sets = st.builds(
    Limits,
    code=st.just("custom"),
    max_weekly_hours=st.sampled_from([20, 40, 60, 80]),
    averaging_weeks=st.integers(1, 4),
    free_days_per_week=st.sampled_from([0.5, 1, 2]),
    max_continuous_hours=st.sampled_from([6, 12, 16, 24]),
    handover_hours=st.sampled_from([0, 2, 4]),
    min_rest_hours=st.sampled_from([4, 8, 10]),
    long_duty_hours=st.sampled_from([12, 24]),
    rest_after_long_hours=st.sampled_from([10, 14]),
)

RELAXED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(shifts=shift_sequences(), limits=limit_sets)
def test_every_rule_matches_the_reference_in_new_york(shifts, limits):
    assert as_tuples(check(shifts, limits, NEW_YORK)) == reference(shifts, limits, NEW_YORK)


@RELAXED
@given(shifts=shift_sequences(tz=SHANGHAI), limits=limit_sets)
def test_every_rule_matches_the_reference_in_shanghai(shifts, limits):
    assert as_tuples(check(shifts, limits, SHANGHAI)) == reference(shifts, limits, SHANGHAI)


@RELAXED
@given(shifts=shift_sequences())
def test_weekly_hours_match_the_reference(shifts):
    ours = {monday: hours for monday, hours in weekly_hours(shifts, NEW_YORK).items() if hours}
    assert ours == reference_weeks(shifts, NEW_YORK)


@RELAXED
@given(shifts=shift_sequences(), limits=limit_sets)
def test_the_order_of_the_shifts_does_not_matter(shifts, limits):
    assert check(list(reversed(shifts)), limits, NEW_YORK) == check(shifts, limits, NEW_YORK)
