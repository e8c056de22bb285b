"""Excel workbooks of bookings and of usage reports (openpyxl, write-only, streamed rows)."""

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.bookings.models import Booking
from tandem.bookings.reports import UsageRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bookings_workbook(bookings: Iterable[Booking]) -> bytes:
    header = [
        _("Booking"), _("Resource"), _("Owner"), _("Booked by"), _("Institution"),
        _("Agreement"), _("Start"), _("End"), pgettext("duration", "Hours"), _("Status"),
        _("Purpose"),
        _("Fund"), _("Cost (CNY)"), _("Charged (CNY)"),
    ]

    def rows() -> Iterable[list[Any]]:
        for b in bookings:
            yield [
                b.pk, str(b.resource), str(b.resource.institution), b.booked_by.display_name,
                str(b.institution), str(b.agreement or ""),
                timezone.localtime(b.start).replace(tzinfo=None),
                timezone.localtime(b.end).replace(tzinfo=None), float(b.hours),
                str(b.get_status_display()), b.purpose, b.fund.code if b.fund else "",
                float(b.cost), float(b.charged_amount),
            ]

    return _workbook(_("Bookings"), header, rows())


def usage_workbook(group_label: str, rows: list[UsageRow]) -> bytes:
    header = [
        str(group_label), _("Bookings"), _("Hours booked"), _("Hours used"), _("Hours open"),
        _("Utilisation (%)"), _("Charges (CNY)"),
    ]
    return _workbook(_("Usage"), header, (
        [r.label, r.bookings, float(r.hours_booked), float(r.hours_used), float(r.open_hours),
         float(r.utilisation) if r.utilisation is not None else None, float(r.charges)]
        for r in rows
    ))
