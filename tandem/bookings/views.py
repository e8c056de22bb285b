"""Pages for bookings: the list (filtered, paginated, exported), one booking, booking a
resource, and the owner's decisions. The week calendar, rules and reports are in
views_calendar.py."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.bookings import exports, permissions, selectors, services
from tandem.bookings.forms import BookingFilterForm, BookingForm, NoteForm, OutcomeForm
from tandem.bookings.models import Booking
from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.core.spreadsheets import XLSX
from tandem.resources.selectors import resource_get_for_user_or_404

EXPORT_LIMIT = 20_000


@login_required
@require_GET
def booking_list(request: HttpRequest) -> HttpResponse:
    filters = BookingFilterForm(request.GET or None, user=request.user)
    queryset = selectors.booking_list_for_page(request.user, **filters.filters())
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
    }
    template = "bookings/_list_results.html" if request.htmx else "bookings/list.html"
    return render(request, template, context)


@login_required
@require_GET
def booking_export(request: HttpRequest) -> HttpResponse:
    filters = BookingFilterForm(request.GET or None, user=request.user)
    queryset = selectors.booking_list_for_page(request.user, **filters.filters())
    data = exports.bookings_workbook(queryset[:EXPORT_LIMIT].iterator(chunk_size=2000))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="bookings-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _detail_context(request: HttpRequest, booking: Booking) -> dict:
    user = request.user
    return {
        "booking": booking,
        "can_decide": permissions.can_decide_booking(user, booking),
        "can_cancel": permissions.can_cancel_booking(user, booking),
        "can_mark": permissions.can_mark_booking(user, booking),
        "note_form": NoteForm(),
        "outcome_form": OutcomeForm(),
        "history": audit_history(booking)[:50],
    }


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_user_or_404(request.user, pk)
    return render(request, "bookings/detail.html", _detail_context(request, booking))


@login_required
@require_http_methods(["GET", "POST"])
def booking_create(request: HttpRequest, resource_pk: int) -> HttpResponse:
    resource = resource_get_for_user_or_404(request.user, resource_pk)
    if not permissions.can_book_resource(request.user, resource):
        raise PermissionDenied(
            _("Your institution has no access to this resource under an active agreement.")
        )
    initial = {}
    if request.method == "GET" and request.GET.get("start"):
        try:
            start = timezone.localtime(datetime.datetime.fromisoformat(request.GET["start"]))
            end = start + datetime.timedelta(minutes=resource.booking_rules.slot_minutes)
            initial = {"day": start.date(), "start_time": start.time(), "end_time": end.time()}
        except (ValueError, TypeError):
            initial = {}
    form = BookingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        start, end = form.times()
        try:
            booking = services.booking_request(
                actor=request.user,
                resource=resource,
                start=start,
                end=end,
                fund=form.cleaned_data["fund"],
                purpose=form.cleaned_data["purpose"],
                for_cultivation=form.cleaned_data["for_cultivation"],
            )
        except ValidationError as exc:
            apply_validation_error(form, _map_time_fields(exc))
        else:
            if booking.status == "confirmed":
                messages.success(request, _("The resource is booked."))
            else:
                messages.success(request, _("The booking is requested; the owner will decide."))
            return redirect("bookings:detail", pk=booking.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bookings/form.html",
        {
            "form": form,
            "resource": resource,
            "rules": resource.booking_rules,
        },
        status=status,
    )


def _map_time_fields(exc: ValidationError) -> ValidationError:
    """The form asks for a day and two times; the service names start and end."""
    if not hasattr(exc, "error_dict"):
        return exc
    names = {"start": "start_time", "end": "end_time"}
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    booking = selectors.booking_get_for_user_or_404(request.user, pk)
    allowed = {
        "approve": permissions.can_decide_booking,
        "reject": permissions.can_decide_booking,
        "cancel": permissions.can_cancel_booking,
        "mark": permissions.can_mark_booking,
    }[action]
    if not allowed(request.user, booking):
        raise PermissionDenied(_("You cannot do this to this booking now."))
    form = OutcomeForm(request.POST) if action == "mark" else NoteForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if action == "approve":
                services.booking_approve(actor=request.user, booking=booking, note=note)
                messages.success(request, _("The booking is confirmed."))
            elif action == "reject":
                services.booking_reject(actor=request.user, booking=booking, note=note)
                messages.success(request, _("The booking is rejected."))
            elif action == "cancel":
                services.booking_cancel(actor=request.user, booking=booking, reason=note)
                messages.success(request, _("The booking is cancelled."))
            else:
                services.booking_mark(
                    actor=request.user,
                    booking=booking,
                    outcome=form.cleaned_data["outcome"],
                    note=note,
                )
                messages.success(request, _("The outcome is recorded."))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("bookings:detail", pk=booking.pk)
    context = _detail_context(request, booking)
    context["outcome_form" if action == "mark" else "note_form"] = form
    context["failed_action"] = action
    return render(request, "bookings/detail.html", context, status=400)


@login_required
@require_POST
def booking_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@login_required
@require_POST
def booking_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reject")


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "cancel")


@login_required
@require_POST
def booking_mark(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "mark")
