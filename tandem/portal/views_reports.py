"""The consortium's reports: benchmarking tables with their charts, and their Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.core.spreadsheets import workbook
from tandem.portal import annual, benchmarks, charts, permissions, selectors, services
from tandem.portal.forms import AnnualReportForm, BenchmarkForm
from tandem.portal.models import ReportStatus


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


@login_required
@require_http_methods(["GET", "POST"])
def annual_report_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = AnnualReportForm(
        request.POST or None,
        user=request.user,
        initial={"year": timezone.localdate().year - 1, "language": get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.annual_report_request(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                year=form.cleaned_data["year"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The report is being built."))
            return redirect("portal:annual_report", pk=report.pk)
    reports = selectors.annual_report_list_visible_to(request.user)[:50]
    return render(request, "portal/annual_reports.html", {"form": form, "reports": reports})


@login_required
@require_GET
def annual_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.annual_report_get_for_user_or_404(request.user, pk)
    if request.htmx:
        return render(request, "portal/_annual_report_progress.html", {"report": report})
    return render(request, "portal/annual_report.html", {"report": report})


@login_required
@require_GET
def annual_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.annual_report_get_for_user_or_404(request.user, pk)
    if report.status != ReportStatus.DONE:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_GET
def annual_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Every table of the report, computed now from the same tables as the PDF."""
    report = selectors.annual_report_get_for_user_or_404(request.user, pk)
    parts = annual.sections(report.year, report.institution_id, timezone.localdate())
    response = HttpResponse(
        annual.workbook(parts, report.language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="annual-{report.year}.xlsx"'
    return response
