"""Residency schedules over JSON: proposals (generate, pin, solve again, partner approval,
publish), the published schedule, a resident's own schedule, and leave and swap requests.

A partner hospital sees only the residents a schedule sends to it (`schedule_view_for`), as on
the pages."""

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.residency import grid, instancing, permissions, selectors, services_schedule
from tandem.residency.models import ScheduleProposal
from tandem.residency.schemas import (
    ResidencyApprovalOut,
    ResidencyDecideIn,
    ResidencyGenerateIn,
    ResidencyLeaveIn,
    ResidencyLeaveOut,
    ResidencyMyMembershipOut,
    ResidencyPinIn,
    ResidencyProposalDetailOut,
    ResidencyProposalOut,
    ResidencyPublishChangesOut,
    ResidencyPublishIn,
    ResidencyRequestFilters,
    ResidencyResolveIn,
    ResidencyRowOut,
    ResidencyScheduleOut,
    ResidencySwapAnswerIn,
    ResidencySwapIn,
    ResidencySwapOut,
)

router = Router()


def proposal_detail_out(request: HttpRequest, proposal: ScheduleProposal) -> Any:
    """The proposal with the rows this person may see; the whole instance and solution only
    for the cohort's own training office."""
    view = selectors.schedule_view_for(request.user, proposal)
    rows = view.visible_rows
    members = selectors.labels_for(view.instance)[1] if rows else {}
    full = view.full_view
    return ResidencyProposalDetailOut(
        **ResidencyProposalOut.from_orm(proposal).model_dump(),
        error=proposal.error,
        time_limit=proposal.time_limit,
        approvals=[ResidencyApprovalOut.from_orm(a) for a in proposal.partner_approvals.all()],
        rows=[
            ResidencyRowOut(
                key=key,
                member_id=members[key].pk,
                resident_id=members[key].resident_id,
                resident_name=str(members[key].resident),
                cells=list(row),
            )
            for key, row in rows.items()
            if key in members
        ],
        pins=proposal.pins if full else None,
        instance=proposal.instance if full else None,
        solution=proposal.solution if full else None,
    )


def _proposal_to_manage(request: HttpRequest, pk: int, message: str) -> Any:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, proposal.cohort):
        raise PermissionDenied(message)
    return proposal


# --------------------------------------------------------------------------- proposals


@router.get(
    "/proposals/",
    response={200: list[ResidencyProposalOut], **ERRORS},
    operation_id="residency_proposal_list",
)
@paginate(Pagination)
def proposal_list(request: HttpRequest, cohort_id: int | None = None) -> Any:
    queryset = selectors.proposal_list_visible_to(request.user)
    if cohort_id:
        queryset = queryset.filter(cohort_id=cohort_id)
    return queryset


@router.get(
    "/proposals/{pk}/",
    response={200: ResidencyProposalDetailOut, **ERRORS},
    operation_id="residency_proposal_get",
)
def proposal_get(request: HttpRequest, pk: int) -> Any:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if services_schedule.is_lost(proposal):  # its worker was lost: interrupted, not waiting
        services_schedule.proposal_interrupt_if_lost(proposal)
        proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    return proposal_detail_out(request, proposal)


@router.post(
    "/cohorts/{pk}/proposals/",
    response={201: ResidencyProposalOut, **ERRORS},
    operation_id="residency_proposal_generate",
)
def proposal_generate(request: HttpRequest, pk: int, payload: ResidencyGenerateIn) -> Any:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the hospital's training office generates schedules."))
    previous = None
    if payload.previous_id:
        previous = (
            selectors.proposal_list_for_cohort(request.user, cohort)
            .filter(pk=payload.previous_id)
            .first()
        )
        if previous is None:
            raise field_error("previous", _("Choose a proposal of this cohort."))
    proposal = services_schedule.proposal_generate(
        actor=request.user, cohort=cohort, time_limit=payload.time_limit, previous=previous
    )
    return Status(201, proposal)


@router.post(
    "/proposals/{pk}/pins/",
    response={200: ResidencyProposalDetailOut, **ERRORS},
    operation_id="residency_proposal_pin",
)
def proposal_pin(request: HttpRequest, pk: int, payload: ResidencyPinIn) -> Any:
    """Fix one cell for the next solve (an empty department releases it)."""
    proposal = _proposal_to_manage(request, pk, _("Only the training office pins cells."))
    services_schedule.proposal_pin(
        actor=request.user,
        proposal=proposal,
        resident=payload.resident,
        block=payload.block,
        department=payload.department,
    )
    return proposal_detail_out(request, selectors.proposal_get_for_user_or_404(request.user, pk))


@router.post(
    "/proposals/{pk}/resolve/",
    response={201: ResidencyProposalOut, **ERRORS},
    operation_id="residency_proposal_resolve",
)
def proposal_resolve(request: HttpRequest, pk: int, payload: ResidencyResolveIn) -> Any:
    """A new proposal from this one's pins, changing as few cells as possible."""
    proposal = _proposal_to_manage(request, pk, _("Only the training office solves schedules."))
    time_limit = payload.time_limit if payload.time_limit is not None else proposal.time_limit
    new = services_schedule.proposal_generate(
        actor=request.user, cohort=proposal.cohort, time_limit=time_limit, previous=proposal
    )
    return Status(201, new)


@router.post(
    "/proposals/{pk}/stop/",
    response={200: ResidencyProposalOut, **ERRORS},
    operation_id="residency_proposal_stop",
)
def proposal_stop(request: HttpRequest, pk: int) -> Any:
    """Stop the running solve: it ends in a moment as a finished proposal with the best schedule
    found so far and its bound (a proposal not being solved is 400 naming `status`)."""
    proposal = _proposal_to_manage(request, pk, _("Only the training office stops a solve."))
    return services_schedule.proposal_stop(actor=request.user, proposal=proposal)


@router.post(
    "/proposals/{pk}/approve/",
    response={200: ResidencyProposalDetailOut, **ERRORS},
    operation_id="residency_proposal_approve",
)
def proposal_approve(request: HttpRequest, pk: int) -> Any:
    """A partner hospital's coordinator approves the residents the proposal sends to them."""
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if not permissions.may_approve_as_partner(request.user, proposal):
        raise PermissionDenied(_("Only a coordinator of a partner hospital approves."))
    services_schedule.proposal_approve(actor=request.user, proposal=proposal)
    return proposal_detail_out(request, selectors.proposal_get_for_user_or_404(request.user, pk))


@router.post(
    "/proposals/{pk}/publish/",
    response={200: ResidencyScheduleOut, **ERRORS},
    operation_id="residency_proposal_publish",
)
def proposal_publish(request: HttpRequest, pk: int, payload: ResidencyPublishIn) -> Any:
    """Publish; replacing a published schedule needs the `confirm` of publish-changes."""
    proposal = _proposal_to_manage(request, pk, _("Only the training office publishes schedules."))
    return services_schedule.proposal_publish(
        actor=request.user, proposal=proposal, confirm=payload.confirm
    )


@router.get(
    "/proposals/{pk}/publish-changes/",
    response={200: ResidencyPublishChangesOut, **ERRORS},
    operation_id="residency_proposal_publish_changes",
)
def proposal_publish_changes(request: HttpRequest, pk: int) -> Any:
    """Every cell publishing this proposal would change in the published schedule, and the
    confirmation to send with the publish."""
    proposal = _proposal_to_manage(request, pk, _("Only the training office publishes schedules."))
    found = services_schedule.proposal_publish_changes(proposal)
    if found is None:
        return {"replaces_schedule": False, "changes": [], "confirm": ""}
    changes, token = found
    departments, members = selectors.labels_for(instancing.stored_instance(proposal.instance))
    return {
        "replaces_schedule": True,
        "confirm": token,
        "changes": [
            {
                "member_id": instancing.member_pk(row.key),
                "resident_name": row.resident,
                "block_number": row.block,
                "before": row.before_key,
                "before_name": row.before,
                "after": row.after_key,
                "after_name": row.after,
            }
            for row in grid.change_rows(changes, departments, members)
        ],
    }


# --------------------------------------------------------------------------- schedules


@router.get(
    "/cohorts/{pk}/schedule/",
    response={200: ResidencyScheduleOut, **ERRORS},
    operation_id="residency_schedule_get",
)
def schedule_get(request: HttpRequest, pk: int) -> Any:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    if not selectors.schedule_view_for(request.user, schedule).full_view:
        raise PermissionDenied(_("Partner hospitals see their residents on the schedule page."))
    return schedule


@router.get(
    "/my/schedule/",
    response={200: list[ResidencyMyMembershipOut], **ERRORS},
    operation_id="residency_my_schedule",
)
def my_schedule(request: HttpRequest) -> Any:
    """The caller's own rows in every published schedule they are in, block by block."""
    memberships = list(selectors.my_memberships(request.user))
    cells: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cell in selectors.assignments_of([m.pk for m in memberships]):
        department = cell.department
        cells[cell.member_id].append(
            {
                "block_index": cell.block.index,
                "block_number": cell.block.index + 1,
                "start_date": cell.block.start_date,
                "end_date": cell.block.end_date,
                "department_id": department.pk if department else None,
                "department_name": department.name if department else "",
                "department_name_zh": department.name_zh if department else "",
                "institution_id": department.base.institution_id if department else None,
            }
        )
    return [
        {
            "member_id": m.pk,
            "cohort_id": m.cohort_id,
            "cohort_name": m.cohort.name,
            "institution_id": m.cohort.institution_id,
            "program_id": m.program_id,
            "program_name": m.program.name,
            "cells": cells[m.pk],
        }
        for m in memberships
    ]


# --------------------------------------------------------------------------- leave and swaps


def _filtered(queryset: Any, filters: ResidencyRequestFilters) -> Any:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.cohort_id is not None:
        queryset = queryset.filter(member__cohort_id=filters.cohort_id)
    return queryset


def _decider(request: HttpRequest, request_obj: Any) -> Any:
    if not permissions.can_manage_cohort(request.user, request_obj.member.cohort):
        raise PermissionDenied(_("Only the hospital's training office decides requests."))
    return request_obj


def _own_member(request: HttpRequest, pk: int) -> Any:
    member = selectors.my_member_get_or_404(request.user, pk)
    if not permissions.can_request_change(request.user, member):
        raise PermissionDenied(_("Residents ask for changes on their own schedule."))
    return member


@router.get(
    "/leave-requests/",
    response={200: list[ResidencyLeaveOut], **ERRORS},
    operation_id="residency_leave_list",
)
@paginate(Pagination)
def leave_list(request: HttpRequest, filters: Query[ResidencyRequestFilters]) -> Any:
    """Your own requests, and those your training office decides."""
    return _filtered(selectors.leave_list_visible_to(request.user), filters)


@router.post(
    "/my/{member_id}/leave-requests/",
    response={201: ResidencyLeaveOut, **ERRORS},
    operation_id="residency_leave_create",
)
def leave_create(request: HttpRequest, member_id: int, payload: ResidencyLeaveIn) -> Any:
    """Ask for leave in one block of your published schedule; `member_id` is your membership
    in the cohort (see my/schedule)."""
    leave = services_schedule.leave_request(
        actor=request.user,
        member=_own_member(request, member_id),
        block=payload.block,
        reason=payload.reason,
    )
    return Status(201, selectors.leave_get_for_user_or_404(request.user, leave.pk))


@router.post(
    "/leave-requests/{pk}/decide/",
    response={200: ResidencyLeaveOut, **ERRORS},
    operation_id="residency_leave_decide",
)
def leave_decide(request: HttpRequest, pk: int, payload: ResidencyDecideIn) -> Any:
    leave = _decider(request, selectors.leave_get_for_user_or_404(request.user, pk))
    services_schedule.leave_decide(
        actor=request.user,
        request_obj=leave,
        approve=payload.decision == "approve",
        note=payload.note,
    )
    return selectors.leave_get_for_user_or_404(request.user, pk)


@router.get(
    "/swap-requests/",
    response={200: list[ResidencySwapOut], **ERRORS},
    operation_id="residency_swap_list",
)
@paginate(Pagination)
def swap_list(request: HttpRequest, filters: Query[ResidencyRequestFilters]) -> Any:
    """Swaps you asked for or were named in, and those your training office decides."""
    return _filtered(selectors.swap_list_visible_to(request.user), filters)


@router.post(
    "/my/{member_id}/swap-requests/",
    response={201: ResidencySwapOut, **ERRORS},
    operation_id="residency_swap_create",
)
def swap_create(request: HttpRequest, member_id: int, payload: ResidencySwapIn) -> Any:
    """Ask to trade your rotation in one block with another resident of your cohort."""
    member = _own_member(request, member_id)
    other = member.cohort.members.filter(pk=payload.other_id).first()
    if other is None:  # the service refuses the resident themself
        raise field_error("other", _("Choose another resident of the same cohort."))
    swap = services_schedule.swap_request(
        actor=request.user, member=member, other=other, block=payload.block, reason=payload.reason
    )
    return Status(201, selectors.swap_get_for_user_or_404(request.user, swap.pk))


@router.post(
    "/swap-requests/{pk}/decide/",
    response={200: ResidencySwapOut, **ERRORS},
    operation_id="residency_swap_decide",
)
def swap_decide(request: HttpRequest, pk: int, payload: ResidencyDecideIn) -> Any:
    swap = _decider(request, selectors.swap_get_for_user_or_404(request.user, pk))
    services_schedule.swap_decide(
        actor=request.user,
        request_obj=swap,
        approve=payload.decision == "approve",
        note=payload.note,
    )
    return selectors.swap_get_for_user_or_404(request.user, pk)


@router.post(
    "/swap-requests/{pk}/answer/",
    response={200: ResidencySwapOut, **ERRORS},
    operation_id="residency_swap_answer",
)
def swap_answer(request: HttpRequest, pk: int, payload: ResidencySwapAnswerIn) -> Any:
    """The resident asked to swap accepts (the training office decides next) or declines."""
    swap = selectors.swap_get_for_user_or_404(request.user, pk)
    if swap.other.resident_id != request.user.pk:
        raise PermissionDenied(_("Only the resident asked to swap answers this request."))
    services_schedule.swap_consent(
        actor=request.user, request_obj=swap, accept=payload.answer == "accept", note=payload.note
    )
    return selectors.swap_get_for_user_or_404(request.user, pk)
