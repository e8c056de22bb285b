"""Feedback and seminar pages: thin views over the selectors, permissions and services."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.agreements.selectors import agreement_get_for_user_or_404
from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.feedback import permissions, selectors, services
from tandem.feedback.forms import (
    ATTENDANCE_CHOICES,
    MinutesForm,
    NoteForm,
    RaiseForm,
    ReopenForm,
    ResolveForm,
    RoutingForm,
    SeminarForm,
    SeminarRaiseForm,
    attendance_field_name,
)
from tandem.feedback.models import FeedbackItem, ItemStatus


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    context = {
        "mine": selectors.item_list_raised_by(request.user).select_related("institution"),
        "page_obj": paginate(request, selectors.item_list_for_page(request.user, status=status)),
        "query": query_without_page(request),
        "status": status,
        "statuses": [("active", _("Active")), *ItemStatus.choices, ("all", _("All"))],
        "can_raise": permissions.can_raise_item(request.user),
        "can_stats": permissions.can_view_stats(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "feedback/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_raise(request: HttpRequest) -> HttpResponse:
    if not permissions.can_raise_item(request.user):
        raise PermissionDenied(_("Only trainees raise feedback items."))
    form = RaiseForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.item_raise(actor=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Your item is sent to %(institution)s.") % {"institution": item.institution},
                )
                return redirect("feedback:detail", pk=item.pk)
        return render(request, "feedback/raise.html", {"form": form}, status=400)
    return render(request, "feedback/raise.html", {"form": form})


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    user = request.user
    context = {
        "item": item,
        "is_raiser": permissions.is_raiser(user, item),
        "is_handler": permissions.is_handler(user, item),
        "can_acknowledge": permissions.can_acknowledge_item(user, item),
        "can_start": permissions.can_start_item(user, item),
        "can_resolve": permissions.can_resolve_item(user, item),
        "can_confirm": permissions.can_confirm_item(user, item),
        "can_reopen": permissions.can_reopen_item(user, item),
        "note_form": NoteForm(),
        "resolve_form": ResolveForm(),
        "reopen_form": ReopenForm(),
        "history": audit_history(item)[:50],
    }
    return render(request, "feedback/detail.html", context)


def _step(request: HttpRequest, item: FeedbackItem, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("feedback:detail", pk=item.pk)
    messages.success(request, done)
    return redirect("feedback:detail", pk=item.pk)


@login_required
@require_POST
def item_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    note = request.POST.get("note", "")
    return _step(
        request,
        item,
        lambda: services.item_acknowledge(actor=request.user, item=item, note=note),
        _("The item is acknowledged."),
    )


@login_required
@require_POST
def item_start(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    note = request.POST.get("note", "")
    return _step(
        request,
        item,
        lambda: services.item_start(actor=request.user, item=item, note=note),
        _("Work on the item has started."),
    )


@login_required
@require_POST
def item_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    resolution = request.POST.get("resolution", "")
    return _step(
        request,
        item,
        lambda: services.item_resolve(actor=request.user, item=item, resolution=resolution),
        _("The item is resolved; the trainee confirms or reopens it."),
    )


@login_required
@require_POST
def item_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    return _step(
        request,
        item,
        lambda: services.item_confirm(actor=request.user, item=item),
        _("Thank you: the item is closed."),
    )


@login_required
@require_POST
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request.user, pk)
    reason = request.POST.get("reason", "")
    return _step(
        request,
        item,
        lambda: services.item_reopen(actor=request.user, item=item, reason=reason),
        _("The item is reopened."),
    )


@login_required
@require_GET
def item_export(request: HttpRequest) -> HttpResponse:
    """The items the person handles, as CSV: no raiser for an anonymous item."""
    if not permissions.can_view_stats(request.user):
        raise PermissionDenied(_("Only coordinators export feedback items."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback-items.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Category"),
            _("Subject"),
            _("Raised by"),
            _("Routed to"),
            _("Status"),
            _("Raised on"),
            _("Acknowledge by"),
            _("Resolve by"),
            _("Times reopened"),
        ]
    )
    for item in selectors.item_list_for_page(request.user, status="all"):
        writer.writerow(
            [
                item.pk,
                item.get_category_display(),
                item.title,
                _("Anonymous") if item.is_anonymous else str(item.raised_by),
                str(item.institution),
                item.get_status_display(),
                item.raised_on.isoformat(),
                item.acknowledge_due.isoformat(),
                item.resolve_due.isoformat(),
                item.reopen_count,
            ]
        )
    return response


@login_required
@require_GET
def item_stats(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_stats(request.user):
        raise PermissionDenied(_("Only coordinators see the feedback statistics."))
    return render(
        request,
        "feedback/stats.html",
        {"rows": selectors.item_stats(request.user), "minimum": selectors.STATS_MIN_GROUP},
    )


@login_required
@require_http_methods(["GET", "POST"])
def routing(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = agreement_get_for_user_or_404(request.user, agreement_pk)
    if not permissions.can_manage_routing(request.user, agreement):
        raise PermissionDenied(_("Only the coordinators of the agreement's parties route it."))
    form = RoutingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.routing_set(actor=request.user, agreement=agreement, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The routing is saved."))
                return redirect("feedback:routing", agreement_pk=agreement.pk)
        status = 400
    context = {"agreement": agreement, "rows": selectors.routing_table(agreement.pk), "form": form}
    return render(request, "feedback/routing.html", context, status=status)


# --- Seminars -----------------------------------------------------------------------------------


@login_required
@require_GET
def seminar_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.seminar_list_visible_to(request.user).select_related(
        "agreement", "host_site"
    )
    context = {
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_create": permissions.can_create_seminar(request.user),
    }
    return render(request, "feedback/seminar_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_seminar(request.user):
        raise PermissionDenied(_("Only coordinators organize seminars."))
    form = SeminarForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                seminar = services.seminar_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The seminar is scheduled and the group invited."))
                return redirect("feedback:seminar_detail", pk=seminar.pk)
        return render(request, "feedback/seminar_form.html", {"form": form}, status=400)
    return render(request, "feedback/seminar_form.html", {"form": form})


@login_required
@require_GET
def seminar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seminar = selectors.seminar_get_for_user_or_404(request.user, pk)
    can_record = permissions.can_record_seminar(request.user, seminar)
    invitations = list(selectors.seminar_invitations(seminar))
    context = {
        "seminar": seminar,
        "carried": selectors.seminar_carried_items(seminar),
        "previous": selectors.seminar_previous(seminar),
        "invitations": invitations,
        "raised": list(seminar.feedback_items.order_by("id")),
        "can_record": can_record,
        "can_raise": permissions.can_raise_at_seminar(request.user, seminar),
        "attendance_choices": ATTENDANCE_CHOICES,
        "minutes_form": MinutesForm(initial={"minutes": seminar.minutes}),
        "raise_form": SeminarRaiseForm(),
        "history": audit_history(seminar)[:50],
    }
    return render(request, "feedback/seminar_detail.html", context)


@login_required
@require_POST
def seminar_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    seminar = selectors.seminar_get_for_user_or_404(request.user, pk)
    if not permissions.can_record_seminar(request.user, seminar):
        raise PermissionDenied(_("Only the seminar's organizers record the attendance."))
    attendance = {}
    for invitation in seminar.invitations.all():
        value = request.POST.get(attendance_field_name(invitation.pk))
        if value:
            attendance[invitation.pk] = value
    try:
        services.seminar_record_attendance(
            actor=request.user, seminar=seminar, attendance=attendance
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The attendance is recorded."))
    return redirect("feedback:seminar_detail", pk=seminar.pk)


@login_required
@require_POST
def seminar_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    seminar = selectors.seminar_get_for_user_or_404(request.user, pk)
    if not permissions.can_record_seminar(request.user, seminar):
        raise PermissionDenied(_("Only the seminar's organizers write the minutes."))
    try:
        services.seminar_record_minutes(
            actor=request.user, seminar=seminar, minutes=request.POST.get("minutes", "")
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The minutes are saved."))
    return redirect("feedback:seminar_detail", pk=seminar.pk)


@login_required
@require_POST
def seminar_raise(request: HttpRequest, pk: int) -> HttpResponse:
    seminar = selectors.seminar_get_for_user_or_404(request.user, pk)
    if not permissions.can_raise_at_seminar(request.user, seminar):
        raise PermissionDenied(_("Only the trainees invited to the seminar raise items there."))
    form = SeminarRaiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a category, a subject and the problem."))
        return redirect("feedback:seminar_detail", pk=seminar.pk)
    try:
        item = services.seminar_raise_item(actor=request.user, seminar=seminar, **form.cleaned_data)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("feedback:seminar_detail", pk=seminar.pk)
    messages.success(
        request, _("Your item is sent to %(institution)s.") % {"institution": item.institution}
    )
    return redirect("feedback:detail", pk=item.pk)
