"""The API of the termination preview and its confirmation (decision 098); mounted under the
cultivation router. The preview is what confirming the open termination request would change;
confirming sends back the preview's fingerprint and is refused (400, on `plan`) when the
trainee's records changed since."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tandem.core.api import ERRORS
from tandem.core.errors import field_error
from tandem.cultivation import permissions, selectors, selectors_termination, services_ending
from tandem.cultivation.schemas import CultivationDetailOut
from tandem.cultivation.services_termination import termination_preview

router = Router(tags=["cultivation"])


class TutorEndOut(Schema):
    assignment_id: int
    tutor: str
    role: str


class StayChangeOut(Schema):
    stay_id: int
    institution: str
    start: datetime.date
    end: datetime.date
    new_end: datetime.date | None
    cancelled: bool


class SeriesChangeOut(Schema):
    series_id: int
    title: str
    ends: bool
    meetings_after: list[datetime.date]


class BookingCancelOut(Schema):
    booking_id: int
    resource: str
    start: datetime.datetime
    refund: Decimal


class AllocationCloseOut(Schema):
    allocation_id: int
    fund_code: str
    amount: Decimal
    spent: Decimal
    returned: Decimal


class TerminationPlanOut(Schema):
    cultivation_id: int
    fingerprint: str
    on: datetime.date
    status_before: str
    tutors_ended: list[TutorEndOut]
    change_requests_rejected: list[int]
    stays: list[StayChangeOut]
    series: list[SeriesChangeOut]
    bookings: list[BookingCancelOut]
    allocations: list[AllocationCloseOut]
    money_returned: Decimal
    host_access_until: datetime.date
    home_id: int
    home_memberships: list[int]
    student_numbers: list[str]
    progress_reports: int
    mentoring_contacts: int
    expenses: int


class TerminationConfirmIn(Schema):
    fingerprint: str
    reason: str = ""


@router.get(
    "/{cultivation_id}/endings/{ending_id}/termination",
    response={200: TerminationPlanOut, **ERRORS},
    operation_id="cultivation_termination_preview",
)
def termination_preview_get(request: HttpRequest, cultivation_id: int, ending_id: int) -> Any:
    """Everything confirming this termination request would change, and what stays."""
    ending = selectors_termination.termination_request_for_user_or_404(
        request.user, cultivation_id, ending_id
    )
    return termination_preview(ending.cultivation, on=timezone.localdate())


@router.post(
    "/{cultivation_id}/endings/{ending_id}/termination",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_termination_confirm",
)
def termination_confirm(
    request: HttpRequest, cultivation_id: int, ending_id: int, payload: TerminationConfirmIn
) -> Any:
    """The other institution confirms the termination it previewed: everything listed closes."""
    ending = selectors_termination.termination_request_for_user_or_404(
        request.user, cultivation_id, ending_id
    )
    if not permissions.can_answer_ending(request.user, ending):
        raise PermissionDenied(
            _("Only a coordinator of the other institution confirms or declines this request.")
        )
    if not payload.fingerprint.strip():
        raise field_error("fingerprint", _("Send the fingerprint of the preview you confirm."))
    services_ending.ending_confirm(
        actor=request.user, ending=ending, reason=payload.reason, fingerprint=payload.fingerprint
    )
    return selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
