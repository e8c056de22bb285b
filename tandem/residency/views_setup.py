"""Set-up pages of a training office: programs and their requirements, new cohorts and exchange
quotas. (Cohort members are in `views_member.py`.)"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.residency import permissions, selectors, services
from tandem.residency.forms import CohortForm, ProgramForm, QuotaForm, RequirementForm

PROGRAM_EDIT_FIELDS = ("name", "code", "specialty", "training_year", "may_idle")


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _program_page(request: HttpRequest, program: Any = None) -> HttpResponse:
    initial = None
    if program is not None:
        initial = {
            "institution": program.institution_id,
            **{f: getattr(program, f) for f in PROGRAM_EDIT_FIELDS},
        }
    form = ProgramForm(
        _data(request),
        initial=initial,
        institutions=selectors.institution_list_managed_by(request.user),
    )
    if program is not None:
        form.fields["institution"].disabled = True
    if request.method == "POST":
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in PROGRAM_EDIT_FIELDS}
            try:
                if program is None:
                    program = services.program_create(
                        actor=request.user, institution=form.cleaned_data["institution"], **values
                    )
                    messages.success(
                        request, _("The program is created; add its required rotations.")
                    )
                else:
                    services.program_update(actor=request.user, program=program, **values)
                    messages.success(request, _("The program is saved."))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("residency:program_detail", pk=program.pk)
        return render(
            request, "residency/program_form.html", {"form": form, "program": program}, status=400
        )
    return render(request, "residency/program_form.html", {"form": form, "program": program})


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_program(request.user):
        raise PermissionDenied(_("Only training offices create programs."))
    return _program_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_program(request.user, program):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    return _program_page(request, program)


def _requirement_for_editor(request: HttpRequest, pk: int) -> Any:
    requirement = selectors.requirement_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_requirement(request.user, requirement):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    return requirement


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _requirement_for_editor(request, pk)
    current = [d.pk for d in requirement.departments.all()]
    departments = selectors.department_list_visible_to(request.user).filter(
        Q(is_active=True) | Q(pk__in=current)
    )
    form = RequirementForm(
        _data(request),
        departments=departments,
        initial={
            "departments": current,
            "min_blocks": requirement.min_blocks,
            "max_blocks": requirement.max_blocks,
            "is_elective": requirement.is_elective,
        },
    )
    context = {"form": form, "requirement": requirement, "program": requirement.program}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.requirement_update(
                    actor=request.user,
                    requirement=requirement,
                    departments=list(form.cleaned_data["departments"]),
                    min_blocks=form.cleaned_data["min_blocks"],
                    max_blocks=form.cleaned_data["max_blocks"],
                    is_elective=form.cleaned_data["is_elective"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The requirement is saved."))
                return redirect("residency:program_detail", pk=requirement.program_id)
        return render(request, "residency/requirement_form.html", context, status=400)
    return render(request, "residency/requirement_form.html", context)


@login_required
@require_POST
def requirement_remove(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _requirement_for_editor(request, pk)
    try:
        services.requirement_remove(actor=request.user, requirement=requirement)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The requirement is removed."))
    return redirect("residency:program_detail", pk=requirement.program_id)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_cohort(request.user):
        raise PermissionDenied(_("Only training offices create cohorts."))
    form = CohortForm(
        _data(request),
        institutions=selectors.institution_list_managed_by(request.user),
        calendars=selectors.calendar_list_for_cohorts(request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                cohort = services.cohort_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The cohort is created; add its residents."))
                return redirect("residency:member_add", pk=cohort.pk)
        return render(request, "residency/cohort_form.html", {"form": form}, status=400)
    return render(request, "residency/cohort_form.html", {"form": form})


def _quota_page(
    request: HttpRequest, form: QuotaForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    agreements = selectors.agreement_list_for_quotas(user)
    page_obj = paginate(request, selectors.quota_list_visible_to(user))
    return render(
        request,
        "residency/quota_list.html",
        {
            "page_obj": page_obj,
            "editable": {q.pk for q in page_obj if permissions.can_edit_quota(user, q)},
            "history": selectors.quota_history(user)[:50],
            "form": form
            or QuotaForm(
                agreements=agreements,
                institutions=selectors.institution_list_of_agreements(agreements),
            ),
        },
        status=status,
    )


def _require_quota_office(request: HttpRequest) -> None:
    if not permissions.can_view_quotas(request.user):
        raise PermissionDenied(_("Exchange quotas are set by the hospitals' training offices."))


@login_required
@require_GET
def quota_list(request: HttpRequest) -> HttpResponse:
    _require_quota_office(request)
    return _quota_page(request)


@login_required
@require_POST
def quota_set(request: HttpRequest) -> HttpResponse:
    _require_quota_office(request)
    agreements = selectors.agreement_list_for_quotas(request.user)
    form = QuotaForm(
        request.POST,
        agreements=agreements,
        institutions=selectors.institution_list_of_agreements(agreements),
    )
    if form.is_valid():
        try:
            services.quota_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The exchange quota is set."))
            return redirect("residency:quota_list")
    return _quota_page(request, form, status=400)


@login_required
@require_POST
def quota_remove(request: HttpRequest, pk: int) -> HttpResponse:
    quota = selectors.quota_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_quota(request.user, quota):
        raise PermissionDenied(_("Only a party's training office removes exchange quotas."))
    try:
        services.quota_remove(actor=request.user, quota=quota)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The exchange quota is removed."))
    return redirect("residency:quota_list")
