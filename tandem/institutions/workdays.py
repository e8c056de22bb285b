"""Working days of an institution: Monday to Friday, less its public holidays, plus the
weekend days it works in exchange (调休). Every deadline the regulations count "in working
days" (a trainee's written response, an objection period, an appeal window) is computed here,
from the calendar of the institution whose rules set the deadline."""

import datetime
from collections.abc import Iterable

from tandem.institutions.models import CalendarDay, CalendarDayKind, Institution

# A deadline further than this many calendar days away is refused rather than searched for:
# no regulation counts more than a year of working days.
_SEARCH_LIMIT_DAYS = 800


class WorkingCalendar:
    """The exceptions of one institution's calendar, loaded once for a range of dates."""

    def __init__(self, holidays: Iterable[datetime.date], working_days: Iterable[datetime.date]):
        self.holidays = frozenset(holidays)
        self.working_days = frozenset(working_days)

    @classmethod
    def for_institution(
        cls, institution: Institution | int, start: datetime.date, end: datetime.date
    ) -> "WorkingCalendar":
        institution_id = institution if isinstance(institution, int) else institution.pk
        rows = CalendarDay.objects.filter(
            institution_id=institution_id, date__gte=start, date__lte=end
        ).values_list("date", "kind")
        holidays = [day for day, kind in rows if kind == CalendarDayKind.HOLIDAY]
        working = [day for day, kind in rows if kind == CalendarDayKind.WORKING_DAY]
        return cls(holidays, working)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (start itself not counted): a response
        due "within 5 working days" of a Friday notice is due on the next Friday, a week with
        a holiday in it pushes that by a day."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        counted = 0
        for _step in range(_SEARCH_LIMIT_DAYS):
            if counted == days:
                return day
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        raise ValueError("no such working day within the search limit")

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie after `start` up to and including `end` (0 if end is
        not after start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(
    institution: Institution | int, start: datetime.date, days: int
) -> datetime.date:
    """The date `days` working days after `start` in the institution's calendar."""
    end = start + datetime.timedelta(days=days * 2 + 60)
    calendar = WorkingCalendar.for_institution(institution, start, end)
    return calendar.add(start, days)


def working_days_between(
    institution: Institution | int, start: datetime.date, end: datetime.date
) -> int:
    """Working days after `start` up to and including `end` in the institution's calendar."""
    return WorkingCalendar.for_institution(institution, start, end).between(start, end)
