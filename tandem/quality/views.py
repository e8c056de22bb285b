"""Pages of base standards, compliance and supervision: access through the selectors, the
service does the rest (PermissionDenied gives 403, ValidationError a message, nothing saved)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.errors import error_messages
from tandem.quality import selectors, services
from tandem.quality.forms import (
    DecideForm,
    FindingForm,
    MonthForm,
    RespondForm,
    StandardForm,
    SupervisorForm,
)
from tandem.quality.models import RectificationStatus


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "bases": selectors.base_list_managed_by(user),
        "observations": selectors.observation_list_visible_to(user)[:20],
        "items": selectors.rectification_list_visible_to(user)
        .exclude(status=RectificationStatus.ACCEPTED)
        .order_by("deadline", "id")[:50],
        "observable": selectors.observable_activities(user)[:20],
        "today": timezone.localdate(),
    }
    return render(request, "quality/home.html", context)


@login_required
@require_GET
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    context = {
        "base": base,
        "standards": selectors.standard_list_of(base),
        "standard_form": StandardForm(kinds=selectors.activity_kinds_for(base)),
        "supervisors": selectors.supervisor_list_of(base),
        "supervisor_form": SupervisorForm(people=selectors.supervisor_candidates(base)),
        "assessments": selectors.self_assessment_list_visible_to(request.user).filter(base=base),
    }
    return render(request, "quality/base.html", context)


def _month(value: str) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@login_required
@require_GET
def compliance_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Constant queries whatever the size of the base (decision 115)."""
    base = selectors.base_get_for_user_or_404(request.user, pk)
    departments = list(selectors.department_list_of(base))
    form = MonthForm(request.GET or None, departments=departments)
    month = timezone.localdate().replace(day=1)
    department = None
    if form.is_bound and form.is_valid():
        month = _month(form.cleaned_data.get("month") or "")
        wanted = form.cleaned_data.get("department")
        department = next((d for d in departments if d.pk == wanted), None)
    result = selectors.compliance_of(base, month, department=department)
    context = {
        "base": base,
        "form": MonthForm(
            initial={"month": month.strftime("%Y-%m"), "department": department and department.pk},
            departments=departments,
        ),
        "department": department,
        "result": result,
    }
    return render(request, "quality/compliance.html", context)


@login_required
@require_POST
def standard_add(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    kinds = selectors.activity_kinds_for(base)
    form = StandardForm(request.POST, kinds=kinds)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("quality:base_detail", pk=pk)
    data = form.cleaned_data
    kind_id = data.pop("activity_kind")
    try:
        services.standard_add(
            actor=request.user,
            base=base,
            activity_kind=kinds.filter(pk=kind_id).first() if kind_id else None,
            **data,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Standard added."))
    return redirect("quality:base_detail", pk=pk)


@login_required
@require_POST
def standard_retire(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get_for_user_or_404(request.user, pk)
    services.standard_retire(actor=request.user, standard=standard)
    messages.success(request, _("Standard removed."))
    return redirect("quality:base_detail", pk=standard.base_id)


@login_required
@require_POST
def supervisor_add(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    people = selectors.supervisor_candidates(base)
    form = SupervisorForm(request.POST, people=people)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("quality:base_detail", pk=pk)
    try:
        services.supervisor_designate(
            actor=request.user, base=base, user=people.filter(pk=form.cleaned_data["user"]).first()
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Supervisor designated."))
    return redirect("quality:base_detail", pk=pk)


@login_required
@require_POST
def observation_start(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.observable_activity_get_or_404(request.user, pk)
    try:
        observation = services.observation_start(actor=request.user, activity=activity)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("quality:home")
    messages.success(request, _("Observation started: fill the scoring form and record findings."))
    return redirect("quality:observation_detail", pk=observation.pk)


@login_required
@require_GET
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    observation = selectors.observation_get_for_user_or_404(request.user, pk)
    is_supervisor = observation.supervisor_id == request.user.pk
    context = {
        "observation": observation,
        "activity": observation.activity,
        "items": observation.rectifications.select_related("owner").order_by("deadline", "id"),
        "is_supervisor": is_supervisor,
        "finding_form": FindingForm(people=selectors.owner_candidates(observation.activity))
        if is_supervisor
        else None,
    }
    return render(request, "quality/observation.html", context)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    observation = selectors.observation_get_for_user_or_404(request.user, pk)
    people = selectors.owner_candidates(observation.activity)
    form = FindingForm(request.POST, people=people)
    owner = None
    if form.is_valid():
        owner = people.filter(pk=form.cleaned_data["owner"]).first()
    elif "deadline" in form.errors or "finding" in form.errors:
        _form_errors(request, form)
        return redirect("quality:observation_detail", pk=pk)
    try:
        services.rectification_add(
            actor=request.user,
            observation=observation,
            finding=form.cleaned_data.get("finding", ""),
            owner=owner,
            deadline=form.cleaned_data.get("deadline"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Finding recorded: its owner follows it up."))
    return redirect("quality:observation_detail", pk=pk)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.rectification_get_for_user_or_404(request.user, pk)
    context = {
        "item": item,
        "observation": item.observation,
        "can_respond": item.owner_id == request.user.pk and item.status == RectificationStatus.OPEN,
        "can_decide": item.observation.supervisor_id == request.user.pk
        and item.status == RectificationStatus.RESPONDED,
        "respond_form": RespondForm(),
        "decide_form": DecideForm(),
        "overdue": item.status == RectificationStatus.OPEN and item.deadline < timezone.localdate(),
    }
    return render(request, "quality/item.html", context)


@login_required
@require_POST
def item_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.rectification_get_for_user_or_404(request.user, pk)
    try:
        services.rectification_respond(
            actor=request.user, item=item, response=request.POST.get("response", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Action reported: the supervisor checks it."))
    return redirect("quality:item_detail", pk=pk)


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.rectification_get_for_user_or_404(request.user, pk)
    decision = request.POST.get("decision", "")
    try:
        if decision not in ("accept", "return"):
            raise ValidationError(_("Choose to accept the item or to return it."))
        services.rectification_decide(
            actor=request.user,
            item=item,
            accept=decision == "accept",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("Item accepted.") if decision == "accept" else _("Item returned.")
        )
    return redirect("quality:item_detail", pk=pk)
