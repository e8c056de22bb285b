"""The owner's booking rules as plain functions: opening hours, slots, notice, cost.

Times are compared in local time (settings.TIME_ZONE): "open 08:00–18:00 on Mondays" means
the clock on the laboratory wall.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.bookings.models import WEEKDAYS, BookingRules


def parse_hhmm(value: str) -> datetime.time:
    return datetime.datetime.strptime(value, "%H:%M").time()


Opening = tuple[datetime.time, datetime.time]


def opening_for(rules: BookingRules, day: datetime.date) -> Opening | None:
    hours = (rules.opening_hours or {}).get(str(day.isoweekday()))
    if not hours:
        return None
    return parse_hhmm(hours[0]), parse_hhmm(hours[1])


def clean_opening_hours(value: Any) -> dict[str, list[str]]:
    """Normalise {weekday: [open, close]}; refuse junk and closing before opening."""
    if not isinstance(value, dict):
        raise ValidationError({"opening_hours": [_("Give opening hours per weekday.")]})
    result: dict[str, list[str]] = {}
    for key, hours in value.items():
        if str(key) not in {str(d) for d in WEEKDAYS}:
            raise ValidationError({"opening_hours": [_("Weekdays are numbered 1 to 7.")]})
        if not hours:
            continue
        try:
            opens, closes = (parse_hhmm(str(h)) for h in hours)
        except (TypeError, ValueError):
            raise ValidationError({"opening_hours": [_("Times are written as HH:MM.")]}) from None
        if closes <= opens:
            raise ValidationError(
                {"opening_hours": [_("Closing time must be after opening time.")]}
            )
        result[str(key)] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
    return dict(sorted(result.items()))


def open_hours_between(rules: BookingRules, first: datetime.date, last: datetime.date) -> Decimal:
    """Hours the resource is open from `first` to `last` (both included)."""
    minutes = 0
    day = first
    while day <= last:
        opening = opening_for(rules, day)
        if opening:
            opens, closes = opening
            minutes += (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        day += datetime.timedelta(days=1)
    return Decimal(minutes) / 60


def cost_of(rules: BookingRules, start: datetime.datetime, end: datetime.datetime) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / 3600
    return (hours * rules.cost_per_hour).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def window_problem(rules: BookingRules, start: datetime.datetime, now: datetime.datetime) -> str:
    """Why a booking may not start at `start`: too little notice or too far ahead ("" if it
    may). The calendar shows these slots as not bookable, with the same reason."""
    if start < now + datetime.timedelta(hours=rules.min_notice_hours):
        return _("Book at least %(hours)s hours ahead.") % {"hours": rules.min_notice_hours}
    if start > now + datetime.timedelta(days=rules.max_advance_days):
        return _("Book at most %(days)s days ahead.") % {"days": rules.max_advance_days}
    return ""


def check_times(
    rules: BookingRules,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    now: datetime.datetime | None = None,
) -> None:
    """Raise a ValidationError naming "start" or "end" when the owner's rules refuse."""
    now = now or timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"start": [_("Give the time with its time zone.")]})
    if end <= start:
        raise ValidationError({"end": [_("The end must be after the start.")]})
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    slot = rules.slot_minutes
    for field, moment in (("start", local_start), ("end", local_end)):
        if moment.second or moment.microsecond or (moment.hour * 60 + moment.minute) % slot:
            raise ValidationError(
                {
                    field: [
                        _("Bookings start and end on the %(minutes)s-minute grid.")
                        % {"minutes": slot}
                    ]
                }
            )
    minutes = (end - start).total_seconds() / 60
    if minutes > rules.max_booking_minutes:
        raise ValidationError(
            {
                "end": [
                    _("The longest booking is %(minutes)s minutes.")
                    % {"minutes": rules.max_booking_minutes}
                ]
            }
        )
    problem = window_problem(rules, start, now)
    if problem:
        raise ValidationError({"start": [problem]})
    opening = opening_for(rules, local_start.date())
    if opening is None or local_end.date() != local_start.date():
        raise ValidationError({"start": [_("The resource is closed at that time.")]})
    opens, closes = opening
    if local_start.time() < opens or (local_end.time() > closes):
        raise ValidationError(
            {
                "start": [
                    _("The resource is open from %(opens)s to %(closes)s that day.")
                    % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
                ]
            }
        )
