"""Plan pages: the list, a plan, and writing, signing and revising it. Thin views over the
selectors, permissions and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.plans import permissions, selectors, services
from tandem.plans.forms import (
    CourseForm,
    MilestoneForm,
    PlanFilterForm,
    ReviseForm,
    TopicForm,
    WindowForm,
)
from tandem.plans.models import PlanVersion, TrainingPlan
from tandem.plans.rules import credit_requirement


@login_required
@require_GET
def plan_home(request: HttpRequest) -> HttpResponse:
    filters = PlanFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.cultivation_list_for_plans_page(
        request.user, search=values.get("q") or "", state=values.get("state") or ""
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_import": permissions.can_import_record(request.user),
    }
    if request.htmx:
        return render(request, "plans/_home_results.html", context)
    return render(request, "plans/home.html", context)


@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.overdue_milestones_visible_to(request.user)
    return render(
        request,
        "plans/overdue.html",
        {
            "page_obj": paginate(request, queryset),
            "query": query_without_page(request),
        },
    )


def version_rows(user: Any, plan: TrainingPlan | None, cultivation: JointCultivation) -> list:
    if plan is None:
        return []
    return [
        {
            "version": v,
            "reason": selectors.version_reason_for(user, v, cultivation),
            "credits": sum((c.credits for c in v.courses.all()), start=0),
        }
        for v in plan.versions.all()
    ]


def milestone_rows(plan: TrainingPlan | None) -> list:
    if plan is None:
        return []
    return [{"milestone": m, "overdue": selectors.is_overdue(m)} for m in plan.milestones.all()]


def _requirement(cultivation: JointCultivation) -> Any:
    profile = getattr(cultivation.trainee, "trainee_profile", None)
    return credit_requirement(profile.kind) if profile is not None else None


@login_required
@require_GET
def plan_detail(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    plan = selectors.plan_for_cultivation(cultivation)
    draft = selectors.open_version(plan)
    user = request.user
    signed_roles = {s.role for s in draft.signatures.all()} if draft else set()
    return render(
        request,
        "plans/detail.html",
        {
            "cultivation": cultivation,
            "plan": plan,
            "draft": draft,
            "draft_credits": sum((c.credits for c in draft.courses.all()), start=0) if draft else 0,
            "signed_roles": signed_roles,
            "requirement": _requirement(cultivation),
            "versions": version_rows(user, plan, cultivation),
            "milestones": milestone_rows(plan),
            "can_write": permissions.can_write_plan(user, cultivation),
            "can_edit": permissions.can_edit_version(user, draft),
            "can_sign": permissions.can_sign_version(user, draft),
            "can_revise": bool(
                plan
                and plan.current_version
                and draft is None
                and permissions.can_write_plan(user, cultivation)
            ),
            "history": audit_history(plan)[:50] if plan else [],
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    if not permissions.can_write_plan(request.user, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors write the plan."))
    try:
        services.plan_start(actor=request.user, cultivation=cultivation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is started: write the first version."))
    return redirect("plans:plan", cultivation_pk=cultivation.pk)


def _draft_or_redirect(request: HttpRequest, cultivation_pk: int) -> Any:
    """(cultivation, plan, open version) for a writer, or a response to return instead."""
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    if not permissions.can_write_plan(request.user, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors write the plan."))
    plan = selectors.plan_for_cultivation(cultivation)
    draft = selectors.open_version(plan)
    if draft is None:
        messages.error(request, _("No version is open for changes: revise the signed plan first."))
        return redirect("plans:plan", cultivation_pk=cultivation.pk)
    draft.plan = plan  # type: ignore[assignment]
    return cultivation, plan, draft


def _form_page(
    request: HttpRequest,
    cultivation_pk: int,
    form_class: Any,
    title: str,
    save: Any,
    done: str,
    initial: Any = None,
    **form_kwargs: Any,
) -> HttpResponse:
    found = _draft_or_redirect(request, cultivation_pk)
    if isinstance(found, HttpResponse):
        return found
    cultivation, plan, draft = found
    posted = request.method == "POST"
    form = form_class(
        request.POST if posted else None,
        initial=initial(draft) if initial else None,
        **{k: v(cultivation) for k, v in form_kwargs.items()},
    )
    if posted and form.is_valid():
        try:
            save(request.user, draft, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("plans:plan", cultivation_pk=cultivation.pk)
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "cultivation": cultivation,
            "title": title,
            "version": draft,
        },
        status=400 if posted else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    return _form_page(
        request,
        cultivation_pk,
        TopicForm,
        _("Research topic"),
        lambda actor, draft, data: services.plan_version_update(
            actor=actor, version=draft, research_topic=data["research_topic"]
        ),
        _("The research topic is saved."),
        initial=lambda draft: {"research_topic": draft.research_topic},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_add(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    def save(actor: Any, draft: PlanVersion, data: dict) -> Any:
        cultivation = draft.plan.cultivation
        sites = {cultivation.home_id: cultivation.home, cultivation.host_id: cultivation.host}
        return services.plan_course_add(
            actor=actor,
            version=draft,
            title=data["title"],
            credits=data["credits"],
            kind=data["kind"],
            institution=sites.get(data["institution"]),
            term=data["term"],
        )

    return _form_page(
        request,
        cultivation_pk,
        CourseForm,
        _("Add a course"),
        save,
        _("The course is added."),
        cultivation=lambda c: c,
    )


@login_required
@require_POST
def course_remove(request: HttpRequest, cultivation_pk: int, course_pk: int) -> HttpResponse:
    found = _draft_or_redirect(request, cultivation_pk)
    if isinstance(found, HttpResponse):
        return found
    cultivation, _plan, draft = found
    course = get_object_or_404(draft.courses.all(), pk=course_pk)
    services.plan_course_remove(actor=request.user, version=draft, course=course)
    messages.success(request, _("The course is removed."))
    return redirect("plans:plan", cultivation_pk=cultivation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    return _form_page(
        request,
        cultivation_pk,
        MilestoneForm,
        _("Add a milestone"),
        lambda actor, draft, data: services.plan_milestone_add(
            actor=actor,
            version=draft,
            kind=data["kind"],
            title=data["title"],
            earliest=data["earliest"],
            latest=data["latest"],
        ),
        _("The milestone is added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_window(request: HttpRequest, cultivation_pk: int, milestone_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    milestone = get_object_or_404(
        selectors.milestone_list_visible_to(request.user).filter(plan__cultivation=cultivation),
        pk=milestone_pk,
    )

    def initial(draft: PlanVersion) -> dict:
        window = draft.windows.filter(milestone=milestone).first()
        return {"earliest": window.earliest, "latest": window.latest} if window else {}

    return _form_page(
        request,
        cultivation_pk,
        WindowForm,
        _("When: %(milestone)s") % {"milestone": milestone.title},
        lambda actor, draft, data: services.plan_milestone_window_set(
            actor=actor,
            version=draft,
            milestone=milestone,
            earliest=data["earliest"],
            latest=data["latest"],
        ),
        _("The window is saved."),
        initial=initial,
    )


@login_required
@require_POST
def plan_sign(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    if not permissions.is_current_tutor(request.user, cultivation):
        raise PermissionDenied(_("Only the two current tutors sign the plan."))
    plan = selectors.plan_for_cultivation(cultivation)
    draft = selectors.open_version(plan)
    if draft is None:
        messages.error(request, _("There is no version awaiting your signature."))
        return redirect("plans:plan", cultivation_pk=cultivation.pk)
    try:
        version = services.plan_version_sign(actor=request.user, version=draft)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        if version.status == "signed":
            messages.success(
                request, _("Signed. Both tutors have signed: this version is the plan in force.")
            )
        else:
            messages.success(request, _("Signed. The plan awaits the other tutor's signature."))
    return redirect("plans:plan", cultivation_pk=cultivation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_revise(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    if not permissions.can_write_plan(request.user, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors write the plan."))
    plan = selectors.plan_get_for_user_or_404(request.user, cultivation)
    posted = request.method == "POST"
    form = ReviseForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.plan_revise(
                actor=request.user,
                plan=plan,
                reason=form.cleaned_data["reason"],
                reason_kind=form.cleaned_data["reason_kind"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("A new version is open: change it, then both tutors sign it.")
            )
            return redirect("plans:plan", cultivation_pk=cultivation.pk)
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "cultivation": cultivation,
            "title": _("Revise the plan"),
            "explanation": _(
                "The signed version stays in force until both tutors sign the new one."
            ),
        },
        status=400 if posted else 200,
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, cultivation_pk: int, number: int) -> HttpResponse:
    version = selectors.version_get_for_user_or_404(request.user, cultivation_pk, number)
    cultivation = version.plan.cultivation
    return render(
        request,
        "plans/version.html",
        {
            "cultivation": cultivation,
            "version": version,
            "reason": selectors.version_reason_for(request.user, version, cultivation),
            "credits": sum((c.credits for c in version.courses.all()), start=0),
        },
    )
