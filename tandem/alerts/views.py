"""Alert inbox, warning pages, the overview, thresholds and notifications."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.alerts import permissions, selectors, services
from tandem.alerts.forms import (
    NoteForm,
    PreferenceForm,
    ResolveForm,
    ThresholdsForm,
    WarningFilterForm,
)
from tandem.alerts.models import EarlyWarning, Rule
from tandem.alerts.texts import notification_text, warning_text
from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.institutions.selectors import institution_list_in_reach_of


@login_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    filters = WarningFilterForm(
        request.GET or None, institutions=institution_list_in_reach_of(request.user)
    )
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    institution = values.get("institution")
    queryset = selectors.warning_list_for_page(
        request.user,
        state=values.get("state") or "active",
        rule=values.get("rule") or "",
        institution_id=institution.pk if institution else None,
    )
    page_obj = paginate(request, queryset)
    for warning in page_obj:
        warning.text = warning_text(warning)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "query": query_without_page(request),
        "can_overview": permissions.can_view_overview(request.user),
    }
    if request.htmx:
        return render(request, "alerts/_warning_results.html", context)
    return render(request, "alerts/list.html", context)


def _detail(
    request: HttpRequest, warning: EarlyWarning, status: int = 200, **forms: Any
) -> HttpResponse:
    can_handle = permissions.can_handle_warning(request.user, warning)
    return render(
        request,
        "alerts/detail.html",
        {
            "warning": warning,
            "text": warning_text(warning),
            "can_handle": can_handle,
            "ack_form": forms.get("ack_form") or NoteForm(),
            "resolve_form": forms.get("resolve_form") or ResolveForm(),
            "history": audit_history(warning)[:50],
        },
        status=status,
    )


@login_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.warning_get_for_user_or_404(request.user, pk))


def _handled(request: HttpRequest, pk: int) -> EarlyWarning:
    warning = selectors.warning_get_for_user_or_404(request.user, pk)
    if not permissions.is_responsible_for(request.user, warning):
        raise PermissionDenied(_("Only the people responsible can act on this warning."))
    return warning


@login_required
@require_POST
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _handled(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.warning_acknowledge(
                actor=request.user, warning=warning, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The warning is acknowledged."))
            return redirect("alerts:detail", pk=warning.pk)
    return _detail(request, warning, status=400, ack_form=form)


@login_required
@require_POST
def warning_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _handled(request, pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.warning_resolve(
                actor=request.user, warning=warning, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The warning is resolved."))
            return redirect("alerts:detail", pk=warning.pk)
    return _detail(request, warning, status=400, resolve_form=form)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_overview(request.user):
        raise PermissionDenied(_("The overview is for coordinators."))

    by_rule = selectors.open_warnings_by_rule(request.user)
    top = max(by_rule.values(), default=0) or 1
    return render(
        request,
        "alerts/overview.html",
        {
            "rows": selectors.open_warnings_by_institution(request.user),
            "by_rule": [
                {
                    "label": label,
                    "count": by_rule.get(value, 0),
                    "pct": round(100 * by_rule.get(value, 0) / top),
                }
                for value, label in Rule.choices
            ],
            "institutions": selectors.institutions_with_editable_thresholds(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def thresholds_edit(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = selectors.institution_get_for_thresholds_or_404(request.user, institution_pk)
    if not permissions.can_edit_thresholds(request.user, institution):
        raise PermissionDenied(
            _("Only a coordinator of the institution can change its thresholds.")
        )
    current = selectors.thresholds_for(institution)
    form = ThresholdsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.thresholds_update(
                    actor=request.user, institution=institution, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The thresholds are saved."))
                return redirect("alerts:thresholds", institution_pk=institution.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "alerts/thresholds.html",
        {
            "form": form,
            "institution": institution,
            "history": audit_history(current)[:50] if current.pk else [],
        },
        status=status,
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page_obj = paginate(
        request, selectors.notification_list_for(request.user, unread_only=unread_only)
    )
    for notification in page_obj:
        notification.text = notification_text(notification)
    return render(
        request,
        "alerts/notifications.html",
        {
            "page_obj": page_obj,
            "query": query_without_page(request),
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_for_user_or_404(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.url and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("alerts:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": count})
    return redirect("alerts:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial={"email_mode": current.email_mode})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preference_update(
                    actor=request.user, email_mode=form.cleaned_data["email_mode"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("alerts:preferences")
        return render(request, "alerts/preferences.html", {"form": form}, status=400)
    return render(request, "alerts/preferences.html", {"form": form})
