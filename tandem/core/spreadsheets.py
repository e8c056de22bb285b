"""Spreadsheets the application writes: every text cell is text, never a formula.

A description such as `=HYPERLINK("http://…"&B2, "Open")` typed by one person must not run in
the spreadsheet program of the person who exports it. Text cells are written with the string
type, and those that a spreadsheet would read as a formula when retyped or saved as CSV
(starting with =, +, -, @, a tab or a carriage return) carry Excel's quote prefix as well.
Every exporter writes its rows through `workbook`, `text_safe_cell` or `append_text_safe`.
"""

import io
from collections.abc import Iterable
from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_a_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def _clean(value: Any) -> Any:
    # Control characters a workbook cannot hold (openpyxl refuses the whole value) are dropped.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(cell: Any) -> Any:
    """A cell holding a string becomes a text cell (openpyxl would store `=…` as a formula),
    with the quote prefix when a spreadsheet could read it as one."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_a_formula(cell.value):
            cell.quotePrefix = True
    return cell


def text_safe_cell(sheet: Any, value: Any) -> Any:
    """A write-only cell of `value`, text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    return _as_text(WriteOnlyCell(sheet, value=_clean(value)))


def append_text_safe(sheet: Any, values: list[Any]) -> None:
    """Append a row to an ordinary (not write-only) worksheet, text kept as text."""
    sheet.append([_clean(value) for value in values])
    for cell in sheet[sheet.max_row]:
        _as_text(cell)


def workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A write-only workbook of one sheet: a bold header, then the rows (streamed)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    cells = []
    for label in header:
        cell = text_safe_cell(sheet, str(label))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([text_safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
