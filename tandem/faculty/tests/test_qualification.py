"""The qualification rule and the count of residents at once, against plain references."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.faculty.qualification import (
    Facts,
    Policy,
    full_years,
    peak_load,
    reasons_not_qualified,
)

DAY = datetime.date(2026, 6, 15)
dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2035, 12, 31))


def _codes(facts, policy, on=DAY):
    return [r.code for r in reasons_not_qualified(facts, policy, on)]


def test_qualified_teacher_has_no_reason():
    facts = Facts(
        attending_since=datetime.date(2020, 6, 15),
        certificate_number="TT-1",
        certificate_issued_on=datetime.date(2025, 1, 1),
        certificate_expires_on=DAY,  # valid through its last day
    )
    assert _codes(facts, Policy()) == []


def test_each_reason_is_given():
    facts = Facts(
        is_active=False,
        attending_since=datetime.date(2024, 6, 16),
        certificate_number="TT-1",
        certificate_expires_on=DAY - datetime.timedelta(days=1),
    )
    assert _codes(facts, Policy()) == ["inactive", "attending_years", "certificate_expired"]
    assert _codes(Facts(), Policy()) == ["not_attending", "no_certificate"]
    assert _codes(Facts(), Policy(min_attending_years=0, certificate_required=False)) == []


def test_the_anniversary_day_completes_the_year():
    assert full_years(datetime.date(2023, 6, 15), DAY) == 3
    assert full_years(datetime.date(2023, 6, 16), DAY) == 2
    assert full_years(datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)) == 0
    assert full_years(datetime.date(2024, 2, 29), datetime.date(2025, 3, 1)) == 1


def _reference_years(since, on):
    """Count the anniversaries one by one."""
    years = 0
    while True:
        try:
            anniversary = since.replace(year=since.year + years + 1)
        except ValueError:  # 29 February in a common year: the day after 28 February
            anniversary = datetime.date(since.year + years + 1, 3, 1)
        if anniversary > on:
            return years
        years += 1


@settings(deadline=None)  # a loaded machine must not fail a pure function
@given(since=dates, on=dates)
def test_full_years_against_counting_anniversaries(since, on):
    expected = _reference_years(since, on) if on >= since else 0
    assert full_years(since, on) == expected


@settings(deadline=None)  # a loaded machine must not fail a pure function
@given(
    active=st.booleans(),
    since=st.none() | dates,
    number=st.sampled_from(["", "  ", "TT-9"]),
    issued=st.none() | dates,
    expires=st.none() | dates,
    years=st.integers(0, 10),
    required=st.booleans(),
    on=dates,
)
def test_qualified_exactly_when_the_plain_rule_says(
    active, since, number, issued, expires, years, required, on
):
    facts = Facts(active, since, number, issued, expires)
    policy = Policy(min_attending_years=years, certificate_required=required)
    enough_years = years == 0 or (since is not None and _reference_years(since, on) >= years)
    if since is not None and since > on and years > 0:
        enough_years = False
    certificate_ok = not required or (
        number.strip() != ""
        and (issued is None or issued <= on)
        and (expires is None or expires >= on)
    )
    qualified = active and enough_years and certificate_ok
    assert (reasons_not_qualified(facts, policy, on) == []) == qualified


def test_a_stint_starting_as_another_ends_continues_the_stretch():
    day = datetime.date(2026, 1, 6)
    intervals = [
        (day - datetime.timedelta(5), day - datetime.timedelta(1)),
        (day, day + datetime.timedelta(3)),
    ]
    peak = peak_load(intervals, day - datetime.timedelta(5), day + datetime.timedelta(10))
    assert (peak.count, peak.start, peak.end) == (
        1,
        day - datetime.timedelta(5),
        day + datetime.timedelta(3),
    )


def _reference_peak(intervals, start, end):
    best, best_day = 0, None
    day = start
    while day <= end:
        n = sum(1 for a, b in intervals if a <= day <= b)
        if n > best:
            best, best_day = n, day
        day += datetime.timedelta(days=1)
    return best, best_day


BASE = datetime.date(2026, 1, 1)
offsets = st.tuples(st.integers(0, 60), st.integers(0, 30))


@settings(deadline=None)  # a loaded machine must not fail a pure function
@given(raw=st.lists(offsets, max_size=8), window=offsets)
def test_peak_load_against_counting_day_by_day(raw, window):
    intervals = [
        (BASE + datetime.timedelta(a), BASE + datetime.timedelta(a + length)) for a, length in raw
    ]
    start = BASE + datetime.timedelta(window[0])
    end = start + datetime.timedelta(window[1])
    peak = peak_load(intervals, start, end)
    count, first_day = _reference_peak(intervals, start, end)
    assert peak.count == count
    assert peak.start == first_day
    if count:
        # the stretch ends on the last day of the run of that many from its start
        day = peak.start
        while day <= peak.end:
            assert sum(1 for a, b in intervals if a <= day <= b) == count
            day += datetime.timedelta(days=1)
        after = peak.end + datetime.timedelta(days=1)
        assert after > end or sum(1 for a, b in intervals if a <= after <= b) != count
