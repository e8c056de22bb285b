"""Two-sided endings (decision 086): one institution asks to complete, terminate or suspend a
joint cultivation, with a ground from a fixed list and an explanation; the other institution
confirms or declines with a reason.

Completion and termination happen only once confirmed. A suspension is urgent: it takes effect
when asked, and lapses (the cultivation resumes) unless the other side confirms it within
`settings.SUSPENSION_CONFIRM_DAYS` days — `suspensions_lapse` is the sweep that does so.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation import permissions
from tandem.cultivation.models import (
    GROUNDS_FOR,
    CultivationStatus,
    EndingGround,
    EndingKind,
    EndingRequest,
    EndingStatus,
    JointCultivation,
)
from tandem.cultivation.services import apply_transition, lock_cultivation
from tandem.cultivation.services_termination import terminate_locked


def _requesting_side(actor: User, cultivation: JointCultivation) -> int:
    sides = permissions.coordinated_sides(actor, cultivation)
    for institution_id in (cultivation.home_id, cultivation.host_id):
        if institution_id in sides:
            return institution_id
    raise PermissionDenied(
        _(
            "Only a coordinator of the home or the host asks to end or suspend a joint "
            "cultivation; the other institution confirms."
        )
    )


def _grounded_reason(ending: EndingRequest) -> str:
    return f"{EndingGround(ending.ground).label}: {ending.reason}"


def ending_request(
    *, actor: User, cultivation: JointCultivation, kind: str, ground: str, reason: str
) -> EndingRequest:
    """Called by `cultivation_decide` with the cultivation locked and its status checked."""
    side = _requesting_side(actor, cultivation)
    if kind not in GROUNDS_FOR:
        raise field_error("action", _("Unknown decision."))
    if EndingRequest.objects.filter(
        cultivation=cultivation, status=EndingStatus.REQUESTED
    ).exists():
        raise ValidationError(
            _("Another request is awaiting the other institution; it is answered first.")
        )
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if ground not in GROUNDS_FOR[kind]:
        errors["ground"] = [_("Choose one of the listed grounds.")]
    if not reason:
        errors["reason"] = [_("Say why.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    ending = EndingRequest(
        cultivation=cultivation,
        kind=kind,
        ground=ground,
        reason=reason,
        requested_by=actor,
        requested_for_id=side,
        requested_at=now,
        confirm_by=(
            now + datetime.timedelta(days=settings.SUSPENSION_CONFIRM_DAYS)
            if kind == EndingKind.SUSPEND
            else None
        ),
    )
    ending.full_clean()
    ending.save()
    if kind == EndingKind.SUSPEND:
        apply_transition(
            actor=actor,
            cultivation=cultivation,
            action="suspend",
            reason=_grounded_reason(ending),
            institution_id=side,
        )
    audit_record(
        actor=actor,
        action="cultivation.ending_request",
        target=cultivation,
        changes={"ending_request": [None, kind]},
        reason=_grounded_reason(ending),
    )
    return ending


def _lock_ending(ending: EndingRequest) -> EndingRequest:
    locked = EndingRequest.objects.select_for_update().get(pk=ending.pk)
    locked.cultivation = lock_cultivation(locked.cultivation)
    return locked


def _require_other_side(actor: User, ending: EndingRequest) -> None:
    if ending.other_side_id() not in permissions.coordinated_sides(actor, ending.cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the other institution confirms or declines this request.")
        )


def _close(ending: EndingRequest, *, status: str, actor: User | None, reason: str) -> None:
    ending.status = status
    ending.decided_by = actor
    ending.decided_at = timezone.now()
    ending.decision_reason = reason
    ending.full_clean()
    ending.save()


@transaction.atomic
def ending_confirm(
    *, actor: User, ending: EndingRequest, reason: str = "", fingerprint: str = ""
) -> EndingRequest:
    """The other side agrees: a completion or termination takes effect; a suspension stands.

    A termination closes everything the cultivation held (`services_termination`, decision
    098); `fingerprint` is that of the preview the confirming coordinator was shown, refused
    when the records changed since."""
    ending = _lock_ending(ending)
    _require_other_side(actor, ending)
    if not ending.is_open:
        raise ValidationError(_("This request has already been answered."))
    cultivation = ending.cultivation
    starts, _target = permissions.TRANSITIONS[ending.kind]
    if ending.kind != EndingKind.SUSPEND and cultivation.status not in starts:
        raise ValidationError(
            _("This decision cannot be taken while the joint cultivation is %(status)s.")
            % {"status": cultivation.get_status_display()}
        )
    _close(ending, status=EndingStatus.CONFIRMED, actor=actor, reason=(reason or "").strip())
    if ending.kind == EndingKind.TERMINATE:
        terminate_locked(
            actor=actor,
            cultivation=cultivation,
            ground=ending.ground,
            reason=ending.reason,
            fingerprint=fingerprint,
            institution_id=ending.other_side_id(),
        )
    elif ending.kind != EndingKind.SUSPEND:
        apply_transition(
            actor=actor,
            cultivation=cultivation,
            action=ending.kind,
            reason=_grounded_reason(ending),
            institution_id=ending.other_side_id(),
        )
    audit_record(
        actor=actor,
        action="cultivation.ending_confirm",
        target=cultivation,
        changes={"ending_request": [None, ending.kind]},
        reason=ending.decision_reason,
    )
    return ending


@transaction.atomic
def ending_decline(*, actor: User, ending: EndingRequest, reason: str) -> EndingRequest:
    """The other side does not agree, and says why; a suspension is lifted."""
    ending = _lock_ending(ending)
    _require_other_side(actor, ending)
    if not ending.is_open:
        raise ValidationError(_("This request has already been answered."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the request is declined."))
    _close(ending, status=EndingStatus.DECLINED, actor=actor, reason=reason)
    if ending.kind == EndingKind.SUSPEND and (
        ending.cultivation.status == CultivationStatus.SUSPENDED
    ):
        apply_transition(
            actor=actor,
            cultivation=ending.cultivation,
            action="resume",
            reason=reason,
            institution_id=ending.other_side_id(),
        )
    audit_record(
        actor=actor,
        action="cultivation.ending_decline",
        target=ending.cultivation,
        changes={"ending_request": [ending.kind, None]},
        reason=reason,
    )
    return ending


def withdraw_open_suspension(*, actor: User, cultivation: JointCultivation) -> None:
    """Resuming closes the suspension request still awaiting the other side."""
    for ending in cultivation.ending_requests.filter(
        status=EndingStatus.REQUESTED, kind=EndingKind.SUSPEND
    ):
        _close(ending, status=EndingStatus.WITHDRAWN, actor=actor, reason="")


@transaction.atomic
def suspensions_lapse(*, now: datetime.datetime | None = None) -> int:
    """The sweep: every suspension the other side has not confirmed by its deadline lapses
    and the cultivation resumes. Returns how many lapsed."""
    now = now or timezone.now()
    due = EndingRequest.objects.select_for_update().filter(
        status=EndingStatus.REQUESTED, kind=EndingKind.SUSPEND, confirm_by__lt=now
    )
    lapsed = 0
    for ending in due.select_related("cultivation", "requested_by"):
        ending.cultivation = lock_cultivation(ending.cultivation)
        _close(ending, status=EndingStatus.LAPSED, actor=None, reason="")
        if ending.cultivation.status == CultivationStatus.SUSPENDED:
            apply_transition(
                actor=None,
                decided_by=ending.requested_by,
                cultivation=ending.cultivation,
                action="resume",
                reason=_("The suspension lapsed: the other institution did not confirm it."),
                institution_id=None,
            )
        lapsed += 1
    return lapsed
