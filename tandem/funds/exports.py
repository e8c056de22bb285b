"""Excel workbooks of a fund's ledger (openpyxl, write-only, streamed rows), headers in the
reader's language."""

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tandem.funds.models import Expense, ResearchFund

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_workbook(fund: ResearchFund, expenses: Iterable[Expense]) -> bytes:
    header = [
        _("Date"), _("Amount (CNY)"), _("Category"), _("Description"), _("Trainee"),
        _("Booking"), _("Receipt"), _("Recorded by"), _("Reverses entry"), _("Reason"),
    ]

    def rows() -> Iterable[list[Any]]:
        for expense in expenses:
            booking = getattr(expense, "booking", None)
            yield [
                expense.date, float(expense.signed_amount), str(expense.get_category_display()),
                expense.description_text,
                str(expense.allocation.cultivation.trainee) if expense.allocation else "",
                booking.pk if booking else "", expense.receipt.name or "",
                str(expense.recorded_by), expense.reverses_id or "", expense.reason_text,
            ]

    return workbook(f"{fund.code}", header, rows())
