"""Every write about bookings: rules, requests, decisions, cancellations, outcomes.

No double booking: on PostgreSQL the exclusion constraint `booking_no_overlap` refuses an
overlapping active booking even when two requests race; on SQLite the overlap check below runs
inside the IMMEDIATE transaction that serializes writers. Either way the person gets the same
refusal on "start" (decision 060).

Charges (decision 061): a booking is charged to its fund when it is confirmed — at once when the
owner needs no approval, otherwise on approval — as an "instrument_use" expense recorded on
behalf of the booker, who chose the fund. Cancelling a charged booking reverses the charge; so
does a no-show when the owner does not charge no-shows.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.bookings import permissions
from tandem.bookings import rules as booking_rules
from tandem.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingRules,
    BookingStatus,
)
from tandem.bookings.selectors import booking_access_for
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.audit_labels import generated, in_site_language
from tandem.core.errors import field_error
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.funds.permissions import can_charge_fund
from tandem.funds.selectors import allocation_list_chargeable_by, fund_list_chargeable_by
from tandem.funds.services import expense_record, expense_reverse
from tandem.resources.models import SharedResource

RULE_FIELDS = (
    "opening_hours",
    "slot_minutes",
    "max_booking_minutes",
    "min_notice_hours",
    "max_advance_days",
    "approval_required",
    "cost_per_hour",
    "charge_no_show",
)
BOOKING_FIELDS = (
    "status",
    "start",
    "end",
    "fund",
    "cost",
    "charged_amount",
    "decided_by",
    "decision_note",
    "cancelled_by",
)
OVERLAP_CONSTRAINT = "booking_no_overlap"


def overlap_message() -> str:
    return _("This time overlaps another booking of the resource; choose another slot.")


@transaction.atomic
def booking_rules_set(*, actor: Any, resource: SharedResource, **values: Any) -> BookingRules:
    """Create or change the owner's rules for booking `resource`."""
    if not permissions.can_set_booking_rules(actor, resource):
        raise PermissionDenied(_("Only the owner's coordinators set the booking rules."))
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed here."))
    rules = BookingRules.objects.select_for_update().filter(resource=resource).first()
    before = snapshot(rules, RULE_FIELDS) if rules else {}
    rules = rules or BookingRules(resource=resource)
    for field, value in values.items():
        setattr(rules, field, value)
    rules.opening_hours = booking_rules.clean_opening_hours(rules.opening_hours)
    if rules.max_booking_minutes % rules.slot_minutes:
        raise field_error(
            "max_booking_minutes", _("The longest booking must be a whole number of slots.")
        )
    rules.updated_at = timezone.now()
    rules.full_clean()
    rules.save()
    changes = diff(before, snapshot(rules, RULE_FIELDS))
    if changes:
        audit_record(actor=actor, action="booking_rules.set", target=resource, changes=changes)
    return rules


def _check_fund(actor: Any, fund: Any, cost: Decimal) -> None:
    if cost <= 0:
        return
    if fund is None:
        raise field_error("fund", _("Choose the fund to charge; this resource costs money."))
    if not fund_list_chargeable_by(actor).filter(pk=fund.pk).exists():
        raise field_error("fund", _("You cannot charge this fund."))
    if fund.balance < cost:
        raise field_error(
            "fund",
            _("The fund's balance (%(balance)s) does not cover the cost (%(cost)s).")
            % {"balance": fund.balance, "cost": cost},
        )


def _check_cultivation(actor: Any, cultivation: Any) -> None:
    if (
        cultivation is not None
        and not cultivation_list_visible_to(actor).filter(pk=cultivation.pk).exists()
    ):
        raise field_error("for_cultivation", _("Choose one of your joint cultivations."))


def _overlaps(booking: Booking) -> bool:
    return (
        Booking.objects.filter(
            resource_id=booking.resource_id,
            status__in=ACTIVE_STATUSES,
            start__lt=booking.end,
            end__gt=booking.start,
        )
        .exclude(pk=booking.pk)
        .exists()
    )


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    return name == OVERLAP_CONSTRAINT or OVERLAP_CONSTRAINT in str(exc)


def _save_new(booking: Booking) -> None:
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction
            booking.save()
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise field_error("start", overlap_message()) from None
        raise


def _allocation_for(booking: Booking) -> Any:
    """The allocation to charge: the one for the booking's joint cultivation, else (for a
    trainee who does not manage the fund) their own approved allocation."""
    fund = booking.fund
    assert fund is not None  # only bookings with a fund are charged
    allocations = allocation_list_chargeable_by(booking.booked_by, fund)
    if booking.for_cultivation_id:
        match = allocations.filter(cultivation_id=booking.for_cultivation_id).first()
        if match is not None:
            return match
    if can_charge_fund(booking.booked_by, fund):
        return None
    return allocations.filter(cultivation__trainee=booking.booked_by).order_by("id").first()


def _charge(booking: Booking) -> None:
    if booking.cost <= 0 or booking.fund is None or booking.charge_id:
        return
    local = timezone.localtime(booking.start)
    description = generated(
        "booking.charge",
        {
            "pk": booking.pk,
            "resource": str(booking.resource),
            "day": f"{local:%Y-%m-%d}",
            "start": f"{local:%H:%M}",
            "end": f"{timezone.localtime(booking.end):%H:%M}",
        },
    )
    try:
        expense = expense_record(
            actor=booking.booked_by,
            fund=booking.fund,
            amount=booking.cost,
            date=local.date(),
            category="instrument_use",
            description=in_site_language(description)[:300],
            allocation=_allocation_for(booking),
            generated_description=description,
        )
    except ValidationError as exc:
        messages = (
            exc.messages
            if not hasattr(exc, "error_dict")
            else [str(m) for msgs in exc.message_dict.values() for m in msgs]
        )
        raise ValidationError({"fund": messages}) from None
    except PermissionDenied as exc:
        raise field_error(
            "fund", str(exc) or _("The booker can no longer charge this fund.")
        ) from None
    booking.charge = expense
    booking.charged_amount = booking.cost


def _reverse_charge(booking: Booking, reason: str = "", reason_code: str = "") -> None:
    """Give the charge back: for `reason` a person wrote, or for a reason the system gives
    (`reason_code`, worded when read)."""
    if booking.charge is None or booking.charged_amount <= 0:
        return
    expense_reverse(
        actor=booking.booked_by,
        expense=booking.charge,
        reason=reason,
        reason_code="" if reason else reason_code,
        reason_params=None if reason else {"pk": booking.pk},
    )
    booking.charged_amount = Decimal("0")


@transaction.atomic
def booking_request(
    *,
    actor: Any,
    resource: SharedResource,
    start: datetime.datetime,
    end: datetime.datetime,
    fund: Any = None,
    purpose: str = "",
    for_cultivation: Any = None,
) -> Booking:
    """Book `resource` from `start` to `end`. Confirmed (and charged) at once when the owner
    needs no approval; otherwise requested until the owner decides."""
    access = booking_access_for(actor, resource)
    if access is None or not resource.is_active:
        raise PermissionDenied(
            _("Your institution has no access to this resource under an active agreement.")
        )
    rules = BookingRules.objects.filter(resource=resource).first()
    if rules is None:
        raise field_error("resource", _("The owner has not opened this resource for booking."))
    booking_rules.check_times(rules, start, end)
    cost = booking_rules.cost_of(rules, start, end)
    _check_fund(actor, fund, cost)
    _check_cultivation(actor, for_cultivation)
    booking = Booking(
        resource=resource,
        booked_by=actor,
        institution_id=access.institution_id,
        agreement_id=access.agreement_id,
        for_cultivation=for_cultivation,
        start=start,
        end=end,
        purpose=(purpose or "").strip(),
        fund=fund if cost > 0 else None,
        cost=cost,
        status=BookingStatus.REQUESTED if rules.approval_required else BookingStatus.CONFIRMED,
    )
    if _overlaps(booking):
        raise field_error("start", overlap_message())
    booking.full_clean(validate_constraints=False)  # the overlap is checked above and by the DB
    _save_new(booking)
    if booking.status == BookingStatus.CONFIRMED:
        _charge(booking)
        booking.save(update_fields=["charge", "charged_amount"])
    audit_record(
        actor=actor,
        action="booking.request",
        target=booking,
        changes=diff({}, snapshot(booking, BOOKING_FIELDS)),
    )
    return booking


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource", "booked_by", "fund", "charge")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_approve(*, actor: Any, booking: Booking, note: str = "") -> Booking:
    booking = _locked(booking)
    if not permissions.can_decide_booking(actor, booking):
        raise PermissionDenied(_("Only the owner's coordinators decide requested bookings."))
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = BookingStatus.CONFIRMED
    booking.decided_by, booking.decided_at = actor, timezone.now()
    booking.decision_note = (note or "").strip()
    _charge(booking)
    booking.full_clean(validate_constraints=False)
    booking.save()
    audit_record(
        actor=actor,
        action="booking.approve",
        target=booking,
        changes=diff(before, snapshot(booking, BOOKING_FIELDS)),
        reason=booking.decision_note,
    )
    return booking


@transaction.atomic
def booking_reject(*, actor: Any, booking: Booking, note: str) -> Booking:
    booking = _locked(booking)
    if not permissions.can_decide_booking(actor, booking):
        raise PermissionDenied(_("Only the owner's coordinators decide requested bookings."))
    note = (note or "").strip()
    if not note:
        raise field_error("note", _("Say why the booking is rejected."))
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = BookingStatus.REJECTED
    booking.decided_by, booking.decided_at, booking.decision_note = actor, timezone.now(), note
    booking.full_clean(validate_constraints=False)
    booking.save()
    audit_record(
        actor=actor,
        action="booking.reject",
        target=booking,
        changes=diff(before, snapshot(booking, BOOKING_FIELDS)),
        reason=note,
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    booking = _locked(booking)
    if not permissions.can_cancel_booking(actor, booking):
        raise PermissionDenied(
            _("Only the booker (before it starts) or the owner's coordinators cancel a booking.")
        )
    return cancel_locked_booking(actor=actor, booking=booking, reason=reason)


def cancel_locked_booking(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    """The work of `booking_cancel` once the booking is locked and the request checked (also
    used by a termination of the joint cultivation, which has checked its own authority): the
    charge, if any, is given back to the fund."""
    reason = (reason or "").strip()
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by, booking.cancelled_at = actor, timezone.now()
    _reverse_charge(booking, reason, reason_code="booking.cancelled")
    booking.full_clean(validate_constraints=False)
    booking.save()
    audit_record(
        actor=actor,
        action="booking.cancel",
        target=booking,
        changes=diff(before, snapshot(booking, BOOKING_FIELDS)),
        reason=reason,
    )
    return booking


OUTCOMES = (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


@transaction.atomic
def booking_mark(*, actor: Any, booking: Booking, outcome: str, note: str = "") -> Booking:
    """Record what happened to a confirmed booking that has started: completed or no-show."""
    booking = _locked(booking)
    if not permissions.can_mark_booking(actor, booking):
        raise PermissionDenied(
            _("Only the owner's coordinators mark a confirmed booking once it has started.")
        )
    if outcome not in OUTCOMES:
        raise field_error("outcome", _("Choose completed or no-show."))
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = outcome
    if outcome == BookingStatus.NO_SHOW:
        rules = BookingRules.objects.filter(resource_id=booking.resource_id).first()
        if rules is not None and not rules.charge_no_show:
            _reverse_charge(booking, reason_code="booking.no_show_free")
    booking.full_clean(validate_constraints=False)
    booking.save()
    audit_record(
        actor=actor,
        action=f"booking.{outcome}",
        target=booking,
        changes=diff(before, snapshot(booking, BOOKING_FIELDS)),
        reason=(note or "").strip(),
    )
    return booking
