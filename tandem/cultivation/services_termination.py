"""Terminating a joint cultivation closes everything the joint arrangement held, and keeps the
home enrolment (decision 098).

`termination_preview` lists every change without making it; `cultivation_terminate` makes them
all in one transaction, each through the owning app's own service (and its audit row):

- the status becomes terminated, with its decision; the tutor pair ends (kept as history) and
  open tutor change requests are rejected;
- stays after the last day are cancelled, a stay running over it ends on it;
- the debriefing series where the trainee is the only trainee end (their meetings ahead are
  cancelled); the trainee is taken off the series shared with other trainees;
- the bookings ahead are cancelled and their charges given back to the fund;
- every allocation still proposed or in force is closed, its unspent money back to the fund;
- `ended_on` is set: the host's reach into the trainee's records created after it ends
  (`selectors_reach`), what existed until then stays readable to those who had it;
- the home enrolment (memberships, student numbers, trainee profile) is not touched.

A coordinator confirms what they were shown: the plan (or its fingerprint) they confirm must
equal the plan computed again under the lock, or nothing happens and they are asked to look
again. Who may decide on a termination is the caller's business (both institutions agreeing in
`ending_confirm`, or a decided sanction); this service asks only that the actor coordinates one of
the two institutions or is a consortium admin.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role, StudentNumber, User
from tandem.alerts.services import notification_send
from tandem.bookings.services_withdrawal import bookings_ahead, bookings_cancel_ahead, refund_of
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation import permissions
from tandem.cultivation.models import (
    GROUNDS_FOR,
    ChangeRequestStatus,
    EndingGround,
    EndingKind,
    EndingStatus,
    JointCultivation,
    Stay,
)
from tandem.cultivation.services import acting_institution, apply_transition, lock_cultivation
from tandem.funds.models import Expense
from tandem.funds.services_closing import allocation_close, allocations_open
from tandem.meetings.models import MentoringContact, ProgressReport
from tandem.meetings.services_withdrawal import (
    SeriesChange,
    trainee_withdraw,
    withdrawal_preview,
)


@dataclass(frozen=True)
class TutorEnd:
    assignment_id: int
    tutor: str
    role: str


@dataclass(frozen=True)
class StayChange:
    stay_id: int
    institution: str
    start: datetime.date
    end: datetime.date
    new_end: datetime.date | None  # None: the stay is cancelled

    @property
    def cancelled(self) -> bool:
        return self.new_end is None


@dataclass(frozen=True)
class BookingCancel:
    booking_id: int
    resource: str
    start: datetime.datetime
    refund: Decimal
    allocation_id: int | None


@dataclass(frozen=True)
class AllocationClose:
    allocation_id: int
    fund_id: int
    fund_code: str
    amount: Decimal
    spent: Decimal  # after the cancelled bookings' charges are given back
    returned: Decimal


@dataclass(frozen=True)
class TerminationPlan:
    cultivation_id: int
    on: datetime.date
    status_before: str
    tutors_ended: tuple[TutorEnd, ...]
    change_requests_rejected: tuple[int, ...]
    stays: tuple[StayChange, ...]
    series: tuple[SeriesChange, ...]
    bookings: tuple[BookingCancel, ...]
    allocations: tuple[AllocationClose, ...]
    host_id: int
    # What stays: the home enrolment, and the history both institutions shared.
    home_id: int
    home_memberships: tuple[int, ...]
    student_numbers: tuple[str, ...]
    progress_reports: int
    mentoring_contacts: int
    expenses: int

    @property
    def host_access_until(self) -> datetime.date:
        return self.on

    @property
    def stays_cancelled(self) -> tuple[StayChange, ...]:
        return tuple(s for s in self.stays if s.cancelled)

    @property
    def stays_cut(self) -> tuple[StayChange, ...]:
        return tuple(s for s in self.stays if not s.cancelled)

    @property
    def series_ended(self) -> tuple[SeriesChange, ...]:
        return tuple(s for s in self.series if s.ends)

    @property
    def series_left(self) -> tuple[SeriesChange, ...]:
        return tuple(s for s in self.series if not s.ends)

    @property
    def meetings_cancelled(self) -> int:
        return sum(len(s.meetings_after) for s in self.series_ended)

    @property
    def money_returned(self) -> Decimal:
        return sum((a.returned for a in self.allocations), Decimal("0"))

    @property
    def refunds(self) -> Decimal:
        return sum((b.refund for b in self.bookings), Decimal("0"))

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything the plan shows would change."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:32]


def _stay_changes(cultivation: JointCultivation, on: datetime.date) -> list[StayChange]:
    changes = []
    for stay in cultivation.stays.select_related("institution").order_by("start", "id"):
        if stay.end <= on:
            continue
        # A stay ends after it starts: one that starts on the last day or later is cancelled.
        new_end = on if stay.start < on else None
        changes.append(
            StayChange(
                stay_id=stay.pk,
                institution=str(stay.institution),
                start=stay.start,
                end=stay.end,
                new_end=new_end,
            )
        )
    return changes


def _booking_changes(cultivation: JointCultivation, on: datetime.date) -> list[BookingCancel]:
    return [
        BookingCancel(
            booking_id=b.pk,
            resource=str(b.resource),
            start=b.start,
            refund=refund_of(b),
            allocation_id=b.charge.allocation_id if b.charge_id and b.charge else None,
        )
        for b in bookings_ahead(cultivation, on)
    ]


def _allocation_changes(
    cultivation: JointCultivation, bookings: list[BookingCancel]
) -> list[AllocationClose]:
    refunds: dict[int, Decimal] = {}
    for booking in bookings:
        if booking.allocation_id is not None:
            refunds[booking.allocation_id] = (
                refunds.get(booking.allocation_id, Decimal("0")) + booking.refund
            )
    changes = []
    for allocation in allocations_open(cultivation):
        spent = allocation.spent - refunds.get(allocation.pk, Decimal("0"))
        changes.append(
            AllocationClose(
                allocation_id=allocation.pk,
                fund_id=allocation.fund_id,
                fund_code=allocation.fund.code,
                amount=allocation.amount,
                spent=spent,
                returned=allocation.amount - spent,
            )
        )
    return changes


def termination_preview(cultivation: JointCultivation, *, on: datetime.date) -> TerminationPlan:
    """Everything `cultivation_terminate` would change if the last day were `on`; changes
    nothing."""
    pair = cultivation.tutor_assignments.filter(ended_at__isnull=True).select_related("tutor")
    bookings = _booking_changes(cultivation, on)
    trainee = cultivation.trainee
    return TerminationPlan(
        cultivation_id=cultivation.pk,
        on=on,
        status_before=cultivation.status,
        tutors_ended=tuple(
            TutorEnd(assignment_id=a.pk, tutor=str(a.tutor), role=a.role)
            for a in pair.order_by("role", "id")
        ),
        change_requests_rejected=tuple(
            cultivation.tutor_change_requests.filter(status=ChangeRequestStatus.REQUESTED)
            .order_by("id")
            .values_list("pk", flat=True)
        ),
        stays=tuple(_stay_changes(cultivation, on)),
        series=tuple(withdrawal_preview(trainee=trainee, after=on)),
        bookings=tuple(bookings),
        allocations=tuple(_allocation_changes(cultivation, bookings)),
        host_id=cultivation.host_id,
        home_id=cultivation.home_id,
        home_memberships=tuple(
            Membership.objects.filter(
                user_id=cultivation.trainee_id, institution_id=cultivation.home_id, is_active=True
            )
            .order_by("id")
            .values_list("pk", flat=True)
        ),
        student_numbers=tuple(
            StudentNumber.objects.filter(
                trainee__user_id=cultivation.trainee_id, institution_id=cultivation.home_id
            )
            .order_by("id")
            .values_list("number", flat=True)
        ),
        progress_reports=ProgressReport.objects.filter(trainee_id=cultivation.trainee_id).count(),
        mentoring_contacts=MentoringContact.objects.filter(cultivation=cultivation).count(),
        expenses=Expense.objects.filter(allocation__cultivation=cultivation).count(),
    )


def _check_request(actor: User, cultivation: JointCultivation, ground: str, reason: str) -> str:
    if not permissions.can_terminate_cultivation(actor, cultivation):
        if not permissions.is_open(cultivation):
            raise ValidationError(
                _("This joint cultivation is %(status)s: there is nothing left to terminate.")
                % {"status": cultivation.get_status_display()}
            )
        raise PermissionDenied(
            _("Only a coordinator of the home or the host terminates a joint cultivation.")
        )
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if ground not in GROUNDS_FOR[EndingKind.TERMINATE]:
        errors["ground"] = [_("Choose one of the listed grounds.")]
    if not reason:
        errors["reason"] = [_("Say why.")]
    if errors:
        raise ValidationError(errors)
    return reason


def _check_fresh(fresh: TerminationPlan, plan: TerminationPlan | None, fingerprint: str) -> None:
    shown = plan.fingerprint if plan is not None else fingerprint
    if shown and shown != fresh.fingerprint:
        raise field_error(
            "plan",
            _(
                "The trainee's records changed since the preview was shown: look at the "
                "preview again and confirm what it now lists."
            ),
        )


def _apply_stays(cultivation: JointCultivation, plan: TerminationPlan) -> None:
    for change in plan.stays:
        stay = Stay.objects.select_for_update().get(pk=change.stay_id)
        if change.new_end is None:
            stay.delete()
        else:
            stay.end = change.new_end
            stay.full_clean()
            stay.save(update_fields=["end"])


def _people_to_notify(cultivation: JointCultivation, plan: TerminationPlan) -> set[int]:
    tutors = set(
        cultivation.tutor_assignments.filter(
            pk__in=[t.assignment_id for t in plan.tutors_ended]
        ).values_list("tutor_id", flat=True)
    )
    coordinators = set(
        Membership.objects.filter(
            role=Role.COORDINATOR,
            is_active=True,
            institution_id__in=(cultivation.home_id, cultivation.host_id),
        ).values_list("user_id", flat=True)
    )
    return {cultivation.trainee_id} | tutors | coordinators


def terminate_locked(
    *,
    actor: User,
    cultivation: JointCultivation,
    ground: str,
    reason: str,
    plan: TerminationPlan | None = None,
    fingerprint: str = "",
    institution_id: int | None = None,
) -> TerminationPlan:
    """The work of `cultivation_terminate` with the cultivation locked (also `ending_confirm`)."""
    reason = _check_request(actor, cultivation, ground, reason)
    on = timezone.localdate()
    fresh = termination_preview(cultivation, on=on)
    _check_fresh(fresh, plan, fingerprint)
    _close_everything(
        actor=actor,
        cultivation=cultivation,
        fresh=fresh,
        grounded=f"{EndingGround(ground).label}: {reason}",
        institution_id=(
            institution_id if institution_id is not None else acting_institution(actor, cultivation)
        ),
    )
    return fresh


def terminate_by_decision(
    *, actor: User, cultivation: JointCultivation, reason: str, institution_id: int
) -> TerminationPlan:
    """The termination a discipline decision imposes once it is in force (`tandem/conduct`):
    the decision is the authority, so neither a coordinator's permission nor a confirmed preview
    is asked; what is closed is exactly what `cultivation_terminate` closes. The caller holds
    the transaction and has locked the cultivation; a cultivation no longer open is left as
    it is (an empty plan)."""
    on = timezone.localdate()
    fresh = termination_preview(cultivation, on=on)
    if permissions.is_open(cultivation):
        _close_everything(
            actor=actor,
            cultivation=cultivation,
            fresh=fresh,
            grounded=f"{EndingGround.MISCONDUCT.label}: {reason}",
            institution_id=institution_id,
        )
    return fresh


def _close_everything(
    *,
    actor: User,
    cultivation: JointCultivation,
    fresh: TerminationPlan,
    grounded: str,
    institution_id: int | None,
) -> None:
    on = fresh.on
    apply_transition(
        actor=actor,
        cultivation=cultivation,
        action="terminate",
        reason=grounded,
        institution_id=institution_id,
    )
    cultivation.ended_on = on
    cultivation.full_clean()
    cultivation.save(update_fields=["ended_on"])
    cultivation.ending_requests.filter(status=EndingStatus.REQUESTED).update(
        status=EndingStatus.WITHDRAWN, decided_at=timezone.now()
    )
    _apply_stays(cultivation, fresh)
    trainee_withdraw(actor=actor, trainee=cultivation.trainee, after=on, reason=grounded)
    bookings_cancel_ahead(actor=actor, cultivation=cultivation, after=on, reason=grounded)
    for allocation in allocations_open(cultivation):
        allocation_close(actor=actor, allocation=allocation, reason=grounded)
    audit_record(
        actor=actor,
        action="cultivation.terminate_close",
        target=cultivation,
        changes=_summary(fresh),
        reason=grounded,
    )
    notification_send(
        users=_people_to_notify(cultivation, fresh),
        kind="cultivation_ended",
        params={
            "trainee": str(cultivation.trainee),
            "home": str(cultivation.home),
            "host": str(cultivation.host),
            "on": on.isoformat(),
        },
        url=reverse("cultivation:detail", args=[cultivation.pk]),
    )


def _summary(plan: TerminationPlan) -> dict[str, Any]:
    return {
        "ended_on": [None, plan.on.isoformat()],
        "stays": [
            [f"{s.institution}: {s.start} – {s.end}" for s in plan.stays],
            [f"{s.institution}: {s.start} – {s.new_end}" for s in plan.stays_cut],
        ],
        "series_ended": [None, [s.title for s in plan.series_ended]],
        "series_left": [None, [s.title for s in plan.series_left]],
        "bookings_cancelled": [None, len(plan.bookings)],
        "returned": [None, str(plan.money_returned)],
    }


@transaction.atomic
def cultivation_terminate(
    *,
    actor: User,
    cultivation: JointCultivation,
    ground: str,
    reason: str,
    plan: TerminationPlan | None = None,
    fingerprint: str = "",
) -> TerminationPlan:
    """Terminate the joint cultivation and close everything it held, in one transaction.
    `plan` (or its `fingerprint`): the preview the coordinator confirmed; refused when stale."""
    cultivation = lock_cultivation(cultivation)
    return terminate_locked(
        actor=actor,
        cultivation=cultivation,
        ground=ground,
        reason=reason,
        plan=plan,
        fingerprint=fingerprint,
    )
