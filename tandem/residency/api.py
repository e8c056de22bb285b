"""The residency API: the same selectors, permissions and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.residency import permissions, schedule_services, selectors

router = Router(tags=["residency"])


class DepartmentOut(Schema):
    id: int
    key: str
    name: str
    name_zh: str
    code: str
    base_id: int
    institution_id: int
    min_per_block: int
    max_per_block: int
    duration: int
    is_active: bool

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return f"D{obj.pk}"

    @staticmethod
    def resolve_institution_id(obj: Any) -> int:
        return obj.base.institution_id


class ProposalOut(Schema):
    id: int
    cohort_id: int
    status: str
    incumbent: int | None
    bound: int | None
    objective: int | None
    changed_count: int | None
    previous_id: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ProposalDetailOut(ProposalOut):
    instance: dict | None
    solution: dict | None

    @staticmethod
    def resolve_instance(obj: Any) -> dict | None:
        return obj.instance if getattr(obj, "_full_view", True) else None

    @staticmethod
    def resolve_solution(obj: Any) -> dict | None:
        return obj.solution if getattr(obj, "_full_view", True) else None


class GenerateIn(Schema):
    time_limit: int = 20
    previous_id: int | None = None


class ScheduleOut(Schema):
    cohort_id: int
    proposal_id: int
    published_at: datetime.datetime
    instance: dict
    solution: dict


@router.get("/departments/", response={200: list[DepartmentOut], **ERRORS},
            operation_id="residency_department_list")
@paginate(Pagination)
def department_list(request: HttpRequest, base_id: int | None = None) -> Any:
    return selectors.department_list_for_page(request.user, base_id=base_id)


@router.get("/proposals/", response={200: list[ProposalOut], **ERRORS},
            operation_id="residency_proposal_list")
@paginate(Pagination)
def proposal_list(request: HttpRequest, cohort_id: int | None = None) -> Any:
    queryset = selectors.proposal_list_visible_to(request.user)
    if cohort_id:
        queryset = queryset.filter(cohort_id=cohort_id)
    return queryset


def _full_view(request: HttpRequest, proposal: Any) -> Any:
    site_of = {r["id"]: r["site"] for r in proposal.instance.get("rotations", [])}
    visible = selectors.visible_member_keys(request.user, proposal.cohort, proposal.solution,
                                            site_of)
    proposal._full_view = visible is None
    return proposal


@router.get("/proposals/{pk}/", response={200: ProposalDetailOut, **ERRORS},
            operation_id="residency_proposal_get")
def proposal_get(request: HttpRequest, pk: int) -> Any:
    return _full_view(request, selectors.proposal_get_for_user_or_404(request.user, pk))


@router.post("/cohorts/{pk}/proposals/", response={201: ProposalOut, **ERRORS},
             operation_id="residency_proposal_generate")
def proposal_generate(request: HttpRequest, pk: int, payload: GenerateIn) -> Any:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the hospital's training office generates schedules."))
    previous = None
    if payload.previous_id:
        previous = selectors.proposal_get_for_user_or_404(request.user, payload.previous_id)
    proposal = schedule_services.proposal_generate(
        actor=request.user, cohort=cohort, time_limit=payload.time_limit, previous=previous)
    return Status(201, proposal)


@router.get("/cohorts/{pk}/schedule/", response={200: ScheduleOut, **ERRORS},
            operation_id="residency_schedule_get")
def schedule_get(request: HttpRequest, pk: int) -> Any:
    schedule = selectors.schedule_get_for_user_or_404(request.user, pk)
    site_of = {r["id"]: r["site"] for r in schedule.instance.get("rotations", [])}
    if selectors.visible_member_keys(request.user, schedule.cohort, schedule.solution,
                                     site_of) is not None:
        raise PermissionDenied(_("Partner hospitals see their residents on the schedule page."))
    return schedule
