"""Excel workbooks of bookings and of usage reports (write-only, streamed rows, text kept as
text)."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.bookings.models import Booking
from tandem.bookings.reports import UsageRow
from tandem.core.spreadsheets import workbook


def bookings_workbook(bookings: Iterable[Booking]) -> bytes:
    header = [
        _("Booking"),
        _("Resource"),
        _("Owner"),
        _("Booked by"),
        _("Institution"),
        _("Agreement"),
        _("Start"),
        _("End"),
        pgettext("duration", "Hours"),
        _("Status"),
        _("Purpose"),
        _("Fund"),
        _("Cost (CNY)"),
        _("Charged (CNY)"),
    ]

    def rows() -> Iterable[list[Any]]:
        for b in bookings:
            yield [
                b.pk,
                str(b.resource),
                str(b.resource.institution),
                b.booked_by.display_name,
                str(b.institution),
                str(b.agreement or ""),
                timezone.localtime(b.start).replace(tzinfo=None),
                timezone.localtime(b.end).replace(tzinfo=None),
                float(b.hours),
                str(b.get_status_display()),
                b.purpose,
                b.fund.code if b.fund else "",
                float(b.cost),
                float(b.charged_amount),
            ]

    return workbook(_("Bookings"), header, rows())


def usage_workbook(group_label: str, rows: list[UsageRow]) -> bytes:
    header = [
        str(group_label),
        _("Bookings"),
        _("Hours booked"),
        _("Hours used"),
        _("Hours open"),
        _("Utilisation (%)"),
        _("Charges (CNY)"),
    ]
    return workbook(
        _("Usage"),
        header,
        (
            [
                r.label,
                r.bookings,
                float(r.hours_booked),
                float(r.hours_used),
                float(r.open_hours),
                float(r.utilisation) if r.utilisation is not None else None,
                float(r.charges),
            ]
            for r in rows
        ),
    )
