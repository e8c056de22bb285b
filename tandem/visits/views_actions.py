"""Exchange-visit actions (add, read, follow up), the report and the export: thin views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.audit import audit_history
from tandem.core.spreadsheets import XLSX
from tandem.visits import forms, permissions, report, selectors, services
from tandem.visits.views import form_errors, show_errors


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user_or_404(request.user, pk)
    if not permissions.can_add_action(request.user, visit):
        raise PermissionDenied(_("Each side adds the actions it owns; the host adds any."))
    form = forms.ActionForm(request.POST, visit=visit)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("visits:visit_detail", pk=pk)
    try:
        action = services.action_add(actor=request.user, visit=visit, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("visits:visit_detail", pk=pk)
    messages.success(request, _("The action is added; its owner is told."))
    return redirect("visits:action_detail", pk=action.pk)


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user_or_404(request.user, pk)
    context = {
        "action": action,
        "visit": action.visit,
        "can_progress": permissions.can_progress_action(request.user, action),
        "can_accept": permissions.can_accept_action(request.user, action),
        "history": audit_history(action)[:20],
    }
    return render(request, "visits/action_detail.html", context)


@login_required
@require_POST
def action_step(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user_or_404(request.user, pk)
    if not permissions.can_step_action_at_all(request.user, action):
        raise PermissionDenied(_("Only the owner and the training offices follow an action up."))
    form = forms.StepForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("visits:action_detail", pk=pk)
    try:
        services.action_step(actor=request.user, action=action, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("visits:action_detail", pk=pk)


def _readable_report(request: HttpRequest, pk: int):
    visit = selectors.visit_get_for_user_or_404(request.user, pk)
    if not selectors.takes_part_fully(request.user, visit):
        raise PermissionDenied(_("The report is for the people taking part in the visit."))
    return visit


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _readable_report(request, pk)
    language = request.GET.get("lang") or translation.get_language() or "en"
    if language not in dict(settings.LANGUAGES):
        language = "en"
    pdf = report.report_pdf(request.user, visit, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}-{language}.pdf"'
    return response


@login_required
@require_GET
def actions_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _readable_report(request, pk)
    response = HttpResponse(report.actions_workbook(request.user, visit), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}-actions.xlsx"'
    return response
