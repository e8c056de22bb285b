"""Annual assessment and completion pages (decision 112): thin views over the selectors,
permissions and services. A resident someone may not see is the same 404 as one that does not
exist; an action of a role someone does not have answers 403; bad input shows the message,
nothing saved."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.assessments import permissions_completion, selectors_completion, services_completion
from tandem.assessments.forms_completion import (
    AnnualPlanForm,
    AnnualRecordForm,
    AnnualScheduleForm,
    CompletionFilterForm,
    CompletionResultForm,
    CompletionRuleForm,
)
from tandem.assessments.models_completion import specialty_text
from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.core.spreadsheets import workbook


def _office_only(user: Any) -> set[int] | None:
    offices = selectors_completion.office_institution_ids(user)
    if offices is not None and not offices:
        raise PermissionDenied(_("Only the training offices see the completion list."))
    return offices


def _recorder_only(user: Any) -> None:
    if not selectors_completion.programs_recorded_by(user).exists():
        raise PermissionDenied(_("Only the training offices keep annual and completion rules."))


def home_links(user: Any) -> dict[str, bool]:
    """What the assessments home page links to: the office list, the resident's checklist."""
    offices = selectors_completion.office_institution_ids(user)
    return {
        "can_see_completion": offices is None or bool(offices),
        "has_checklist": selectors_completion.members_visible_to(user)
        .filter(resident_id=user.pk)
        .exists(),
    }


def filtered_candidates(user: Any, data: Any) -> tuple[CompletionFilterForm, list[Any]]:
    """The office list's rows under the filter (shared by the page, the export and the API)."""
    offices = _office_only(user)
    form = CompletionFilterForm(data, user=user)
    members = selectors_completion.members_visible_to(user)
    if offices is not None:
        members = members.filter(cohort__institution_id__in=offices)
    eligible = ""
    if form.is_valid():
        if form.cleaned_data["cohort"]:
            members = members.filter(cohort=form.cleaned_data["cohort"])
        if form.cleaned_data["program"]:
            members = members.filter(program=form.cleaned_data["program"])
        eligible = form.cleaned_data["eligible"]
    candidates = selectors_completion.candidates_of(members)
    if eligible:
        candidates = [c for c in candidates if c.verdict.eligible == (eligible == "yes")]
    return form, candidates


@login_required
@require_GET
def completion(request: HttpRequest) -> HttpResponse:
    form, candidates = filtered_candidates(request.user, request.GET)
    context = {
        "form": form,
        "candidates": candidates,
        "eligible_count": sum(1 for c in candidates if c.verdict.eligible),
        "query": request.GET.urlencode(),
        "can_keep": selectors_completion.programs_recorded_by(request.user).exists(),
    }
    return render(request, "assessments/completion.html", context)


@login_required
@require_GET
def completion_export(request: HttpRequest) -> HttpResponse:
    """One row per resident for the provincial examination system; text stays text."""
    _form, candidates = filtered_candidates(request.user, request.GET)
    header = [
        _("Resident"),
        _("Username"),
        _("Email"),
        _("Phone"),
        _("Program"),
        _("Specialty"),
        _("Cohort"),
        _("Training ends"),
        _("Eligible"),
        _("Missing items"),
        _("Completion result"),
        _("Certificate number"),
    ]
    rows = [
        [
            c.resident.full_name,
            c.resident.username,
            c.resident.email,
            c.resident.phone,
            str(c.member.program),
            specialty_text(c.specialty),
            str(c.member.cohort),
            c.training_ends,
            _("Yes") if c.verdict.eligible else _("No"),
            "; ".join(c.missing_texts),
            c.result.get_outcome_display() if c.result else "",
            c.result.certificate_number if c.result else "",
        ]
        for c in candidates
    ]
    body = workbook(_("Completion eligibility"), header, rows)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="completion-{stamp}.xlsx"'
    return response


def _result_form_for(request: HttpRequest, candidate: Any, data: Any = None) -> Any:
    initial = {"specialty": candidate.specialty, "decided_on": timezone.localdate()}
    return CompletionResultForm(data, initial=initial)


@login_required
@require_GET
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors_completion.resident_get_for_user_or_404(request.user, pk)
    rows = []
    for candidate in selectors_completion.candidates_of_resident(resident.pk):
        can_record = permissions_completion.can_record_completion(
            request.user, candidate.institution_id
        )
        final = candidate.result is not None and candidate.result.outcome != "deferred"
        rows.append(
            {
                "candidate": candidate,
                "form": _result_form_for(request, candidate)
                if can_record and candidate.verdict.eligible and not final
                else None,
                "can_record": can_record,
            }
        )
    annual = selectors_completion.annual_list_visible_to(request.user).filter(
        resident_id=resident.pk
    )
    context = {"resident": resident, "rows": rows, "annual": annual}
    return render(request, "assessments/checklist.html", context)


@login_required
@require_POST
def completion_record(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors_completion.resident_get_for_user_or_404(request.user, pk)
    specialty = request.POST.get("specialty", "")
    candidates = [
        c
        for c in selectors_completion.candidates_of_resident(resident.pk)
        if permissions_completion.can_record_completion(request.user, c.institution_id)
    ]
    if not candidates:
        raise PermissionDenied(_("Only the resident's training office records completion."))
    chosen = next((c for c in candidates if c.specialty == specialty), candidates[0])
    form = CompletionResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_completion.completion_result_record(
                actor=request.user,
                resident=resident,
                institution_id=chosen.institution_id,
                specialty=chosen.specialty,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                certificate_number=data["certificate_number"],
                remarks=data["remarks"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:checklist", pk=resident.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("assessments:checklist", pk=resident.pk)


@login_required
@require_http_methods(["GET", "POST"])
def completion_rules(request: HttpRequest) -> HttpResponse:
    """The completion rules of each specialty and the annual plan of each program."""
    _recorder_only(request.user)
    which = request.POST.get("which", "")
    rule_form = CompletionRuleForm(
        request.POST if which == "rule" else None, user=request.user, prefix="rule"
    )
    plan_form = AnnualPlanForm(
        request.POST if which == "plan" else None, user=request.user, prefix="plan"
    )
    status = 200
    if request.method == "POST":
        form = rule_form if which == "rule" else plan_form
        if form.is_valid():
            data = dict(form.cleaned_data)
            program = data.pop("program")
            try:
                if which == "rule":
                    services_completion.completion_rule_save(
                        actor=request.user,
                        institution_id=program.institution_id,
                        specialty=program.specialty,
                        **data,
                    )
                else:
                    services_completion.annual_plan_save(
                        actor=request.user, program=program, **data
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:completion_rules")
        status = 400
    context = {
        "rule_form": rule_form,
        "plan_form": plan_form,
        "rules": selectors_completion.rule_list_visible_to(request.user),
        "plans": selectors_completion.annual_plans_visible_to(request.user),
    }
    return render(request, "assessments/completion_rules.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def annual(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_schedule = selectors_completion.cohorts_recorded_by(user).exists()
    form = AnnualScheduleForm(request.POST or None, user=user) if can_schedule else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the training offices schedule annual exams."))
        if form.is_valid():
            try:
                done = services_completion.annual_schedule(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("%(count)s annual assessments scheduled.") % {"count": len(done)}
                )
                return redirect("assessments:annual")
        status = 400
    context = {
        "form": form,
        "assessments": paginate(request, selectors_completion.annual_list_visible_to(user)),
    }
    return render(request, "assessments/annual.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors_completion.annual_get_for_user_or_404(request.user, pk)
    can_record = permissions_completion.can_record_annual(request.user, assessment)
    plan = selectors_completion.annual_plan_for(assessment.member.program_id)
    allowed = plan.reexams_allowed if plan else 1
    is_open = permissions_completion.annual_open_for_results(assessment, allowed)
    form = AnnualRecordForm(request.POST or None) if can_record else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the resident's training office records annual results."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services_completion.annual_record(actor=request.user, assessment=assessment, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:annual_detail", pk=pk)
        status = 400
    context = {
        "assessment": assessment,
        "plan": plan,
        "form": form if is_open or request.method == "POST" else None,
        "history": audit_history(assessment)[:20],
    }
    return render(request, "assessments/annual_detail.html", context, status=status)
