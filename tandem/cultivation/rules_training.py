"""Pure checks of the tutor training requirement and of a trainee's insurance (decisions 092
and 093). No queries and no writes: the selectors and services bring the rows."""

import datetime
from collections.abc import Iterable
from decimal import Decimal


def normalize_course(name: str) -> str:
    """How a training record is matched to a mandatory course: the same words, whatever the
    case and spacing."""
    return " ".join((name or "").split()).casefold()


def period_bounds(start_month: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The yearly period `today` falls in, counted from `start_month`: [start, end)."""
    year = today.year if today.month >= start_month else today.year - 1
    start = datetime.date(year, start_month, 1)
    return start, datetime.date(year + 1, start_month, 1)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    # The last day of a shorter month stands for a day it lacks (31 January + 1 month).
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)  # pragma: no cover - day 28 exists in every month


def is_new_tutor(
    first_joint_trainee_at: datetime.datetime | None, new_tutor_months: int, now: datetime.datetime
) -> bool:
    """A tutor who has never tutored a joint trainee is new; so is one whose first joint trainee
    came less than `new_tutor_months` months ago."""
    if first_joint_trainee_at is None:
        return True
    return now < add_months(first_joint_trainee_at, new_tutor_months)


def missing_courses(mandatory: Iterable[str], attended: Iterable[str]) -> list[str]:
    """The mandatory courses (as the requirement names them) with no training record."""
    done = {normalize_course(name) for name in attended}
    return [course for course in mandatory if normalize_course(course) not in done]


def hours_short(required: Decimal, attended: Decimal | None) -> Decimal:
    """How many hours are missing in the period (0 when the requirement is met)."""
    return max(Decimal("0"), required - (attended or Decimal("0")))


def insured_on(periods: Iterable[tuple[datetime.date, datetime.date]], day: datetime.date) -> bool:
    """Whether one of the insurance periods (first and last day included) covers `day`."""
    return any(start <= day <= end for start, end in periods)
