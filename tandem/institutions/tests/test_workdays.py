import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.institutions.models import CalendarDay, CalendarDayKind
from tandem.institutions.tests.factories import InstitutionFactory
from tandem.institutions.workdays import (
    WorkingCalendar,
    add_working_days,
    working_days_between,
)

FRIDAY = datetime.date(2026, 9, 25)


def _plain_add(start, days, holidays, working):
    """The reference: walk day by day, counting what a person would count."""
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if day in working or (day.weekday() < 5 and day not in holidays):
            days -= 1
    return day


@pytest.mark.django_db
def test_five_working_days_from_a_friday_is_the_next_friday():
    institution = InstitutionFactory()
    assert add_working_days(institution, FRIDAY, 5) == datetime.date(2026, 10, 2)


@pytest.mark.django_db
def test_national_day_holidays_and_the_make_up_saturday_move_the_deadline():
    institution = InstitutionFactory()
    for offset in range(7):  # 1–7 October off
        CalendarDay.objects.create(
            institution=institution,
            date=datetime.date(2026, 10, 1) + datetime.timedelta(days=offset),
            kind=CalendarDayKind.HOLIDAY,
        )
    CalendarDay.objects.create(
        institution=institution, date=datetime.date(2026, 10, 10), kind=CalendarDayKind.WORKING_DAY
    )
    # Mon 28, Tue 29, Wed 30 Sep, then Thu 8, Fri 9, Sat 10 (worked) October.
    assert add_working_days(institution, FRIDAY, 6) == datetime.date(2026, 10, 10)
    assert working_days_between(institution, FRIDAY, datetime.date(2026, 10, 9)) == 5


@pytest.mark.django_db
def test_one_institutions_holiday_does_not_move_anothers_deadline():
    closed, open_ = InstitutionFactory(), InstitutionFactory()
    CalendarDay.objects.create(
        institution=closed, date=datetime.date(2026, 9, 28), kind=CalendarDayKind.HOLIDAY
    )
    assert add_working_days(closed, FRIDAY, 1) == datetime.date(2026, 9, 29)
    assert add_working_days(open_, FRIDAY, 1) == datetime.date(2026, 9, 28)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkingCalendar([], []).add(FRIDAY, -1)


@given(
    start=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)),
    days=st.integers(0, 40),
    holidays=st.sets(st.integers(0, 90), max_size=20),
    working=st.sets(st.integers(0, 90), max_size=5),
)
def test_adding_working_days_agrees_with_counting_them_by_hand(start, days, holidays, working):
    holiday_dates = {start + datetime.timedelta(days=d) for d in holidays}
    working_dates = {start + datetime.timedelta(days=d) for d in working} - holiday_dates
    calendar = WorkingCalendar(holiday_dates, working_dates)
    due = calendar.add(start, days)
    assert due == _plain_add(start, days, holiday_dates, working_dates)
    assert calendar.between(start, due) == days
