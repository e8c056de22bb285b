"""The training office's page of assessment plans: which components each program's
rotation-end assessment has in each department, their pass marks, the due days and the
engine's forms (decision 105)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.assessments import selectors, services
from tandem.assessments.forms import PlanForm
from tandem.core.forms import apply_validation_error


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    if not selectors.programs_managed_by(request.user).exists():
        raise PermissionDenied(_("Only the programs' training offices keep assessment plans."))
    form = PlanForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            program, department = data.pop("program"), data.pop("department")
            try:
                services.plan_save(
                    actor=request.user, program=program, department=department, **data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:plans")
        status = 400
    context = {"form": form, "plans": selectors.plan_list_visible_to(request.user)[:200]}
    return render(request, "assessments/plans.html", context, status=status)
