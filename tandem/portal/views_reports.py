"""The consortium's reports: benchmarking tables with their charts, and their Excel export."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.core.spreadsheets import workbook
from tandem.portal import benchmarks, charts, permissions
from tandem.portal.forms import BenchmarkForm


def _allowed(request: HttpRequest) -> None:
    if not permissions.can_view_benchmarks(request.user):
        raise PermissionDenied(
            _("Reports are for consortium admins, coordinators and training-base directors.")
        )


def benchmark_context(user: Any, form: BenchmarkForm) -> dict[str, Any]:
    """The table, its shown part and its chart for a valid form."""
    indicator = benchmarks.INDICATORS[form.cleaned_data["indicator"]]
    table = benchmarks.table(indicator, form.cleaned_data["grouping"], timezone.localdate())
    rows, columns = benchmarks.shown(table, form.view())
    drill = permissions.drill_down_institution_ids(user)
    if indicator.columns == "institution":
        chart: Any = charts.flow_chart(str(indicator.title), benchmarks.visible_flows(table))
    else:
        chart = charts.bar_chart(
            str(indicator.title),
            benchmarks.chart_rows([row for row in rows if row.kind != "total"], indicator),
            maximum=100 if indicator.is_rate else None,
        )
    return {
        "indicator": indicator,
        "table": table,
        "rows": [
            {
                "row": row,
                "cells": [
                    benchmarks.cell_text(row.cells[key], indicator) for key, _label in columns
                ],
                "numbers": [
                    benchmarks.cell_number(row.cells[key], indicator)
                    if indicator.measure in ("count", "sum")
                    else benchmarks.cell_text(row.cells[key], indicator)
                    for key, _label in columns
                ],
                "drill": row.kind == "institution" and (drill is None or row.key in drill),
            }
            for row in rows
        ],
        "columns": columns,
        "chart": chart,
    }


@login_required
@require_GET
def benchmark(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = BenchmarkForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context |= benchmark_context(request.user, form)
    return render(request, "portal/benchmark.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_GET
def benchmark_export(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = BenchmarkForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/benchmark.html", {"form": form}, status=400)
    context = benchmark_context(request.user, form)
    header = [_("Group or institution"), *[label for _key, label in context["columns"]]]
    content = workbook(
        str(_("Benchmark")),
        header,
        [
            [item["row"].label, *[("–" if n is None else n) for n in item["numbers"]]]
            for item in context["rows"]
        ]
        + [
            [
                _("– : fewer than %(n)d people, or hidden so that they cannot be worked out")
                % {"n": context["table"].threshold}
            ]
        ],
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = form.cleaned_data["indicator"]
    response["Content-Disposition"] = f'attachment; filename="benchmark-{name}.xlsx"'
    return response
