"""Bookings over JSON: the same selectors and services as the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.bookings import calendar, permissions, reports, selectors, services
from tandem.bookings.models import BookingRules
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.funds.selectors import fund_list_chargeable_by
from tandem.resources.selectors import resource_get_for_user_or_404

router = Router(tags=["bookings"])


class BookingOut(Schema):
    id: int
    resource_id: int
    booked_by_id: int
    institution_id: int
    agreement_id: int | None
    for_cultivation_id: int | None
    start: datetime.datetime
    end: datetime.datetime
    purpose: str
    status: str
    fund_id: int | None
    cost: Decimal
    charge_id: int | None
    charged_amount: Decimal
    decided_by_id: int | None
    decision_note: str


class BookingIn(Schema):
    resource_id: int
    start: datetime.datetime
    end: datetime.datetime
    fund_id: int | None = None
    for_cultivation_id: int | None = None
    purpose: str = ""


class BookingFilters(Schema):
    status: str = ""
    resource_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    mine: bool = False
    awaiting_me: bool = False
    q: str = ""


class NoteIn(Schema):
    note: str = ""


class OutcomeIn(Schema):
    outcome: str
    note: str = ""


class RulesIO(Schema):
    opening_hours: dict[str, list[str]]
    slot_minutes: int = 30
    max_booking_minutes: int = 240
    min_notice_hours: int = 24
    max_advance_days: int = 60
    approval_required: bool = True
    cost_per_hour: Decimal = Decimal("0")
    charge_no_show: bool = True


class SlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    status: str
    booking_id: int | None


class WeekOut(Schema):
    resource_id: int
    week_start: datetime.date
    taken: list[SlotOut]


class UsageRowOut(Schema):
    key: int | None
    label: str
    bookings: int
    hours_booked: Decimal
    hours_used: Decimal
    open_hours: Decimal
    utilisation: Decimal | None
    charges: Decimal


class UsageFilters(Schema):
    group: str = "resource"
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@router.get("/", response={200: list[BookingOut], **ERRORS}, operation_id="bookings_booking_list")
@paginate(Pagination)
def booking_list(request: HttpRequest, filters: Query[BookingFilters]) -> Any:
    data = filters.dict()
    data["search"] = data.pop("q").strip()
    return selectors.booking_list_for_page(request.user, **data)


@router.get(
    "/{booking_id}", response={200: BookingOut, **ERRORS}, operation_id="bookings_booking_get"
)
def booking_get(request: HttpRequest, booking_id: int) -> Any:
    return selectors.booking_get_for_user_or_404(request.user, booking_id)


@router.post("/", response={201: BookingOut, **ERRORS}, operation_id="bookings_booking_create")
def booking_create(request: HttpRequest, payload: BookingIn) -> Any:
    resource = resource_get_for_user_or_404(request.user, payload.resource_id)
    if not permissions.can_book_resource(request.user, resource):
        raise PermissionDenied(
            _("Your institution has no access to this resource under an active agreement.")
        )
    fund = None
    if payload.fund_id is not None:
        fund = fund_list_chargeable_by(request.user).filter(pk=payload.fund_id).first()
        if fund is None:
            raise field_error("fund", _("You cannot charge this fund."))
    cultivation = None
    if payload.for_cultivation_id is not None:
        cultivation = (
            cultivation_list_visible_to(request.user).filter(pk=payload.for_cultivation_id).first()
        )
        if cultivation is None:
            raise field_error("for_cultivation", _("Choose one of your joint cultivations."))
    booking = services.booking_request(
        actor=request.user,
        resource=resource,
        start=payload.start,
        end=payload.end,
        fund=fund,
        purpose=payload.purpose,
        for_cultivation=cultivation,
    )
    return Status(201, booking)


def _booking_for(request: HttpRequest, booking_id: int, allowed: Any) -> Any:
    booking = selectors.booking_get_for_user_or_404(request.user, booking_id)
    if not allowed(request.user, booking):
        raise PermissionDenied(_("You cannot do this to this booking now."))
    return booking


@router.post(
    "/{booking_id}/approve",
    response={200: BookingOut, **ERRORS},
    operation_id="bookings_booking_approve",
)
def booking_approve(request: HttpRequest, booking_id: int, payload: NoteIn) -> Any:
    booking = _booking_for(request, booking_id, permissions.can_decide_booking)
    return services.booking_approve(actor=request.user, booking=booking, note=payload.note)


@router.post(
    "/{booking_id}/reject",
    response={200: BookingOut, **ERRORS},
    operation_id="bookings_booking_reject",
)
def booking_reject(request: HttpRequest, booking_id: int, payload: NoteIn) -> Any:
    booking = _booking_for(request, booking_id, permissions.can_decide_booking)
    return services.booking_reject(actor=request.user, booking=booking, note=payload.note)


@router.post(
    "/{booking_id}/cancel",
    response={200: BookingOut, **ERRORS},
    operation_id="bookings_booking_cancel",
)
def booking_cancel(request: HttpRequest, booking_id: int, payload: NoteIn) -> Any:
    booking = _booking_for(request, booking_id, permissions.can_cancel_booking)
    return services.booking_cancel(actor=request.user, booking=booking, reason=payload.note)


@router.post(
    "/{booking_id}/mark", response={200: BookingOut, **ERRORS}, operation_id="bookings_booking_mark"
)
def booking_mark(request: HttpRequest, booking_id: int, payload: OutcomeIn) -> Any:
    booking = _booking_for(request, booking_id, permissions.can_mark_booking)
    return services.booking_mark(
        actor=request.user, booking=booking, outcome=payload.outcome, note=payload.note
    )


@router.get(
    "/resources/{resource_id}/week",
    response={200: WeekOut, **ERRORS},
    operation_id="bookings_availability_get",
)
def availability_get(
    request: HttpRequest, resource_id: int, week: datetime.date | None = None
) -> Any:
    """The taken times of one week (Monday to Sunday, local time) of a resource."""
    resource = resource_get_for_user_or_404(request.user, resource_id)
    monday = calendar.week_start_of(week or timezone.localdate())
    mine_or_managed = permissions.can_manage_bookings_of(request.user, resource)
    taken = [
        {
            "start": b.start,
            "end": b.end,
            "status": b.status,
            "booking_id": b.pk if mine_or_managed or b.booked_by_id == request.user.pk else None,
        }
        for b in calendar.week_bookings(resource, monday)
    ]
    return {"resource_id": resource.pk, "week_start": monday, "taken": taken}


@router.get(
    "/resources/{resource_id}/rules",
    response={200: RulesIO, **ERRORS},
    operation_id="bookings_rules_get",
)
def rules_get(request: HttpRequest, resource_id: int) -> Any:
    resource = resource_get_for_user_or_404(request.user, resource_id)
    rules = BookingRules.objects.filter(resource=resource).first()
    if rules is None:
        raise field_error("resource", _("The owner has not opened this resource for booking."))
    return rules


@router.put(
    "/resources/{resource_id}/rules",
    response={200: RulesIO, **ERRORS},
    operation_id="bookings_rules_set",
)
def rules_set(request: HttpRequest, resource_id: int, payload: RulesIO) -> Any:
    resource = resource_get_for_user_or_404(request.user, resource_id)
    if not permissions.can_set_booking_rules(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators set the booking rules."))
    return services.booking_rules_set(actor=request.user, resource=resource, **payload.dict())


@router.get(
    "/reports/usage",
    response={200: list[UsageRowOut], **ERRORS},
    operation_id="bookings_usage_report",
)
def usage_report(request: HttpRequest, filters: Query[UsageFilters]) -> Any:
    if not permissions.can_see_usage_reports(request.user):
        raise PermissionDenied(_("Usage reports are for coordinators."))
    if filters.group not in reports.GROUPS:
        raise field_error("group", _("Choose resource, institution or agreement."))
    date_to = filters.date_to or timezone.localdate()
    date_from = filters.date_from or date_to - datetime.timedelta(days=29)
    if date_from > date_to:
        raise field_error("date_from", _("The period must start before it ends."))
    if (date_to - date_from).days > 3660:
        raise field_error("date_from", _("Ask for at most ten years at a time."))
    rows = reports.usage_report(
        request.user, group=filters.group, date_from=date_from, date_to=date_to
    )
    return [
        {**row.__dict__, "key": row.key, "label": str(row.label), "utilisation": row.utilisation}
        for row in rows
    ]
