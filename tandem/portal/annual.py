"""What an annual report holds: every indicator's table for the report's year and the year
before, the consortium's figures beside the institution's, as a PDF (WeasyPrint) and as a
workbook with one sheet per table. Both read the same tables, so a figure is the same in both,
and the same as on the benchmarking page and in the API (one table, suppressed as a whole)."""

import datetime
import io
import re
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.core.spreadsheets import text_safe_cell
from tandem.portal import benchmarks, charts


def _section(
    indicator: benchmarks.Indicator, year: int, institution_id: int | None, today: datetime.date
) -> dict[str, Any]:
    table = benchmarks.table(indicator, benchmarks.Grouping.REGION, today)
    first = year - 1 if indicator.columns == "year" else None
    rows, columns = benchmarks.shown(
        table, benchmarks.View(first=first, last=year if first else None)
    )
    if institution_id is not None:
        own = next((row for row in table.institutions if row.key == institution_id), None)
        rows = [
            row
            for row in rows
            if row.kind == "total"
            or (row.kind == "institution" and row.key == institution_id)
            or (row.kind == "group" and own is not None and row.key == own.group)
        ]
    if indicator.columns == "institution":
        chart: Any = charts.flow_chart(str(indicator.title), benchmarks.visible_flows(table))
        kind = "flow"
    else:
        chart = charts.bar_chart(
            str(indicator.title),
            benchmarks.chart_rows([row for row in rows if row.kind != "total"], indicator),
            maximum=100 if indicator.is_rate else None,
        )
        kind = "bar"
    return {
        "indicator": indicator,
        "chart": chart,
        "chart_kind": kind,
        "columns": columns,
        "threshold": table.threshold,
        "rows": [
            {
                "label": row.label,
                "kind": row.kind,
                "cells": [benchmarks.cell_text(row.cells[key], indicator) for key, _l in columns],
            }
            for row in rows
        ],
    }


def sections(
    year: int,
    institution_id: int | None,
    today: datetime.date,
    step: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    """One section per indicator; `step` is called after each (the progress bar)."""
    result = []
    for indicator in benchmarks.INDICATORS.values():
        result.append(_section(indicator, year, institution_id, today))
        step()
    return result


def render_pdf(context: dict[str, Any], language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("portal/annual_report_pdf.html", {**context, "language": language})
    return HTML(string=html).write_pdf()


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([text_safe_cell(sheet, value) for value in values])


def workbook(parts: list[dict[str, Any]], language: str) -> bytes:
    """Every table of the report, one sheet each, text written as text."""
    import openpyxl

    with translation.override(language):
        book = openpyxl.Workbook(write_only=True)
        for number, part in enumerate(parts, start=1):
            # A sheet's name is read too: the indicator's title, without the characters Excel
            # refuses in sheet names.
            title = re.sub(r"[\[\]:*?/\\]", " ", str(part["indicator"].title))
            sheet = book.create_sheet(f"{number} {title}"[:31])
            _append(sheet, [str(part["indicator"].title)])
            _append(sheet, [_("Group or institution"), *[label for _key, label in part["columns"]]])
            for row in part["rows"]:
                _append(sheet, [row["label"], *row["cells"]])
            _append(
                sheet,
                [
                    _("– : fewer than %(n)d people, or hidden so that they cannot be worked out")
                    % {"n": part["threshold"]}
                ],
            )
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()
