"""Named cases of the rule library, worked out by hand."""

import datetime
from zoneinfo import ZoneInfo

from tandem.workhours.rules import (
    ACGME,
    CHINA_BASE,
    Pattern,
    Shift,
    check,
    expand_pattern,
    weekly_hours,
)

NY = ZoneInfo("America/New_York")


def at(day, hour, minute=0):
    return datetime.datetime(2026, *day, hour, minute, tzinfo=NY)


def test_a_night_shift_across_midnight_counts_its_hours_on_both_days():
    shift = Shift(start=at((3, 2), 20), end=at((3, 3), 8))
    assert weekly_hours([shift], NY) == {datetime.date(2026, 3, 2): 12}


def test_the_night_of_the_fall_back_change_is_one_hour_longer():
    # 31 October 20:00 to 1 November 08:00 local: the clocks go back at 2:00, so 13 hours.
    shift = Shift(start=at((10, 31), 20), end=at((11, 1), 8), kind="on_call")
    assert weekly_hours([shift], NY) == {datetime.date(2026, 10, 26): 13}


def test_a_call_of_24_hours_with_4_of_handover_is_allowed_and_one_more_hour_is_not():
    call = Shift(start=at((6, 1), 8), end=at((6, 2), 8), kind="on_call")
    handover = Shift(start=at((6, 2), 8), end=at((6, 2), 12), kind="handover")
    assert [v.rule for v in check([call, handover], ACGME, NY)] == []
    longer = Shift(start=at((6, 2), 8), end=at((6, 2), 13), kind="handover")
    (violation,) = check([call, longer], ACGME, NY)
    assert (violation.rule, violation.value, violation.limit) == ("continuous_duty", 29, 28)
    assert violation.start == at((6, 1), 8) and violation.end == at((6, 2), 13)


def test_rest_after_a_24_hour_call_must_be_14_hours():
    call = Shift(start=at((6, 1), 8), end=at((6, 2), 8), kind="on_call")
    next_day = Shift(start=at((6, 2), 20), end=at((6, 3), 6))
    (violation,) = check([call, next_day], ACGME, NY)
    assert (violation.rule, violation.value, violation.limit) == ("rest", 12, 14)
    assert (violation.start, violation.end) == (at((6, 2), 8), at((6, 2), 20))


def test_eighty_five_hours_a_week_for_four_weeks_breaks_the_weekly_average():
    shifts = []
    for week in range(4):
        for day in range(5):
            start = datetime.datetime(2026, 6, 1, 6, tzinfo=NY) + datetime.timedelta(
                days=7 * week + day
            )
            shifts.append(Shift(start=start, end=start + datetime.timedelta(hours=17)))
    rules = {v.rule: v for v in check(shifts, ACGME, NY)}
    assert rules["weekly_hours"].value == 85
    # Every 28-day window holding 19 of the 20 shifts (323 h) breaks it too: 29 May – 29 June.
    assert rules["weekly_hours"].start == at((5, 29), 0)
    assert rules["weekly_hours"].end == at((6, 30), 0)
    assert "days_off" not in rules


def test_the_chinese_base_keeps_its_own_week():
    shifts = []
    for day in range(28):
        if day % 7 == 6:
            continue
        start = datetime.datetime(2026, 6, 1, 8, tzinfo=NY) + datetime.timedelta(days=day)
        shifts.append(Shift(start=start, end=start + datetime.timedelta(hours=11)))
    assert check(shifts, ACGME, NY) == []  # 66 h a week
    assert [v.rule for v in check(shifts, CHINA_BASE, NY)] == ["weekly_hours"]


def test_a_pattern_with_a_call_every_fourth_day_drops_the_post_call_day():
    pattern = Pattern(call_every=4, call_hours=24, handover_hours=4)
    shifts = expand_pattern(datetime.date(2026, 6, 1), datetime.date(2026, 6, 7), pattern, NY)
    kinds = [(s.start.date().isoformat(), s.kind) for s in shifts]
    assert kinds == [
        ("2026-06-01", "on_call"),
        ("2026-06-02", "handover"),
        ("2026-06-03", "duty"),
        ("2026-06-04", "duty"),
        ("2026-06-05", "on_call"),
        ("2026-06-06", "handover"),
    ]


def test_a_shift_inside_the_repeated_hour_of_the_fall_back_night_is_valid():
    # 01:00 EDT to 01:00 EST (the second 01:00, fold=1) is one hour, though the wall clocks agree;
    # hypothesis found the library refusing it as "ending before it starts".
    start = datetime.datetime(2026, 11, 1, 1, 0, tzinfo=NY)
    end = start.replace(fold=1)
    shift = Shift(start=start, end=end, kind="home_call")
    assert weekly_hours([shift], NY) == {datetime.date(2026, 10, 26): 1}
