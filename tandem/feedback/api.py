"""The feedback API: the same selectors, permissions and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.feedback import permissions, selectors, services
from tandem.feedback.schemas import (
    FeedbackItemIn,
    FeedbackItemOut,
    FeedbackNoteIn,
    FeedbackReopenIn,
    FeedbackResolveIn,
    FeedbackSeminarOut,
    FeedbackStatsOut,
)

router = Router(tags=["feedback"])


@router.get(
    "/items",
    response={200: list[FeedbackItemOut], **ERRORS},
    operation_id="feedback_item_list",
)
@paginate(Pagination)
def item_list(request: HttpRequest, status: str = "active") -> Any:
    """The items the caller handles."""
    return selectors.item_list_for_page(request.user, status=status)


@router.get(
    "/items/mine",
    response={200: list[FeedbackItemOut], **ERRORS},
    operation_id="feedback_item_mine",
)
@paginate(Pagination)
def item_mine(request: HttpRequest) -> Any:
    """The items the caller raised, anonymous ones included."""
    return selectors.item_list_raised_by(request.user).order_by("-id")


@router.post(
    "/items",
    response={201: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_raise",
)
def item_raise(request: HttpRequest, payload: FeedbackItemIn) -> Any:
    if not permissions.can_raise_item(request.user):
        raise PermissionDenied(_("Only trainees raise feedback items."))
    cultivation = get_object_or_404(
        selectors.cultivations_for_raising(request.user), pk=payload.cultivation_id
    )
    item = services.item_raise(
        actor=request.user,
        cultivation=cultivation,
        category=payload.category,
        title=payload.title,
        description=payload.description,
        anonymous=payload.anonymous,
    )
    return Status(201, item)


@router.get(
    "/items/{item_id}",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_get",
)
def item_get(request: HttpRequest, item_id: int) -> Any:
    return selectors.item_get_for_user_or_404(request.user, item_id)


@router.post(
    "/items/{item_id}/acknowledge",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_acknowledge",
)
def item_acknowledge(request: HttpRequest, item_id: int, payload: FeedbackNoteIn) -> Any:
    item = selectors.item_get_for_user_or_404(request.user, item_id)
    return services.item_acknowledge(actor=request.user, item=item, note=payload.note)


@router.post(
    "/items/{item_id}/start",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_start",
)
def item_start(request: HttpRequest, item_id: int, payload: FeedbackNoteIn) -> Any:
    item = selectors.item_get_for_user_or_404(request.user, item_id)
    return services.item_start(actor=request.user, item=item, note=payload.note)


@router.post(
    "/items/{item_id}/resolve",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_resolve",
)
def item_resolve(request: HttpRequest, item_id: int, payload: FeedbackResolveIn) -> Any:
    item = selectors.item_get_for_user_or_404(request.user, item_id)
    return services.item_resolve(actor=request.user, item=item, resolution=payload.resolution)


@router.post(
    "/items/{item_id}/confirm",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_confirm",
)
def item_confirm(request: HttpRequest, item_id: int) -> Any:
    item = selectors.item_get_for_user_or_404(request.user, item_id)
    return services.item_confirm(actor=request.user, item=item)


@router.post(
    "/items/{item_id}/reopen",
    response={200: FeedbackItemOut, **ERRORS},
    operation_id="feedback_item_reopen",
)
def item_reopen(request: HttpRequest, item_id: int, payload: FeedbackReopenIn) -> Any:
    item = selectors.item_get_for_user_or_404(request.user, item_id)
    return services.item_reopen(actor=request.user, item=item, reason=payload.reason)


@router.get(
    "/stats",
    response={200: list[FeedbackStatsOut], **ERRORS},
    operation_id="feedback_stats",
)
def stats(request: HttpRequest) -> Any:
    if not permissions.can_view_stats(request.user):
        raise PermissionDenied(_("Only coordinators see the feedback statistics."))
    return selectors.item_stats(request.user)


@router.get(
    "/seminars",
    response={200: list[FeedbackSeminarOut], **ERRORS},
    operation_id="feedback_seminar_list",
)
@paginate(Pagination)
def seminar_list(request: HttpRequest) -> Any:
    return selectors.seminar_list_visible_to(request.user)


@router.get(
    "/seminars/{seminar_id}",
    response={200: FeedbackSeminarOut, **ERRORS},
    operation_id="feedback_seminar_get",
)
def seminar_get(request: HttpRequest, seminar_id: int) -> Any:
    return selectors.seminar_get_for_user_or_404(request.user, seminar_id)
