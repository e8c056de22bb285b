"""Usage reports: hours booked and used, utilisation and charges, per resource, owner
institution or agreement. Sums run in the database (one query for the groups, one for the
rules of the resources they cover); only the open hours are counted in Python, from the rules.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from tandem.bookings.models import Booking, BookingRules, BookingStatus
from tandem.bookings.rules import open_hours_between
from tandem.bookings.selectors import booking_list_visible_to, local_midnight

GROUPS = {
    "resource": (_("Resource"), "resource_id", "resource__name"),
    "institution": (
        _("Owner institution"),
        "resource__institution_id",
        "resource__institution__name",
    ),
    "agreement": (_("Agreement"), "agreement_id", "agreement__title"),
}
BOOKED = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


@dataclass
class UsageRow:
    key: Any
    label: str
    bookings: int
    hours_booked: Decimal
    hours_used: Decimal
    open_hours: Decimal
    charges: Decimal

    @property
    def utilisation(self) -> Decimal | None:
        """Hours used as a share of the hours open, in per cent."""
        if not self.open_hours:
            return None
        return (100 * self.hours_used / self.open_hours).quantize(Decimal("0.1"))


def _hours(value: datetime.timedelta | None) -> Decimal:
    if not value:
        return Decimal("0.00")
    return (Decimal(value.total_seconds()) / 3600).quantize(Decimal("0.01"))


def usage_scope(user: Any) -> QuerySet[Booking]:
    """Bookings a report may count: those the user sees (owners see their resources'; the
    booker's coordinators their people's)."""
    return booking_list_visible_to(user)


def usage_report(
    user: Any, *, group: str, date_from: datetime.date, date_to: datetime.date
) -> list[UsageRow]:
    _label, key, name = GROUPS[group]
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    rows = (
        usage_scope(user)
        .filter(
            start__gte=local_midnight(date_from),
            start__lt=local_midnight(date_to + datetime.timedelta(days=1)),
            status__in=BOOKED,
        )
        .order_by()
        .values(key, name)
        .annotate(
            n=Count("id"),
            booked=Sum(duration),
            used=Sum(duration, filter=Q(status=BookingStatus.COMPLETED)),
            charges=Sum("charged_amount"),
        )
        .order_by(name)
    )
    rows = list(rows)
    resources_by_group = _resources_by_group(user, key, date_from, date_to, rows)
    rules = {
        r.resource_id: r
        for r in BookingRules.objects.filter(
            resource_id__in={rid for ids in resources_by_group.values() for rid in ids}
        )
    }
    open_cache: dict[int, Decimal] = {}

    def open_hours(resource_id: int) -> Decimal:
        if resource_id not in open_cache:
            rule = rules.get(resource_id)
            open_cache[resource_id] = (
                open_hours_between(rule, date_from, date_to) if rule else Decimal("0")
            )
        return open_cache[resource_id]

    return [
        UsageRow(
            key=row[key],
            label=row[name] or str(_("Own institution (no agreement)")),
            bookings=row["n"],
            hours_booked=_hours(row["booked"]),
            hours_used=_hours(row["used"]),
            open_hours=sum(
                (open_hours(rid) for rid in resources_by_group.get(row[key], ())), Decimal("0")
            ),
            charges=row["charges"] or Decimal("0.00"),
        )
        for row in rows
    ]


def _resources_by_group(
    user: Any, key: str, date_from: datetime.date, date_to: datetime.date, rows: list[dict]
) -> dict[Any, set[int]]:
    if key == "resource_id":
        return {row[key]: {row[key]} for row in rows}
    pairs = (
        usage_scope(user)
        .filter(
            start__gte=local_midnight(date_from),
            start__lt=local_midnight(date_to + datetime.timedelta(days=1)),
            status__in=BOOKED,
        )
        .order_by()
        .values_list(key, "resource_id")
        .distinct()
    )
    result: dict[Any, set[int]] = defaultdict(set)
    for group_key, resource_id in pairs:
        result[group_key].add(resource_id)
    return result
