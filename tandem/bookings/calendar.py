"""The availability week of one resource.

The week view issues one query for the bookings of the week, whatever the resource's history:
bookings last at most one day (they stay inside one day's opening hours), so the window on
`start` is bounded and the (resource, start) index answers it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tandem.bookings.models import MAX_BOOKING_MINUTES, Booking, BookingRules, BookingStatus
from tandem.bookings.rules import opening_for, window_problem
from tandem.bookings.selectors import local_midnight
from tandem.resources.models import SharedResource

SHOWN_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(value: str | None) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return week_start_of(day)


def week_bookings(resource: SharedResource, monday: datetime.date) -> list[Booking]:
    first = local_midnight(monday)
    after = local_midnight(monday + datetime.timedelta(days=7))
    return list(
        Booking.objects.filter(
            resource=resource,
            status__in=SHOWN_STATUSES,
            start__gte=first - datetime.timedelta(minutes=MAX_BOOKING_MINUTES),
            start__lt=after,
            end__gt=first,
        )
        .order_by("start")
        .only("id", "start", "end", "status", "booked_by_id")
    )


@dataclass
class Cell:
    start: datetime.datetime
    open: bool
    booking: Booking | None = None
    past: bool = False
    not_bookable: str = ""  # why a free slot cannot be booked (notice or advance window)


@dataclass
class Row:
    label: str
    cells: list[Cell] = field(default_factory=list)


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def _taken_slots(bookings: list[Booking], slot: int) -> dict[datetime.datetime, Booking]:
    """Each booking under the start of every slot it covers (bookings sit on the slot grid;
    one that does not, after a change of the grid, still covers the slots it overlaps)."""
    step = datetime.timedelta(minutes=slot)
    taken: dict[datetime.datetime, Booking] = {}
    for booking in bookings:
        local = timezone.localtime(booking.start)
        offset = (local.hour * 60 + local.minute) % slot
        moment = booking.start - datetime.timedelta(
            minutes=offset, seconds=local.second, microseconds=local.microsecond
        )
        while moment < booking.end:
            taken.setdefault(moment, booking)
            moment += step
    return taken


def week_grid(
    rules: BookingRules, bookings: list[Booking], monday: datetime.date, now: datetime.datetime
) -> dict[str, Any]:
    """Rows of slots (one per `slot_minutes`, from the earliest opening to the latest closing
    of the week) × seven days, each cell open/closed, free or taken; a free cell outside the
    notice and advance window says why it cannot be booked."""
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    openings = {day: opening_for(rules, day) for day in days}
    times = [t for o in openings.values() if o for t in o]
    rows: list[Row] = []
    if times:
        slot = rules.slot_minutes
        first, last = _minutes(min(times)), max(_minutes(t) for t in times)
        taken = _taken_slots(bookings, slot)
        for minute in range(first, last, slot):
            row = Row(label=f"{minute // 60:02d}:{minute % 60:02d}")
            for day in days:
                local = local_midnight(day) + datetime.timedelta(minutes=minute)
                opening = openings[day]
                is_open = bool(opening) and (
                    _minutes(opening[0]) <= minute and minute + slot <= _minutes(opening[1])
                )
                past = local < now
                row.cells.append(
                    Cell(
                        start=local,
                        open=is_open,
                        booking=taken.get(local),
                        past=past,
                        not_bookable=""
                        if past or not is_open
                        else window_problem(rules, local, now),
                    )
                )
            rows.append(row)
    return {"days": days, "rows": rows}
