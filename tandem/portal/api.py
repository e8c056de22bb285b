"""The API operations that look across apps: the tutor's workspace (mounted under
/cultivation/, where it has always been)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from tandem.core.api import ERRORS
from tandem.cultivation import permissions as cultivation_permissions
from tandem.portal import benchmarks, permissions, selectors
from tandem.portal.forms import BenchmarkForm
from tandem.portal.schemas import BenchmarkFilters, BenchmarkOut, WorkspaceRowOut

router = Router(tags=["cultivation"])


@router.get(
    "/workspace",
    response={200: list[WorkspaceRowOut], **ERRORS},
    operation_id="cultivation_workspace_list",
)
def workspace_list(request: HttpRequest) -> Any:
    if not cultivation_permissions.can_use_workspace(request.user):
        raise PermissionDenied(_("The workspace is for tutors."))
    return [
        {
            "cultivation_id": row["cultivation"].pk,
            "trainee_id": row["trainee"].pk,
            "trainee_name": str(row["trainee"]),
            "role": row["role"],
            "status": row["status"],
            "home_id": row["home"].pk,
            "host_id": row["host"].pk,
            "partner_tutor_id": row["partner"].tutor_id if row["partner"] else None,
            "is_complete": row["is_complete"],
            "next_milestone": row["next_milestone"],
            "last_progress_report_at": (
                row["last_progress_report"].submitted_at if row["last_progress_report"] else None
            ),
            "is_first_in_charge": row["is_first_in_charge"],
            "to_start": row["to_start"],
        }
        for row in selectors.workspace_rows(request.user)
    ]


reports_router = Router(tags=["reports"])


@reports_router.get(
    "/benchmarks/{indicator}",
    response={200: BenchmarkOut, **ERRORS},
    operation_id="reports_benchmark",
)
def benchmark(request: HttpRequest, indicator: str, filters: Query[BenchmarkFilters]) -> Any:
    """One indicator's table, with the same suppression as the page and the export."""
    if not permissions.can_view_benchmarks(request.user):
        raise PermissionDenied(
            _("Reports are for consortium admins, coordinators and training-base directors.")
        )
    if indicator not in benchmarks.INDICATORS:
        raise Http404
    form = BenchmarkForm({"indicator": indicator, **filters.dict()})
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    chosen = benchmarks.INDICATORS[indicator]
    table = benchmarks.table(chosen, form.cleaned_data["grouping"], timezone.localdate())
    rows, columns = benchmarks.shown(table, form.view())
    return {
        "indicator": chosen.key,
        "title": str(chosen.title),
        "grouping": table.grouping,
        "is_rate": chosen.is_rate,
        "measure": chosen.measure,
        "threshold": table.threshold,
        "columns": [str(key) for key, _label in columns],
        "rows": [
            {
                "kind": row.kind,
                "key": "" if row.key is None else str(row.key),
                "label": row.label,
                "group": row.group,
                "cells": [
                    {
                        "column": str(key),
                        "units": None if row.cells[key].suppressed else row.cells[key].units,
                        "hits": None if row.cells[key].suppressed else row.cells[key].hits,
                        "rate": row.cells[key].rate() if chosen.is_rate else None,
                        "value": (
                            None
                            if row.cells[key].suppressed or not chosen.has_value
                            else round(row.cells[key].value, 1)
                        ),
                        "mean": row.cells[key].mean() if chosen.measure == "mean" else None,
                        "suppressed": row.cells[key].suppressed,
                    }
                    for key, _label in columns
                ],
            }
            for row in rows
        ],
    }
