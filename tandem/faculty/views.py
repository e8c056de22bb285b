"""The teachers' pages: access through the selectors, writes through the services."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.faculty import exports, permissions, selectors, services, texts, workload
from tandem.faculty.forms import (
    AssignForm,
    EndForm,
    GoalForm,
    PlanStartForm,
    PolicyForm,
    ProfileFields,
    ProfileForm,
    ReviewForm,
    TrainingForm,
)
from tandem.faculty.models import GoalStatus
from tandem.faculty.qualification import full_years, reasons_not_qualified


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _reasons(profile: Any, policies: Any, today: datetime.date) -> list[str]:
    found = reasons_not_qualified(selectors.facts_of(profile), policies[profile.base_id], today)
    return [texts.reason_text(reason) for reason in found]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    own = list(selectors.own_profiles(request.user))
    policies = selectors.policies_by_base({p.base_id for p in own})
    context = {
        "own": [{"profile": p, "reasons": _reasons(p, policies, today)} for p in own],
        "bases": list(selectors.base_list_managed_by(request.user)[:200]),
    }
    return render(request, "faculty/home.html", context)


@login_required
@require_GET
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The base's teachers, their qualification today and their workload in a year: a fixed
    number of queries whatever the number of teachers."""
    base = selectors.base_get_for_user_or_404(request.user, pk)
    today, year = timezone.localdate(), _year(request)
    policy_row = selectors.policy_row(base)
    policies = {base.pk: selectors.policy_of(policy_row)}
    rows = workload.rows_for(selectors.profiles_of_base(base), workload.year_period(year))
    for row in rows:
        row["reasons"] = _reasons(row["profile"], policies, today)
    context = {
        "base": base,
        "year": year,
        "rows": rows,
        "policy_form": PolicyForm(
            initial={
                "min_attending_years": policy_row.min_attending_years,
                "certificate_required": policy_row.certificate_required,
                "max_residents_general": policy_row.max_residents_general,
                "max_residents_key": policy_row.max_residents_key,
            }
        ),
        "profile_form": ProfileForm(base=base),
    }
    return render(request, "faculty/base.html", context)


@login_required
@require_GET
def workload_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    year = _year(request)
    rows = workload.rows_for(selectors.profiles_of_base(base), workload.year_period(year))
    response = HttpResponse(
        exports.workload_workbook(base, year, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="teachers-{base.pk}-{year}.xlsx"'
    return response


@login_required
@require_POST
def policy_set(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:base_detail", pk=pk)
    try:
        services.policy_set(actor=request.user, base=base, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The qualification rule is saved."))
    return redirect("faculty:base_detail", pk=pk)


@login_required
@require_POST
def profile_add(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    form = ProfileForm(request.POST, base=base)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:base_detail", pk=pk)
    try:
        profile = services.profile_create(actor=request.user, base=base, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("faculty:base_detail", pk=pk)
    messages.success(request, _("The teacher's profile is saved."))
    return redirect("faculty:profile_detail", pk=profile.pk)


@login_required
@require_GET
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    today, year = timezone.localdate(), _year(request)
    policies = {profile.base_id: selectors.policy_of(selectors.policy_row(profile.base))}
    trainings = list(profile.trainings.all())
    totals = (
        profile.trainings.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(hours=Sum("hours"), courses=Count("id"))
        .order_by("-year")
    )
    load = workload.workload_of([profile.teacher_id], profile.base_id, workload.year_period(year))
    context = {
        "profile": profile,
        "reasons": _reasons(profile, policies, today),
        "years": full_years(profile.attending_since, today) if profile.attending_since else None,
        "trainings": trainings,
        "totals": list(totals),
        "year": year,
        "load": load[profile.teacher_id],
        "plans": list(profile.plans.all()),
        "assignments": list(
            selectors.live_assignments()
            .filter(teacher_id=profile.teacher_id, department__base_id=profile.base_id)
            .filter(ends_on__gte=today)
            .select_related("resident", "department")
            .order_by("starts_on")[:50]
        ),
        "can_edit": permissions.can_edit_profile(request.user, profile),
        "can_train": permissions.can_record_training(request.user, profile),
        "can_plan": permissions.can_start_plan(request.user, profile),
        "training_form": TrainingForm(),
        "plan_form": PlanStartForm(initial={"year": today.year}),
        "history": audit_history(profile)[:20],
    }
    return render(request, "faculty/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_profile(request.user, profile):
        raise PermissionDenied(_("Only the training office or the base's director keeps profiles."))
    names = list(ProfileFields.base_fields)
    if request.method == "POST":
        form = ProfileFields(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, profile=profile, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("The teacher's profile is saved."))
                return redirect("faculty:profile_detail", pk=pk)
    else:
        form = ProfileFields(initial={name: getattr(profile, name) for name in names})
    return render(request, "faculty/profile_form.html", {"profile": profile, "form": form})


@login_required
@require_POST
def certificate_upload(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    try:
        services.certificate_upload(
            actor=request.user, profile=profile, file=request.FILES.get("certificate_file")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The certificate file is kept."))
    return redirect("faculty:profile_detail", pk=pk)


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    if not profile.certificate_file:
        raise Http404
    name = profile.certificate_file.name.rsplit("/", 1)[-1]
    return FileResponse(profile.certificate_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    if not permissions.can_record_training(request.user, profile):
        raise PermissionDenied(_("Only the teacher and the base's managers record training."))
    form = TrainingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:profile_detail", pk=pk)
    try:
        services.training_record(actor=request.user, profile=profile, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The training is recorded."))
    return redirect("faculty:profile_detail", pk=pk)


@login_required
@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get_for_user_or_404(request.user, pk)
    if not permissions.can_start_plan(request.user, profile):
        raise PermissionDenied(_("A teacher writes their own development plan."))
    form = PlanStartForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:profile_detail", pk=pk)
    try:
        plan = services.plan_start(actor=request.user, profile=profile, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("faculty:profile_detail", pk=pk)
    return redirect("faculty:plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user_or_404(request.user, pk)
    goals = list(plan.goals.all())
    context = {
        "plan": plan,
        "goals": [
            {
                "goal": g,
                "form": GoalForm(
                    initial={"text": g.text, "target": g.target, "status": g.status},
                    prefix=f"g{g.pk}",
                ),
            }
            for g in goals
        ],
        "can_write": permissions.can_write_plan(request.user, plan),
        "can_review": permissions.can_review_plan(request.user, plan),
        "goal_form": GoalForm(),
        "review_form": ReviewForm(),
        "statuses": GoalStatus.choices,
        "history": audit_history(plan)[:20],
    }
    return render(request, "faculty/plan.html", context)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user_or_404(request.user, pk)
    if not permissions.can_write_plan(request.user, plan):
        raise PermissionDenied(_("The teacher writes the goals until the plan is reviewed."))
    form = GoalForm(request.POST)

    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:plan_detail", pk=pk)
    try:
        services.goal_add(
            actor=request.user,
            plan=plan,
            text=form.cleaned_data["text"],
            target=form.cleaned_data["target"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("faculty:plan_detail", pk=pk)


@login_required
@require_POST
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get_for_user_or_404(request.user, pk)
    if not permissions.can_write_plan(request.user, goal.plan):
        raise PermissionDenied(_("The teacher writes the goals until the plan is reviewed."))
    form = GoalForm(request.POST, prefix=f"g{goal.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:plan_detail", pk=goal.plan_id)
    try:
        services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("faculty:plan_detail", pk=goal.plan_id)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user_or_404(request.user, pk)
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The plan is submitted for review."))
    return redirect("faculty:plan_detail", pk=pk)


@login_required
@require_POST
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user_or_404(request.user, pk)
    if not permissions.can_review_plan(request.user, plan):
        raise PermissionDenied(_("The base's coordinator reviews a submitted plan."))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:plan_detail", pk=pk)
    goals = {
        g.pk: (request.POST.get(f"status-{g.pk}", g.status), request.POST.get(f"note-{g.pk}", ""))
        for g in plan.goals.all()
    }
    try:
        services.plan_review(
            actor=request.user, plan=plan, note=form.cleaned_data["note"], goals=goals
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The plan is reviewed."))
    return redirect("faculty:plan_detail", pk=pk)


@login_required
@require_GET
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """The stints of the base's departments not yet over, with their responsible teachers
    (a fixed number of queries)."""
    base = selectors.base_get_for_user_or_404(request.user, pk)
    today = timezone.localdate()
    stints = selectors.stints_of_base(base, today)
    assigned: dict[tuple[int, int, datetime.date], list[Any]] = {}
    for a in (
        selectors.live_assignments()
        .filter(department__base=base, ends_on__gte=today)
        .select_related("teacher")
        .order_by("starts_on", "id")
    ):
        assigned.setdefault((a.member_id, a.department_id, a.stint_start), []).append(a)
    people = {
        m.pk: m
        for m in selectors.member_choices_of_base(base).filter(pk__in={s.member_id for s in stints})
    }
    departments = selectors.department_choices_of_base(base).in_bulk()
    rows = [
        {
            "stint": s,
            "member": people.get(s.member_id),
            "department": departments.get(s.department_id),
            "assigned": assigned.get((s.member_id, s.department_id, s.start), []),
        }
        for s in sorted(stints, key=lambda s: (s.start, s.member_id))[:300]
    ]
    context = {
        "base": base,
        "rows": rows,
        "form": AssignForm(base=base),
        "end_form": EndForm(),
    }
    return render(request, "faculty/assignments.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    form = AssignForm(request.POST, base=base)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("faculty:assignments", pk=pk)
    try:
        services.responsible_assign(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The responsible teacher is assigned."))
    return redirect("faculty:assignments", pk=pk)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user_or_404(request.user, pk)
    if not permissions.can_end_assignment(request.user, assignment):
        raise PermissionDenied(
            _("Only the training office or the base's director removes responsible teachers.")
        )
    form = EndForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.responsible_end(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The assignment is removed."))
    return redirect("faculty:assignments", pk=assignment.department.base_id)
