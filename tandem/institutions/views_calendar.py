"""An institution's working calendar: read by everyone in the consortium, edited by the
institution's coordinators (a public holiday on a weekday, a weekend day worked in exchange)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.errors import error_messages
from tandem.institutions import services_calendar
from tandem.institutions.models import CalendarDayKind
from tandem.institutions.selectors import institution_get_for_user_or_404


def _date(value: str) -> datetime.date | None:
    try:
        return parse_date((value or "").strip())
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_get_for_user_or_404(request.user, pk)
    can_edit = services_calendar.can_manage_calendar(request.user, institution)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the institution's coordinators edit its calendar."))
        post = request.POST
        try:
            services_calendar.calendar_day_add(
                actor=request.user,
                institution=institution,
                date=_date(post.get("date", "")),
                kind=post.get("kind", ""),
                name=post.get("name", ""),
                name_zh=post.get("name_zh", ""),
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The date is on the calendar."))
        return redirect("institutions:calendar", pk=pk)
    context = {
        "institution": institution,
        "days": institution.calendar_days.order_by("date"),
        "can_edit": can_edit,
        "kinds": CalendarDayKind.choices,
    }
    return render(request, "institutions/calendar.html", context)


@login_required
@require_POST
def calendar_remove(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    institution = institution_get_for_user_or_404(request.user, pk)
    if not services_calendar.can_manage_calendar(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators edit its calendar."))
    day = get_object_or_404(institution.calendar_days, pk=day_pk)
    services_calendar.calendar_day_remove(actor=request.user, institution=institution, day=day)
    messages.success(request, _("The date is removed from the calendar."))
    return redirect("institutions:calendar", pk=pk)
