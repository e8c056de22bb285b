"""A training base's teaching pages for its managers (the training office, the base's
director, consortium admins): attendance statistics per department, teacher and resident, the
base's own kinds of activity, and the attendance in Excel."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.errors import error_messages
from tandem.core.pagination import paginate
from tandem.core.spreadsheets import workbook
from tandem.institutions.models import Unit
from tandem.teaching import selectors, services, stats
from tandem.teaching.forms import KindForm, PeriodForm
from tandem.teaching.models import Activity, Attendance, AttendanceStatus

# The most attendance rows one Excel file holds (about a year of a large base).
EXPORT_MAX_ROWS = 100_000


def _period(request: HttpRequest) -> stats.Period:
    period = stats.Period.default()
    form = PeriodForm(request.GET)
    if form.is_valid():
        period = stats.Period(
            form.cleaned_data.get("start") or period.start,
            form.cleaned_data.get("end") or period.end,
        )
    if period.end < period.start:
        period = stats.Period(period.end, period.start)
    return period


def _activities_of(base: Unit) -> Any:
    return Activity.objects.filter(department__base=base)


@login_required
@require_GET
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Constant queries: two per table, one page of residents."""
    base = selectors.base_get_for_user_or_404(request.user, pk)
    period = _period(request)
    activities = _activities_of(base)
    residents = paginate(request, stats.by_resident(activities, period), 50)
    context = {
        "base": base,
        "period": period,
        "period_form": PeriodForm(initial={"start": period.start, "end": period.end}),
        "departments": stats.by_department(activities, period),
        "teachers": stats.by_teacher(activities, period),
        "residents": residents,
        "resident_rows": stats.with_rates(residents.object_list),
        "kinds": selectors.kind_list_of_base(base),
        "kind_form": KindForm(),
        "recent": stats.activities_in(activities, period)
        .select_related("department", "kind", "teacher")
        .order_by("-starts_at")[:20],
    }
    return render(request, "teaching/base.html", context)


@login_required
@require_POST
def kind_add(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    form = KindForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("teaching:base_detail", pk=pk)
    try:
        services.kind_add(actor=request.user, base=base, **form.cleaned_data)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Kind added."))
    return redirect("teaching:base_detail", pk=pk)


@login_required
@require_GET
def attendance_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Every attendance row of the base's activities in the period, one line per resident and
    activity (the period as on the page)."""
    base = selectors.base_get_for_user_or_404(request.user, pk)
    period = _period(request)
    found = stats.attendances_in(_activities_of(base), period)
    count = found.count()
    if count > EXPORT_MAX_ROWS:
        # Written in the request: a file of millions of cells would keep the person waiting for
        # minutes (docs/benchmarks.md), so a period that large is asked for in parts.
        messages.error(
            request,
            _(
                "The period holds %(count)s attendance rows; export at most %(max)s at a time: "
                "choose a shorter period."
            )
            % {"count": count, "max": EXPORT_MAX_ROWS},
        )
        query = request.GET.urlencode()
        return redirect(reverse("teaching:base_detail", args=[pk]) + (f"?{query}" if query else ""))
    rows = found.select_related(
        "activity__department", "activity__kind", "activity__teacher", "resident"
    ).order_by("activity__starts_at", "activity_id", "resident__full_name", "id")
    labels = dict(AttendanceStatus.choices)
    header = [
        _("Day"),
        _("Starts"),
        _("Department"),
        _("Kind"),
        _("Topic"),
        _("Teacher"),
        _("Resident"),
        _("In the audience"),
        _("Attendance"),
        _("Signed in at"),
        _("Reason"),
    ]

    def lines(found: Any) -> Any:
        attendance: Attendance
        for attendance in found.iterator(chunk_size=2000):
            activity = attendance.activity
            start = timezone.localtime(activity.starts_at)
            signed = (
                timezone.localtime(attendance.signed_in_at).strftime("%H:%M:%S")
                if attendance.signed_in_at
                else ""
            )
            yield [
                start.date().isoformat(),
                start.strftime("%H:%M"),
                str(activity.department),
                str(activity.kind),
                activity.topic,
                str(activity.teacher),
                str(attendance.resident),
                _("yes") if attendance.in_audience else _("no"),
                str(labels[attendance.status]),
                signed,
                attendance.reason,
            ]

    body = workbook(_("Attendance"), header, lines(rows))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-{base.pk}-{period.start}-{period.end}.xlsx"'
    )
    return response
