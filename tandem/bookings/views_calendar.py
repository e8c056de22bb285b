"""Bookable resources, the availability week (HTMX), the owner's rules and usage reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bookings import calendar, exports, permissions, reports, selectors, services
from tandem.bookings.forms import ReportForm, RulesForm
from tandem.bookings.models import BookingRules
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.core.spreadsheets import XLSX
from tandem.resources.selectors import resource_get_for_user_or_404


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    queryset = selectors.bookable_resource_list_for(request.user)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(name_zh__icontains=search))
    return render(
        request,
        "bookings/resources.html",
        {
            "page_obj": paginate(request, queryset),
            "query": query_without_page(request),
            "search": search,
        },
    )


@login_required
@require_GET
def resource_calendar(request: HttpRequest, resource_pk: int) -> HttpResponse:
    resource = resource_get_for_user_or_404(request.user, resource_pk)
    rules = BookingRules.objects.filter(resource=resource).first()
    monday = calendar.parse_week(request.GET.get("week"))
    now = timezone.now()
    bookings = calendar.week_bookings(resource, monday) if rules else []
    context = {
        "resource": resource,
        "rules": rules,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "previous_week": monday - datetime.timedelta(days=7),
        "next_week": monday + datetime.timedelta(days=7),
        "grid": calendar.week_grid(rules, bookings, monday, now) if rules else None,
        "can_book": rules is not None and permissions.can_book_resource(request.user, resource),
        "can_manage": permissions.can_manage_bookings_of(request.user, resource),
        # Reversed once, not once per cell of the grid.
        "book_url": reverse("bookings:create", args=[resource.pk]),
        "detail_url": reverse("bookings:list"),
    }
    template = "bookings/_week.html" if request.htmx else "bookings/calendar.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, resource_pk: int) -> HttpResponse:
    resource = resource_get_for_user_or_404(request.user, resource_pk)
    if not permissions.can_set_booking_rules(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators set the booking rules."))
    instance = BookingRules.objects.filter(resource=resource).first()
    form = RulesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_rules_set(actor=request.user, resource=resource, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The booking rules are saved."))
            return redirect("bookings:calendar", resource_pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bookings/rules_form.html",
        {
            "form": form,
            "resource": resource,
        },
        status=status,
    )


def _report(request: HttpRequest) -> tuple[ReportForm, str, datetime.date, datetime.date, list]:
    if not permissions.can_see_usage_reports(request.user):
        raise PermissionDenied(_("Usage reports are for coordinators."))
    form = ReportForm(request.GET or None)
    group, date_from, date_to = form.period()
    rows = reports.usage_report(request.user, group=group, date_from=date_from, date_to=date_to)
    return form, group, date_from, date_to, rows


@login_required
@require_GET
def usage_report(request: HttpRequest) -> HttpResponse:
    form, group, date_from, date_to, rows = _report(request)
    return render(
        request,
        "bookings/report.html",
        {
            "form": form,
            "group_label": reports.GROUPS[group][0],
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def usage_export(request: HttpRequest) -> HttpResponse:
    _form, group, date_from, date_to, rows = _report(request)
    data = exports.usage_workbook(str(reports.GROUPS[group][0]), rows)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="booking-usage-{group}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"'
    )
    return response
