"""The API of an institution's working calendar: everyone in the consortium reads it; the
institution's coordinators add and remove dates (the same services as the pages)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tandem.core.api import ERRORS
from tandem.institutions import services_calendar
from tandem.institutions.selectors import institution_get_for_user_or_404

router = Router(tags=["institutions"])


class InstitutionsCalendarDayOut(Schema):
    id: int
    date: datetime.date
    kind: str
    name: str
    name_zh: str


class InstitutionsCalendarDayIn(Schema):
    date: datetime.date | None = None
    kind: str = ""
    name: str = ""
    name_zh: str = ""


@router.get(
    "/{institution_id}/calendar",
    response={200: list[InstitutionsCalendarDayOut], **ERRORS},
    operation_id="institutions_calendar_list",
)
def calendar_list(request: HttpRequest, institution_id: int) -> Any:
    """The institution's public holidays and make-up working days."""
    institution = institution_get_for_user_or_404(request.user, institution_id)
    return list(institution.calendar_days.order_by("date"))


@router.post(
    "/{institution_id}/calendar",
    response={201: InstitutionsCalendarDayOut, **ERRORS},
    operation_id="institutions_calendar_add",
)
def calendar_add(
    request: HttpRequest, institution_id: int, payload: InstitutionsCalendarDayIn
) -> Any:
    institution = institution_get_for_user_or_404(request.user, institution_id)
    day = services_calendar.calendar_day_add(
        actor=request.user, institution=institution, **payload.dict()
    )
    return Status(201, day)


@router.delete(
    "/{institution_id}/calendar/{day_id}",
    response={204: None, **ERRORS},
    operation_id="institutions_calendar_remove",
)
def calendar_remove(request: HttpRequest, institution_id: int, day_id: int) -> Any:
    institution = institution_get_for_user_or_404(request.user, institution_id)
    if not services_calendar.can_manage_calendar(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators edit its calendar."))
    day = get_object_or_404(institution.calendar_days, pk=day_id)
    services_calendar.calendar_day_remove(actor=request.user, institution=institution, day=day)
    return Status(204, None)
