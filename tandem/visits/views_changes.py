"""Changing a visit (decision 114): its details, removing a person of the delegation and a
discussion session, each with the service's message when it refuses (nothing saved)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.forms import apply_validation_error
from tandem.visits import forms, permissions, selectors, services_changes
from tandem.visits.views import MANAGE_ONLY, _managed, show_errors


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    initial = {name: getattr(visit, name) for name in services_changes.EDITABLE}
    form = forms.VisitEditForm(request.POST or None, initial=initial)
    context = {"form": form, "visit": visit}
    if request.method == "POST":
        if form.is_valid():
            try:
                services_changes.visit_update(actor=request.user, visit=visit, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The visit is changed."))
                return redirect("visits:visit_detail", pk=pk)
        return render(request, "visits/visit_edit.html", context, status=400)
    return render(request, "visits/visit_edit.html", context)


@login_required
@require_POST
def delegate_remove(request: HttpRequest, pk: int, delegate_pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    delegate = visit.delegates.filter(pk=delegate_pk).first()
    try:
        services_changes.delegate_remove(
            actor=request.user,
            visit=visit,
            delegate=delegate,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The person no longer takes part."))
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_visit(request.user, session.visit):
        raise PermissionDenied(MANAGE_ONLY)
    try:
        services_changes.session_remove(
            actor=request.user, session=session, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("visits:session_detail", pk=pk)
    messages.success(request, _("The session is removed from the visit."))
    return redirect("visits:visit_detail", pk=session.visit_id)
