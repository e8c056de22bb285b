"""Work-hour pages for residents and training offices: thin views over the selectors,
permissions and services. A resident or cohort someone may not see is the same 404 as one that
does not exist; a page of a role someone does not have answers 403."""

import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.core.spreadsheets import append_text_safe
from tandem.workhours import permissions, selectors, services
from tandem.workhours.forms import ShiftForm
from tandem.workhours.selectors import Standing
from tandem.workhours.texts import rule_label, violation_text, when


def _violation_rows(standing: Standing) -> list[dict[str, Any]]:
    limits = standing.ruleset.limits()
    return [
        {
            "rule": rule_label(v.rule),
            "code": v.rule,
            "text": violation_text(v, limits),
            "violation": v,
        }
        for v in reversed(standing.violations)
    ]


def _shift_rows(standing: Standing, limit: int = 50) -> list[dict[str, Any]]:
    flagged = {ref for v in standing.violations for ref in v.refs}
    tz = standing.tz
    return [
        {
            "shift": s,
            "start": when(s.start.astimezone(tz)),
            "end": when(s.end.astimezone(tz)),
            "hours": round((s.end - s.start).total_seconds() / 3600, 1),
            "flagged": s.pk in flagged,
        }
        for s in reversed(standing.shifts[-limit:])
    ]


def _proposed_rows(user: Any, standing: Standing) -> list[dict[str, Any]]:
    tz = standing.tz
    monday = selectors.monday_of(timezone.localdate())
    return [
        {
            "start": when(s.start.astimezone(tz)),
            "end": when(s.end.astimezone(tz)),
            "kind": selectors.KIND_LABELS.get(s.kind, s.kind),
        }
        for s in selectors.proposed_week(user, monday)
    ]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "can_log": permissions.can_log_shifts(user),
        "cohorts": selectors.cohort_list_for_workhours(user)[:50],
        "can_manage": permissions.can_manage_any_rules(user),
    }
    if context["can_log"]:
        standing = selectors.resident_standing(user)
        context |= {
            "form": ShiftForm(initial=_initial_times(standing)),
            "standing": standing,
            "violations": _violation_rows(standing),
            "shifts": _shift_rows(standing, limit=14),
            "proposed": _proposed_rows(user, standing),
            "weeks": list(standing.weeks.items())[-4:],
        }
    return render(request, "workhours/home.html", context)


def _initial_times(standing: Standing) -> dict[str, Any]:
    today = timezone.now().astimezone(standing.tz).date()
    start = datetime.datetime.combine(today, datetime.time(8, 0))
    return {"start": start, "end": start + datetime.timedelta(hours=9)}


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_log_shifts(request.user):
        raise PermissionDenied(_("Only residents on a published schedule log shifts."))
    form = ShiftForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                shift = services.shift_log(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Shift logged."))
                limits = selectors.ruleset_for_member(shift.member).limits()
                for violation in shift.violations:
                    messages.warning(request, violation_text(violation, limits))
                return redirect("workhours:home")
        return render(request, "workhours/shift_form.html", {"form": form}, status=400)
    return render(request, "workhours/shift_form.html", {"form": form})


@login_required
@require_POST
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get_for_user_or_404(request.user, pk)
    if not permissions.can_delete_shift(request.user, shift):
        raise PermissionDenied(_("Only the resident who logged a shift deletes it."))
    services.shift_delete(actor=request.user, shift=shift)
    messages.success(request, _("Shift deleted."))
    return redirect("workhours:home")


@login_required
@require_POST
def rota_confirm(request: HttpRequest) -> HttpResponse:
    if not permissions.can_log_shifts(request.user):
        raise PermissionDenied(_("Only residents on a published schedule log shifts."))
    try:
        logged = services.shifts_confirm_rota(
            actor=request.user, monday=selectors.monday_of(timezone.localdate())
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s shifts from your rota logged.") % {"n": len(logged)})
    return redirect("workhours:home")


@login_required
@require_GET
def resident(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.resident_get_for_user_or_404(request.user, pk)
    standing = selectors.resident_standing(person)
    context = {
        "person": person,
        "standing": standing,
        "violations": _violation_rows(standing),
        "shifts": _shift_rows(standing),
        "weeks": list(standing.weeks.items()),
        "max_weekly": standing.ruleset.max_weekly_hours,
    }
    return render(request, "workhours/resident.html", context)


@login_required
@require_GET
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.cohort_get_for_user_or_404(request.user, pk)
    page = paginate(request, selectors.cohort_members(found))
    members = list(page.object_list)
    standings = selectors.cohort_standings(members)
    rows = [(m, standings[m.pk], list(standings[m.pk].weeks.values())) for m in members]
    mondays = list(standings[members[0].pk].weeks) if members else []
    context = {
        "cohort": found,
        "page": page,
        "rows": rows,
        "mondays": mondays,
        "with_violations": sum(1 for _m, s, _w in rows if s.violations),
    }
    return render(request, "workhours/cohort.html", context)


@login_required
@require_GET
def cohort_export(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.cohort_get_for_user_or_404(request.user, pk)
    members = list(selectors.cohort_members(found))
    standings = selectors.cohort_standings(members, weeks=selectors.PAGE_WEEKS)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Violations")[:31]
    append_text_safe(
        sheet,
        [
            _("Resident"),
            _("Program"),
            _("Rule"),
            _("From"),
            _("To"),
            _("Found"),
            _("Limit"),
            _("What"),
        ],
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for member in members:
        standing = standings[member.pk]
        limits = standing.ruleset.limits()
        for v in standing.violations:
            append_text_safe(
                sheet,
                [
                    str(member.resident),
                    str(member.program),
                    rule_label(v.rule),
                    when(v.start),
                    when(v.end),
                    round(v.value, 1),
                    v.limit,
                    violation_text(v, limits),
                ],
            )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="work-hours-{found.pk}.xlsx"'
    return response
