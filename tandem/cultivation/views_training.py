"""Pages of the tutor training requirement (decision 092) and of a joint trainee's insurance
(decision 093)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.cultivation import permissions, selectors, selectors_training, services_training
from tandem.cultivation.forms import InsuranceForm, TrainingRequirementForm
from tandem.institutions.selectors import institution_get_for_user_or_404


def _institution_for_requirement(request: HttpRequest, pk: int) -> Any:
    institution = institution_get_for_user_or_404(request.user, pk)
    if not permissions.can_view_training_requirement(request.user, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of the institution sees its tutor training requirement.")
        )
    return institution


@login_required
@require_GET
def training_requirement(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for_requirement(request, pk)
    status = selectors_training.tutor_training_status(institution)
    return render(
        request,
        "cultivation/training_requirement.html",
        {
            "institution": institution,
            "limit": selectors_training.SHORT_LIST_LIMIT,
            **status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for_requirement(request, pk)
    current = selectors_training.requirement_for(institution.pk)
    initial = (
        {
            "hours_per_period": current.hours_per_period,
            "period_start_month": current.period_start_month,
            "mandatory_courses": current.mandatory_courses,
            "new_tutor_months": current.new_tutor_months,
        }
        if current
        else None
    )
    posted = request.method == "POST"
    form = (
        TrainingRequirementForm(request.POST)
        if posted
        else TrainingRequirementForm(initial=initial)
    )
    if posted and form.is_valid():
        try:
            services_training.tutor_training_requirement_set(
                actor=request.user, institution=institution, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The tutor training requirement is saved."))
            return redirect("cultivation:training_requirement", pk=institution.pk)
    return render(
        request,
        "cultivation/training_requirement_form.html",
        {"form": form, "institution": institution},
        status=400 if posted else 200,
    )


def _cultivation_for_insurance(request: HttpRequest, pk: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    if not permissions.can_view_insurance(request.user, cultivation):
        raise PermissionDenied(
            _("Only the trainee and the coordinators of the home and the host see the insurance.")
        )
    return cultivation


@login_required
@require_GET
def insurance(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = _cultivation_for_insurance(request, pk)
    return render(
        request,
        "cultivation/insurance.html",
        {
            "cultivation": cultivation,
            "insurances": selectors_training.insurance_list_for(cultivation.trainee),
            "problem": services_training.upcoming_stay_insurance_problem(
                cultivation, timezone.localdate()
            ),
            "can_record": permissions.can_record_insurance(request.user, cultivation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def insurance_add(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = _cultivation_for_insurance(request, pk)
    posted = request.method == "POST"
    form = InsuranceForm(request.POST) if posted else InsuranceForm()
    if posted and form.is_valid():
        try:
            services_training.trainee_insurance_record(
                actor=request.user, cultivation=cultivation, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The insurance is on file."))
            return redirect("cultivation:insurance", pk=cultivation.pk)
    return render(
        request,
        "cultivation/insurance_form.html",
        {"form": form, "cultivation": cultivation},
        status=400 if posted else 200,
    )
