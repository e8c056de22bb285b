"""Schedules out of Tandem: instance/solution JSON (the spec), the grid in Excel, and each
resident's rotations as an iCalendar feed behind a secret, revocable URL."""

import datetime
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from tandem.core.spreadsheets import append_text_safe
from tandem.residency import grid, selectors, services_schedule
from tandem.residency.models import CalendarFeed

KINDS = ("instance", "solution")


def _json(data: object, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _partner_hidden(request: HttpRequest, cohort: object, solution: object, instance: dict) -> bool:
    site_of = {r["id"]: r["site"] for r in instance.get("rotations", [])}
    return selectors.visible_member_keys(request.user, cohort, solution, site_of) is not None


@login_required
@require_GET
def proposal_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if kind not in KINDS:
        raise Http404
    if _partner_hidden(request, proposal.cohort, proposal.solution, proposal.instance):
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
    if _partner_hidden(request, schedule.cohort, schedule.solution, schedule.instance):
        raise Http404
    data = schedule.instance if kind == "instance" else schedule.solution
    return _json(data, f"schedule-{schedule.cohort_id}-{kind}.json")


@login_required
@require_GET
def schedule_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    departments, members = selectors.labels_for(schedule.instance)
    site_of = {r["id"]: r["site"] for r in schedule.instance.get("rotations", [])}
    visible = selectors.visible_member_keys(
        request.user, schedule.cohort, schedule.solution, site_of
    )
    data = grid.build_grid(schedule.instance, schedule.solution, departments, members, visible)
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


@login_required
@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    services_schedule.feed_rotate(actor=request.user)
    messages.success(
        request, _("Your calendar has a new secret address; the old one no longer works.")
    )
    return redirect("residency:my_schedule")


@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the key is the secret."""
    feed_row = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed_row is None or not feed_row.user.is_active:
        raise Http404
    memberships = list(selectors.my_memberships(feed_row.user))
    cal = Calendar()
    cal.add("prodid", "-//Tandem//Rotation schedule//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Rotations"))
    for assignment in selectors.assignments_of([m.pk for m in memberships]):
        if assignment.department is None:
            continue
        event = Event()
        event.add("uid", f"rotation-{assignment.pk}@tandem")
        event.add("summary", str(assignment.department))
        event.add("location", str(assignment.department.base.institution))
        event.add("dtstart", assignment.block.start_date)
        event.add("dtend", assignment.block.end_date + datetime.timedelta(days=1))
        event.add("description", str(assignment.department.base))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rotations.ics"'
    return response
