"""Assessment pages: thin views over selectors, permissions and services. An assessment or
WBA someone may not see is the same 404 as one that does not exist; an action of a role
someone does not have answers 403; bad input shows the service's message, nothing saved."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.assessments import permissions, selectors, services, services_wba, views_completion
from tandem.assessments.forms import WbaStartForm
from tandem.assessments.models import ComponentKind, WbaForm
from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.residency.models import ScheduleProposal


def _show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "assessments": paginate(request, selectors.assessment_list_visible_to(user)),
        "can_start_wba": permissions.can_start_wba(user),
        "can_issue_codes": permissions.can_issue_codes(user),
        "can_keep_plans": selectors.programs_managed_by(user).exists(),
        "to_confirm": selectors.wba_list_to_confirm(user)[:50],
        "my_wbas": selectors.wba_list_visible_to(user).filter(resident_id=user.pk)[:20],
        "progress": selectors.wba_progress_of_resident(user.pk),
        **views_completion.home_links(user),
    }
    return render(request, "assessments/home.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user_or_404(request.user, pk)
    user = request.user
    remediation = getattr(assessment, "remediation", None)
    context = {
        "assessment": assessment,
        "components": selectors.components_of(assessment),
        "remediation": remediation,
        "can_record": permissions.can_record_component(user, assessment),
        "can_sign_off": permissions.can_sign_off(user, assessment),
        "can_write_summary": permissions.can_write_summary(user, assessment),
        "can_decide": permissions.can_decide(user, assessment),
        "can_plan": permissions.can_plan_remediation(user, assessment),
        "history": audit_history(assessment)[:20],
        "kinds": ComponentKind,
    }
    if context["can_plan"]:
        context["proposals"] = services.editable_proposals(assessment)
        context["blocks"] = services.future_blocks(assessment)
    return render(request, "assessments/detail.html", context)


def _act(request: HttpRequest, pk: int, allowed: Any, message: str, action: Any) -> HttpResponse:
    assessment = selectors.assessment_get_for_user_or_404(request.user, pk)
    if not allowed(request.user, assessment):
        raise PermissionDenied(message)
    try:
        action(assessment)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    kind = post.get("kind", "")

    def action(assessment: Any) -> None:
        stations = None
        if kind == ComponentKind.SKILLS:
            names = post.getlist("station_name")
            scores = post.getlist("station_score")
            maxima = post.getlist("station_max")
            stations = [
                {"name": n, "score": s, "max": m}
                for n, s, m in zip(names, scores, maxima, strict=False)
                if n or s or m
            ]
        services.component_record(
            actor=request.user,
            assessment=assessment,
            kind=kind,
            score=post.get("score"),
            stations=stations,
            note=post.get("note", ""),
        )

    return _act(
        request,
        pk,
        permissions.is_examiner_of,
        _("Only the department's teachers and the training offices record results."),
        action,
    )


@login_required
@require_POST
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda user, a: a.resident_id == user.pk,
        _("Only the resident writes the rotation summary."),
        lambda a: services.summary_submit(
            actor=request.user, assessment=a, text=request.POST.get("text", "")
        ),
    )


@login_required
@require_POST
def signoff(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.is_department_head_of,
        _("Only the department head signs off."),
        lambda a: services.signoff_record(
            actor=request.user,
            assessment=a,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        ),
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.is_office_of,
        _("Only the resident's training office decides assessments."),
        lambda a: services.assessment_decide(actor=request.user, assessment=a),
    )


@login_required
@require_POST
def remediate(request: HttpRequest, pk: int) -> HttpResponse:
    def action(assessment: Any) -> None:
        proposal = None
        raw = request.POST.get("proposal", "")
        if raw.isdigit():
            proposal = ScheduleProposal.objects.filter(
                pk=int(raw), cohort_id=assessment.member.cohort_id
            ).first()
        block = request.POST.get("block", "")
        services.remediation_plan(
            actor=request.user,
            assessment=assessment,
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
            proposal=proposal,
            block=int(block) if block.isdigit() else None,
        )

    return _act(
        request,
        pk,
        permissions.is_office_of,
        _("Only the resident's training office plans a remediation."),
        action,
    )


# --------------------------------------------------------------------------- WBAs


@login_required
@require_http_methods(["GET", "POST"])
def wba_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_start_wba(request.user):
        raise PermissionDenied(_("Only residents on a published schedule start WBAs."))
    raw = request.POST.get("form") or request.GET.get("form") or ""
    chosen = WbaForm.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None
    form = WbaStartForm(
        request.POST if request.method == "POST" and chosen else None,
        user=request.user,
        chosen=chosen,
    )
    if chosen is not None and chosen not in form.fields["form"].queryset:
        chosen = None
    if request.method == "POST" and chosen is not None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                wba = services_wba.wba_start(
                    actor=request.user,
                    department=data["department"],
                    form=data["form"],
                    teacher=data["teacher"],
                    date=data["date"],
                    case=data["case"],
                    ratings=form.ratings(),
                    feedback=data["feedback"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved: now the teacher confirms it."))
                return redirect("assessments:wba_detail", pk=wba.pk)
        return render(
            request, "assessments/wba_form.html", {"form": form, "chosen": chosen}, status=400
        )
    return render(request, "assessments/wba_form.html", {"form": form, "chosen": chosen})


@login_required
@require_GET
def wba_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wba = selectors.wba_get_for_user_or_404(request.user, pk)
    context = {
        "wba": wba,
        "ratings": [(label, wba.ratings.get(code)) for code, label in wba.form.domain_labels()],
        "can_confirm": permissions.can_confirm_wba(request.user, wba),
        "can_enter_code": permissions.can_enter_code(request.user, wba),
        "history": audit_history(wba)[:20],
    }
    return render(request, "assessments/wba_detail.html", context)


@login_required
@require_POST
def wba_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    wba = selectors.wba_get_for_user_or_404(request.user, pk)
    if wba.teacher_id != request.user.pk:
        raise PermissionDenied(_("Only the WBA's teacher confirms it."))
    try:
        services_wba.wba_confirm(
            actor=request.user,
            wba=wba,
            confirm=request.POST.get("confirm") != "0",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("assessments:wba_detail", pk=pk)


@login_required
@require_POST
def wba_code(request: HttpRequest, pk: int) -> HttpResponse:
    wba = selectors.wba_get_for_user_or_404(request.user, pk)
    if wba.resident_id != request.user.pk:
        raise PermissionDenied(_("Only the resident's own phone takes the teacher's code."))
    try:
        services_wba.wba_confirm_with_code(
            actor=request.user, wba=wba, code=request.POST.get("code", "")
        )
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Confirmed by the teacher."))
    return redirect("assessments:wba_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def code_issue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_issue_codes(request.user):
        raise PermissionDenied(_("Only teachers of a department issue codes."))
    context: dict[str, Any] = {}
    if request.method == "POST":
        row, plain = services_wba.wba_code_issue(actor=request.user)
        context = {"code": plain, "expires_at": row.expires_at}
    return render(request, "assessments/code.html", context)
