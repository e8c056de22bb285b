"""Excel workbooks of a fund's ledger (write-only, streamed rows, text kept as text), headers
in the reader's language."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.spreadsheets import workbook
from tandem.funds.models import Expense, ResearchFund


def ledger_workbook(fund: ResearchFund, expenses: Iterable[Expense]) -> bytes:
    header = [
        _("Date"),
        _("Amount (CNY)"),
        _("Category"),
        _("Description"),
        _("Trainee"),
        _("Booking"),
        _("Receipt"),
        _("Recorded by"),
        _("Reverses entry"),
        _("Reason"),
    ]

    def rows() -> Iterable[list[Any]]:
        for expense in expenses:
            booking = getattr(expense, "booking", None)
            yield [
                expense.date,
                float(expense.signed_amount),
                str(expense.get_category_display()),
                expense.description_text,
                str(expense.allocation.cultivation.trainee) if expense.allocation else "",
                booking.pk if booking else "",
                expense.receipt.name or "",
                str(expense.recorded_by),
                expense.reverses_id or "",
                expense.reason_text,
            ]

    return workbook(f"{fund.code}", header, rows())
