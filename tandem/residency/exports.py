"""Schedules out of Tandem: instance/solution JSON (the spec) and the grid in Excel. A resident's
rotations reach their calendar through the person's one feed (`selectors.calendar_events_for`)."""

import io
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from tandem.core.spreadsheets import append_text_safe
from tandem.residency import grid, selectors
from tandem.residency.models import PublishedSchedule, ScheduleProposal

KINDS = ("instance", "solution")


def _json(data: object, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _partner_hidden(request: HttpRequest, obj: ScheduleProposal | PublishedSchedule) -> bool:
    return not selectors.schedule_view_for(request.user, obj).full_view


@login_required
@require_GET
def proposal_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if kind not in KINDS:
        raise Http404
    if _partner_hidden(request, proposal):
        raise Http404  # the whole file names every resident: only the home hospital's staff
    data = proposal.instance if kind == "instance" else proposal.solution
    if data is None:
        raise Http404
    return _json(data, f"proposal-{proposal.pk}-{kind}.json")


@login_required
@require_GET
def schedule_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    if kind not in KINDS:
        raise Http404
    if _partner_hidden(request, schedule):
        raise Http404
    data = schedule.instance if kind == "instance" else schedule.solution
    return _json(data, f"schedule-{schedule.cohort_id}-{kind}.json")


@login_required
@require_GET
def schedule_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    view = selectors.schedule_view_for(request.user, schedule)
    departments, members = selectors.labels_for(view.instance)
    data = grid.build_grid(view.instance, view.rows, departments, members, view.visible)
    blocks = list(schedule.cohort.calendar.blocks.all())
    book = Workbook()
    sheet = book.active
    sheet.title = _("Schedule")[:31]
    append_text_safe(
        sheet, [_("Resident")] + [f"{b.index + 1} ({b.start_date:%m-%d})" for b in blocks]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        values = [str(row.member)] + [
            (str(departments[c.key]) if c.key else (_("leave") if c.leave else ""))
            for c in row.cells
        ]
        append_text_safe(sheet, values)
        for index, c in enumerate(row.cells, start=2):
            if c.key:
                pk_ = departments[c.key].pk
                fill = f"{(pk_ * 97) % 200 + 55:02X}{(pk_ * 53) % 200 + 55:02X}E0"
                sheet.cell(row=sheet.max_row, column=index).fill = PatternFill(
                    "solid", fgColor=fill
                )
    load = book.create_sheet(_("Load")[:31])
    append_text_safe(load, [_("Department")] + [str(b.index + 1) for b in blocks])
    for dept, values in data["load"]:
        append_text_safe(load, [str(dept), *values])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="schedule-{schedule.cohort_id}.xlsx"'
    return response
