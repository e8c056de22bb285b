"""The standards function against plain day-by-day references, and month boundaries."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.quality import compliance as c

DAY = datetime.timedelta(days=1)
MONTH = datetime.date(2026, 3, 1)
TODAY = datetime.date(2026, 12, 31)  # after every month tested: nothing pending


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += DAY


def reference_peak(stints, first, last):
    """Day by day: how many residents each teacher has; the most and its first day."""
    result = {}
    for day in _days(first, last):
        counts = {}
        for s in stints:
            if s.teacher_id is not None and s.start <= day <= s.end:
                counts.setdefault(s.teacher_id, set()).add((s.resident_id, s.start))
        for teacher, residents in counts.items():
            if teacher not in result or len(residents) > result[teacher][0]:
                result[teacher] = (len(residents), day)
    return result


def reference_frequency_missed(rule, days, first, last):
    """Weeks (windows) overlapping the month whose activities are fewer than asked."""
    missed = []
    for start, end in c.windows(rule, first, last):
        if sum(1 for d in days if start <= d <= end) < rule.count:
            missed.append((start, end))
    return missed


dates = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2026, 6, 30))


@st.composite
def stint(draw):
    start = draw(dates)
    length = draw(st.integers(min_value=0, max_value=60))
    return c.StintFact(
        resident_id=draw(st.integers(1, 30)),
        department_id=1,
        start=start,
        end=start + datetime.timedelta(days=length),
        teacher_id=draw(st.sampled_from([None, 100, 101, 102])),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(stint(), max_size=25))
def test_peak_load_matches_counting_day_by_day(stints):
    # One stint per resident and start: the reference counts residents, the sweep stints.
    unique = {(s.resident_id, s.start): s for s in stints}.values()
    first, last = c.month_bounds(MONTH)
    assert c.peak_load(unique, first, last) == reference_peak(list(unique), first, last)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(dates, max_size=30),
    st.integers(1, 3),
    st.integers(1, 4),
    st.sampled_from(["day", "week", "month"]),
)
def test_frequency_matches_counting_window_by_window(days, count, period, unit):
    rule = c.Rule(id=1, kind=c.FREQUENCY, activity_kind_id=7, count=count, period=period, unit=unit)
    facts = c.Facts([1], [c.ActivityFact(1, 7, d) for d in days] + [c.ActivityFact(1, 8, MONTH)])
    [outcome] = c.evaluate([rule], facts, MONTH, today=TODAY)
    first, last = c.month_bounds(MONTH)
    expected = reference_frequency_missed(rule, days, first, last)
    assert [(e["start"], e["end"]) for e in outcome.evidence] == expected
    assert outcome.status == (c.MISSED if expected else c.MET)


def test_windows_are_fixed_weeks_from_monday_and_cover_the_month():
    rule = c.Rule(id=1, kind=c.FREQUENCY, activity_kind_id=1, period=2, unit="week")
    found = c.windows(rule, *c.month_bounds(datetime.date(2026, 12, 1)))
    assert all(start.weekday() == 0 and (end - start).days == 13 for start, end in found)
    assert found[0][0] <= datetime.date(2026, 12, 1) and found[-1][1] >= datetime.date(2026, 12, 31)
    # The same window in the next month: a window means the same everywhere.
    following = c.windows(rule, *c.month_bounds(datetime.date(2027, 1, 1)))
    assert following[0] == found[-1] or following[0][0] == found[-1][1] + DAY


def test_a_week_short_of_a_round_is_named_and_a_running_week_is_pending():
    rule = c.Rule(id=1, kind=c.FREQUENCY, activity_kind_id=7, count=1, period=1, unit="week")
    # December 2026: Mondays 30 Nov, 7, 14, 21, 28 Dec. A round every week but 14-20 Dec.
    held = [datetime.date(2026, 12, d) for d in (1, 9, 23, 29)]
    facts = c.Facts([1], [c.ActivityFact(1, 7, d) for d in held])
    [outcome] = c.evaluate(
        [rule], facts, datetime.date(2026, 12, 1), today=datetime.date(2027, 1, 5)
    )
    assert outcome.status == c.MISSED
    assert [(e["start"], e["end"]) for e in outcome.evidence] == [
        (datetime.date(2026, 12, 14), datetime.date(2026, 12, 20))
    ]
    # Seen on 16 December, the week of the 14th is still running: pending, not missed.
    [outcome] = c.evaluate(
        [rule], facts, datetime.date(2026, 12, 1), today=datetime.date(2026, 12, 16)
    )
    assert outcome.status == c.PENDING


def test_orientation_within_days_of_each_rotation_start():
    rule = c.Rule(id=2, kind=c.ORIENTATION, within_days=3)
    stints = [
        c.StintFact(1, 1, datetime.date(2026, 3, 2), datetime.date(2026, 3, 29)),
        c.StintFact(2, 1, datetime.date(2026, 3, 16), datetime.date(2026, 4, 12)),
        c.StintFact(3, 1, datetime.date(2026, 2, 23), datetime.date(2026, 3, 22)),  # February
    ]
    activities = [
        c.ActivityFact(1, 5, datetime.date(2026, 3, 4)),  # 2 days after the first start
        c.ActivityFact(1, 5, datetime.date(2026, 3, 20)),  # 4 days after the second: too late
    ]
    [outcome] = c.evaluate(
        [rule], c.Facts([1], activities, stints), MONTH, today=TODAY, orientation_kind_id=5
    )
    assert outcome.status == c.MISSED
    assert [e["resident_id"] for e in outcome.evidence] == [2]


def test_teacher_over_the_limit_is_named_with_the_day():
    rule = c.Rule(id=3, kind=c.TEACHER_LOAD, count=2)
    stints = [
        c.StintFact(r, 1, datetime.date(2026, 3, 1 + r), datetime.date(2026, 3, 28), teacher_id=9)
        for r in range(1, 4)
    ] + [c.StintFact(7, 1, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), teacher_id=8)]
    [outcome] = c.evaluate([rule], c.Facts([1], [], stints), MONTH, today=TODAY)
    assert outcome.status == c.MISSED
    assert outcome.evidence == [{"teacher_id": 9, "residents": 3, "day": datetime.date(2026, 3, 4)}]


def test_month_bounds_at_year_and_leap_boundaries():
    assert c.month_bounds(datetime.date(2026, 12, 31)) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )
    assert c.month_bounds(datetime.date(2028, 2, 10))[1] == datetime.date(2028, 2, 29)
    rule = c.Rule(id=1, kind=c.FREQUENCY, activity_kind_id=1, period=3, unit="month")
    assert c.window_of(rule, datetime.date(2026, 5, 31)) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )
