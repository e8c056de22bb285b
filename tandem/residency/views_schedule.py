"""Schedule pages: a cohort, its proposals (generate, progress, pin, re-solve, approve, publish),
the published schedule, a resident's own schedule, and leave and swap requests."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.residency import (
    grid,
    instancing,
    permissions,
    rule_text,
    selectors,
    services_schedule,
)
from tandem.residency.forms import (
    DecideForm,
    GenerateForm,
    LeaveForm,
    PinForm,
    SwapAnswerForm,
    SwapForm,
)
from tandem.residency.models import Block, ProposalStatus, RequestStatus


@login_required
@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    manage = permissions.can_manage_cohort(request.user, cohort)
    return render(
        request,
        "residency/cohort_detail.html",
        {
            "cohort": cohort,
            "members": selectors.member_list_for_cohort_page(cohort) if manage else [],
            "proposals": selectors.proposal_list_for_cohort(request.user, cohort)[:20],
            "has_schedule": hasattr(cohort, "schedule"),
            "can_manage": manage,
            "form": GenerateForm(),
            "history": audit_history(cohort)[:50],
        },
    )


@login_required
@require_POST
def proposal_generate(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the hospital's training office generates schedules."))
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            proposal = services_schedule.proposal_generate(
                actor=request.user, cohort=cohort, time_limit=form.cleaned_data["time_limit"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Solving has started."))
            return redirect("residency:proposal_detail", pk=proposal.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("residency:cohort_detail", pk=cohort.pk)


def _proposal_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    view = selectors.schedule_view_for(request.user, proposal)
    visible = view.visible
    departments, members = selectors.labels_for(view.instance)
    previous = None
    if proposal.previous_id and proposal.previous:
        previous = instancing.stored_rows(proposal.previous.solution)
    blocks = list(Block.objects.filter(calendar_id=proposal.cohort.calendar_id))
    names = rule_text.names_from(departments, members, blocks)
    findings = rule_text.stored_findings(proposal.conflict_details)
    if visible is not None:  # a partner hospital: the conflicts name the home's residents
        conflicts = []
    elif findings is not None:
        conflicts = rule_text.findings_html(findings, names)
    else:  # solved before findings were kept: the solver's English sentences, ids linked
        conflicts = grid.conflicts_html(
            (proposal.solution or {}).get("conflicts") or [],
            departments,
            members,
            dict(names.programs),
        )
    can_publish = permissions.can_publish_proposal(request.user, proposal)
    publish_changes = services_schedule.proposal_publish_changes(proposal) if can_publish else None
    return {
        "proposal": proposal,
        "publish_changes": None
        if publish_changes is None
        else grid.change_rows(publish_changes[0], departments, members),
        "publish_confirm": publish_changes[1] if publish_changes else "",
        "grid": grid.build_grid(
            view.instance,
            view.rows,
            departments,
            members,
            visible,
            previous,
            proposal.pins,
            blocks,
        ),
        "conflicts": conflicts,
        "departments": departments.values(),
        **_progress_context(request, proposal),
        "can_edit": permissions.can_edit_proposal(request.user, proposal),
        "can_publish": can_publish,
        # The work-hour rules on the planned rota (tandem.workhours, decision 107).
        "can_check_work_hours": bool(proposal.solution)
        and permissions.can_manage_cohort(request.user, proposal.cohort),
        "can_approve": permissions.can_approve_proposal(request.user, proposal),
        "can_solve_now": proposal.status == ProposalStatus.QUEUED
        and permissions.can_manage_cohort(request.user, proposal.cohort)
        and services_schedule.may_solve_now(proposal),
        "full_view": view.full_view,
        "pin_form": PinForm(),
        "history": audit_history(proposal)[:50],
    }


def _proposal_read(request: HttpRequest, pk: int) -> Any:
    """The proposal for this person; a solve whose worker was lost is ended as interrupted
    first (the page would otherwise wait for it forever)."""
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if services_schedule.is_lost(proposal):
        services_schedule.proposal_interrupt_if_lost(proposal)
        proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    return proposal


def _progress_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    elapsed = None
    if proposal.status == ProposalStatus.SOLVING and proposal.started_at:
        seconds = (timezone.now() - proposal.started_at).total_seconds()
        elapsed = max(0, min(proposal.time_limit, int(seconds)))
    return {
        "proposal": proposal,
        "is_running": proposal.status in (ProposalStatus.QUEUED, ProposalStatus.SOLVING),
        "can_stop": permissions.can_stop_proposal(request.user, proposal),
        "elapsed": elapsed,
    }


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_read(request, pk)
    return render(request, "residency/proposal_detail.html", _proposal_context(request, proposal))


@login_required
@require_GET
def proposal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by HTMX every second; once solved the whole page reloads."""
    proposal = _proposal_read(request, pk)
    context = _progress_context(request, proposal)
    response = render(request, "residency/_progress.html", context)
    if not context["is_running"] and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    user = request.user
    try:
        if action == "pin":
            if not permissions.can_manage_cohort(user, proposal.cohort):
                raise PermissionDenied(_("Only the training office pins cells."))
            form = PinForm(request.POST)
            if not form.is_valid():
                raise ValidationError(dict(form.errors.items()))
            services_schedule.proposal_pin(actor=user, proposal=proposal, **form.cleaned_data)
            messages.success(request, _("The cell is pinned; solve again to use it."))
        elif action == "resolve":
            if not permissions.can_manage_cohort(user, proposal.cohort):
                raise PermissionDenied(_("Only the training office solves schedules."))
            new = services_schedule.proposal_generate(
                actor=user,
                cohort=proposal.cohort,
                time_limit=proposal.time_limit,
                previous=proposal,
            )
            messages.success(request, _("Solving again, changing as little as possible."))
            return redirect("residency:proposal_detail", pk=new.pk)
        elif action == "solve_now":
            if not permissions.can_manage_cohort(user, proposal.cohort):
                raise PermissionDenied(_("Only the training office solves schedules."))
            services_schedule.proposal_solve_now(actor=user, proposal=proposal)
        elif action == "stop":
            if not permissions.can_manage_cohort(user, proposal.cohort):
                raise PermissionDenied(_("Only the training office stops a solve."))
            services_schedule.proposal_stop(actor=user, proposal=proposal)
            messages.success(
                request, _("Stopping: the best schedule found so far is kept in a moment.")
            )
        elif action == "approve":
            if not permissions.may_approve_as_partner(user, proposal):
                raise PermissionDenied(_("Only a coordinator of a partner hospital approves."))
            services_schedule.proposal_approve(actor=user, proposal=proposal)
            messages.success(request, _("You approved the residents coming to your hospital."))
        elif action == "publish":
            if not permissions.can_manage_cohort(user, proposal.cohort):
                raise PermissionDenied(_("Only the training office publishes schedules."))
            services_schedule.proposal_publish(
                actor=user, proposal=proposal, confirm=request.POST.get("confirm", "")
            )
            messages.success(request, _("The schedule is published."))
            return redirect("residency:schedule_detail", pk=proposal.cohort_id)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        context = _proposal_context(request, proposal)
        return render(request, "residency/proposal_detail.html", context, status=400)
    return redirect("residency:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "pin")


@login_required
@require_POST
def proposal_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "resolve")


@login_required
@require_POST
def proposal_solve_now(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "solve_now")


@login_required
@require_POST
def proposal_stop(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "stop")


@login_required
@require_POST
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "approve")


@login_required
@require_POST
def proposal_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(request, pk, "publish")


@login_required
@require_GET
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    view = selectors.schedule_view_for(request.user, schedule)
    departments, members = selectors.labels_for(view.instance)
    blocks = list(Block.objects.filter(calendar_id=schedule.cohort.calendar_id))
    return render(
        request,
        "residency/schedule_detail.html",
        {
            "schedule": schedule,
            "grid": grid.build_grid(
                view.instance,
                view.rows,
                departments,
                members,
                view.visible,
                calendar_blocks=blocks,
            ),
            "full_view": view.full_view,
            "blocks": blocks,
            "history": audit_history(schedule)[:50],
        },
    )


@login_required
@require_GET
def my_schedule(request: HttpRequest) -> HttpResponse:
    """Each cohort the resident is in under its own heading, with its rotations; the swaps
    other residents ask of them; their own requests."""
    memberships = list(selectors.my_memberships(request.user))
    by_member: dict[int, list[Any]] = {m.pk: [] for m in memberships}
    leaves = selectors.leave_list_visible_to(request.user).filter(member__resident=request.user)
    on_leave = {(m.pk, int(b)) for m in memberships for b in m.leave_blocks or []} | set(
        leaves.filter(status=RequestStatus.APPROVED).values_list("member_id", "block__index")
    )
    for assignment in selectors.assignments_of(list(by_member)):
        assignment.on_leave = (assignment.member_id, assignment.block.index) in on_leave
        by_member[assignment.member_id].append(assignment)
    swaps = selectors.swap_list_visible_to(request.user)
    return render(
        request,
        "residency/my_schedule.html",
        {
            "memberships": [(m, by_member[m.pk]) for m in memberships],
            "leaves": leaves[:20],
            "swaps": swaps.filter(member__resident=request.user)[:20],
            "asked_of_me": [
                r
                for r in swaps.filter(other__resident=request.user)[:20]
                if permissions.can_consent_swap(request.user, r)
            ],
        },
    )


def _change_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    member = selectors.my_member_get_or_404(request.user, pk)
    if not permissions.can_request_change(request.user, member):
        raise PermissionDenied(_("Residents ask for changes on their own schedule."))
    blocks = Block.objects.filter(calendar_id=member.cohort.calendar_id)
    data = request.POST if request.method == "POST" else None
    if kind == "leave":
        form: Any = LeaveForm(data, blocks=blocks)
    else:
        others = member.cohort.members.exclude(pk=member.pk).select_related("resident")
        form = SwapForm(data, blocks=blocks, others=others)
    if data is not None:
        if form.is_valid():
            values = form.cleaned_data
            try:
                if kind == "leave":
                    services_schedule.leave_request(
                        actor=request.user,
                        member=member,
                        block=values["block"],
                        reason=values["reason"],
                    )
                else:
                    other = get_object_or_404(member.cohort.members.all(), pk=values["other"])
                    services_schedule.swap_request(
                        actor=request.user,
                        member=member,
                        other=other,
                        block=values["block"],
                        reason=values["reason"],
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your request is sent to the training office."))
                return redirect("residency:my_schedule")
        return render(
            request,
            "residency/change_form.html",
            {"form": form, "member": member, "kind": kind},
            status=400,
        )
    return render(
        request, "residency/change_form.html", {"form": form, "member": member, "kind": kind}
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_page(request, pk, "leave")


@login_required
@require_http_methods(["GET", "POST"])
def swap_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_page(request, pk, "swap")


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Everyone sees the requests visible to them with status and decision note; the decision
    forms appear only on the requests the user may decide."""
    user = request.user
    leaves = selectors.leave_list_visible_to(user)[:100]
    swaps = selectors.swap_list_visible_to(user)[:100]
    return render(
        request,
        "residency/request_list.html",
        {
            "leaves": [(r, permissions.can_decide_request(user, r)) for r in leaves],
            "swaps": [
                (r, permissions.can_decide_request(user, r), permissions.can_consent_swap(user, r))
                for r in swaps
            ],
            "form": DecideForm(),
        },
    )


def _decide(request: HttpRequest, request_obj: Any, service: Any) -> HttpResponse:
    if not permissions.can_manage_cohort(request.user, request_obj.member.cohort):
        raise PermissionDenied(_("Only the hospital's training office decides requests."))
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            service(
                actor=request.user,
                request_obj=request_obj,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("residency:request_list")
        messages.success(request, _("The decision is recorded."))
    return redirect("residency:request_list")


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = selectors.leave_get_for_user_or_404(request.user, pk)
    return _decide(request, request_obj, services_schedule.leave_decide)


@login_required
@require_POST
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    request_obj = selectors.swap_get_for_user_or_404(request.user, pk)
    return _decide(request, request_obj, services_schedule.swap_decide)


@login_required
@require_POST
def swap_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident asked to swap accepts or declines."""
    request_obj = selectors.swap_get_for_user_or_404(request.user, pk)
    if request_obj.other.resident_id != request.user.pk:
        raise PermissionDenied(_("Only the resident asked to swap answers this request."))
    form = SwapAnswerForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("residency:request_list")
    try:
        services_schedule.swap_consent(
            actor=request.user,
            request_obj=request_obj,
            accept=form.cleaned_data["answer"] == "accept",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("residency:request_list")
    messages.success(request, _("Your answer is recorded."))
    return redirect("residency:request_list")
