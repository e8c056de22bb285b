"""The conduct API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field names in `errors`; a body that does not fit the
schema 422; a case the caller may not read 404; a step they may not take 403."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.conduct import permissions, selectors, services, services_appeal
from tandem.conduct.models import Article, Case, CommitteeKind
from tandem.conduct.schemas import (
    ConductAppealDecideIn,
    ConductCaseOpenIn,
    ConductCaseOut,
    ConductCountOut,
    ConductDecideIn,
    ConductLiftIn,
    ConductRegulationOut,
    ConductRespondIn,
    ConductTextIn,
    ConductVoteIn,
)
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error

router = Router(tags=["conduct"])


def _case(request: HttpRequest, case_id: int, allowed: Callable[[Any, Case], bool]) -> Case:
    case = selectors.case_get_for_user_or_404(request.user, case_id)
    if not allowed(request.user, case):
        raise PermissionDenied(_("You do not take this step in this case."))
    return case


@router.get(
    "/cases", response={200: list[ConductCaseOut], **ERRORS}, operation_id="conduct_case_list"
)
@paginate(Pagination)
def case_list(request: HttpRequest) -> Any:
    """The cases the caller may read, newest first."""
    return selectors.case_list_visible_to(request.user).order_by("-opened_at", "-id")


@router.post("/cases", response={201: ConductCaseOut, **ERRORS}, operation_id="conduct_case_open")
def case_open(request: HttpRequest, payload: ConductCaseOpenIn) -> Any:
    user = request.user
    if not permissions.can_open_case(user):
        raise PermissionDenied(
            _("Only a coordinator of the trainee's home or host institution opens a case.")
        )
    cultivation = selectors.cultivations_for_case(user).filter(pk=payload.cultivation_id).first()
    if cultivation is None:
        raise field_error("cultivation_id", _("No such joint cultivation you coordinate."))
    article = (
        Article.objects.filter(
            regulation__institution_id__in=(cultivation.home_id, cultivation.host_id)
        )
        .select_related("regulation")
        .filter(pk=payload.article_id)
        .first()
    )
    committee = (
        selectors.committees_of(
            (cultivation.home_id, cultivation.host_id), CommitteeKind.DISCIPLINE
        )
        .filter(pk=payload.committee_id)
        .first()
    )
    case = services.case_open(
        actor=user,
        cultivation=cultivation,
        article=article,
        committee=committee,
        conduct_date=payload.conduct_date,
        facts=payload.facts,
        proposed_level=payload.proposed_level,
    )
    return Status(201, case)


@router.get(
    "/cases/{case_id}", response={200: ConductCaseOut, **ERRORS}, operation_id="conduct_case_get"
)
def case_get(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_get_for_user_or_404(request.user, case_id)


@router.post(
    "/cases/{case_id}/respond",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_respond",
)
def case_respond(request: HttpRequest, case_id: int, payload: ConductRespondIn) -> Any:
    case = _case(request, case_id, permissions.can_respond_case)
    return services.case_respond(actor=request.user, case=case, **payload.dict())


@router.post(
    "/cases/{case_id}/comment",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_comment",
)
def case_comment(request: HttpRequest, case_id: int, payload: ConductTextIn) -> Any:
    case = _case(request, case_id, permissions.can_comment_case)
    return services.case_comment(actor=request.user, case=case, comment=payload.text)


@router.post(
    "/cases/{case_id}/vote",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_vote",
)
def case_vote(request: HttpRequest, case_id: int, payload: ConductVoteIn) -> Any:
    case = _case(request, case_id, permissions.is_committee_member)
    services.case_vote(actor=request.user, case=case, level=payload.level)
    return selectors.case_get_for_user_or_404(request.user, case_id)


@router.post(
    "/cases/{case_id}/decide",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_decide",
)
def case_decide(request: HttpRequest, case_id: int, payload: ConductDecideIn) -> Any:
    case = _case(request, case_id, permissions.is_committee_member)
    body = selectors.appeal_bodies_for(case).filter(pk=payload.appeal_body_id or 0).first()
    return services.case_decide(
        actor=request.user,
        case=case,
        outcome=payload.outcome,
        reasons=payload.reasons,
        appeal_body=body,
        review_months=payload.review_months,
    )


@router.post(
    "/cases/{case_id}/appeal",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_appeal",
)
def case_appeal(request: HttpRequest, case_id: int, payload: ConductTextIn) -> Any:
    case = _case(request, case_id, permissions.can_appeal_case)
    services_appeal.appeal_lodge(actor=request.user, case=case, grounds=payload.text)
    return selectors.case_get_for_user_or_404(request.user, case_id)


@router.post(
    "/cases/{case_id}/appeal/decide",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_appeal_decide",
)
def appeal_decide(request: HttpRequest, case_id: int, payload: ConductAppealDecideIn) -> Any:
    case = _case(request, case_id, permissions.is_appeal_member)
    services_appeal.appeal_decide(actor=request.user, case=case, **payload.dict())
    return selectors.case_get_for_user_or_404(request.user, case_id)


@router.post(
    "/cases/{case_id}/lift",
    response={200: ConductCaseOut, **ERRORS},
    operation_id="conduct_case_lift",
)
def case_lift(request: HttpRequest, case_id: int, payload: ConductLiftIn) -> Any:
    case = _case(request, case_id, permissions.can_lift_case)
    return services_appeal.case_lift(actor=request.user, case=case, **payload.dict())


@router.get(
    "/regulations",
    response={200: list[ConductRegulationOut], **ERRORS},
    operation_id="conduct_regulation_list",
)
@paginate(Pagination)
def regulation_list(request: HttpRequest) -> Any:
    return selectors.regulation_list_visible_to(request.user)


@router.get(
    "/counts", response={200: list[ConductCountOut], **ERRORS}, operation_id="conduct_counts"
)
def counts(request: HttpRequest) -> Any:
    """Cases per institution, small numbers suppressed (null)."""
    if not permissions.can_view_counts(request.user):
        raise PermissionDenied(_("Counts of cases are for coordinators and the consortium."))
    return selectors.case_counts_for_admin(request.user)
