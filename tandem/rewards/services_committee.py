"""Changing a round while nothing is decided (decision 110): removing a committee member,
editing the round's titles, criteria, dates and objection period, and cancelling the round.

The round's managers (coordinators of the deciding institution, the consortium admin) do
this, before the announcement and never on a cancelled round. The rules a careful graduate
school's award regulations keep:
- A member who has voted on a nomination still under review stays until the announcement:
  removing them would silently drop a vote already cast. A removal is written with a reason.
- Criteria are what the votes are cast against: once a member has voted, they no longer
  change. The window's first day never moves after the first nomination, a changed last day
  is not in the past, and the kind of reward and who can be nominated never change (the
  nominations were made for them): a different call is a new round.
- A cancellation is written with a reason; the nominations under review close with it and
  everyone concerned (nominees, nominators, the committee) is told.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.rewards import permissions, selectors
from tandem.rewards.models import Nomination, NominationStatus, RewardRound, RoundMember, Vote
from tandem.rewards.services import (
    MAX_OBJECTION_DAYS,
    lock_round,
    notify_nomination,
    notify_round,
    require_open_to_change,
    today,
)

MAX_REASON = 4000


def _reason(value: Any) -> str:
    reason = (value or "").strip()
    if not reason:
        raise field_error("reason", _("Write the reason: it is kept in the round's history."))
    if len(reason) > MAX_REASON:
        raise field_error("reason", _("Keep the reason under 4,000 characters."))
    return reason


def _require_manager(actor: User, round_: RewardRound) -> None:
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied(_("Only the round's managers change the round and its committee."))


def _nominators(round_: RewardRound) -> set[int]:
    return set(Nomination.objects.filter(round=round_).values_list("nominated_by_id", flat=True))


@transaction.atomic
def round_member_remove(
    *, actor: User, round_: RewardRound, user: User | None, reason: str
) -> RewardRound:
    round_ = lock_round(round_)
    _require_manager(actor, round_)
    require_open_to_change(round_)
    member = (
        RoundMember.objects.filter(round=round_, user=user).first() if user is not None else None
    )
    if member is None:
        raise field_error("user", _("This person is not a member of the round's committee."))
    reason = _reason(reason)
    voted = Vote.objects.filter(
        member_id=member.user_id,
        nomination__round=round_,
        nomination__status=NominationStatus.SUBMITTED,
    ).count()
    if voted:
        raise field_error(
            "user",
            ngettext(
                "This member has voted on %(count)s nomination under review: a member who has "
                "voted stays on the committee until the result is announced.",
                "This member has voted on %(count)s nominations under review: a member who has "
                "voted stays on the committee until the result is announced.",
                voted,
            )
            % {"count": voted},
        )
    removed = member.user
    member.delete()
    audit_record(
        actor=actor,
        action="reward_round.member_remove",
        target=round_,
        changes={"member": [removed, None], "reason": [None, reason]},
    )
    notify_round(round_, {removed.pk} - {actor.pk})
    return round_


EDITABLE = (
    "title",
    "title_zh",
    "criteria",
    "criteria_zh",
    "nominations_open",
    "nominations_close",
    "objection_days",
)
TEXTS = ("title", "title_zh", "criteria", "criteria_zh")


def _days(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def round_update(*, actor: User, round_: RewardRound, **values: Any) -> RewardRound:
    """Change any of EDITABLE (the others are left as they are); the whole input is checked
    before anything is written, and only the fields that change are recorded."""
    round_ = lock_round(round_)
    _require_manager(actor, round_)
    require_open_to_change(round_)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            {name: [_("This is not changed after the round is opened.")] for name in unknown}
        )
    new: dict[str, Any] = {name: getattr(round_, name) for name in EDITABLE}
    errors: dict[str, list[str]] = {}
    for name in TEXTS:
        if name in values and values[name] is not None:
            new[name] = str(values[name]).strip()
            if not new[name]:
                errors[name] = [_("Give it in English and in Chinese; it cannot be empty.")]
    for name in ("nominations_open", "nominations_close"):
        if name in values and values[name] is not None:
            new[name] = values[name]
    if "objection_days" in values and values["objection_days"] is not None:
        days = _days(values["objection_days"])
        if days is None or not 1 <= days <= MAX_OBJECTION_DAYS:
            errors["objection_days"] = [
                _("Give an objection period of 1 to %(max)s working days.")
                % {"max": MAX_OBJECTION_DAYS}
            ]
        else:
            new["objection_days"] = days
    changed = [
        name for name in EDITABLE if name not in errors and new[name] != getattr(round_, name)
    ]
    opens: datetime.date = new["nominations_open"]
    closes: datetime.date = new["nominations_close"]
    if closes < opens:
        errors["nominations_close"] = [_("Nominations must close on or after the day they open.")]
    elif "nominations_close" in changed and closes < today():
        errors["nominations_close"] = [_("A new last day of nominations must not be in the past.")]
    first = (
        Nomination.objects.filter(round=round_)
        .order_by("nominated_at")
        .values_list("nominated_at", flat=True)
    ).first()
    if "nominations_open" in changed and first is not None:
        first_day = timezone.localdate(first)
        if opens > first_day:
            errors["nominations_open"] = [
                _("The first nomination was made on %(date)s: the window cannot open after it.")
                % {"date": first_day.isoformat()}
            ]
    if {"criteria", "criteria_zh"} & set(changed) and Vote.objects.filter(
        nomination__round=round_
    ).exists():
        errors["criteria"] = [
            _("The committee has voted against these criteria: they no longer change.")
        ]
    if errors:
        raise ValidationError(errors)
    if not changed:
        return round_
    before = {name: getattr(round_, name) for name in changed}
    for name in changed:
        setattr(round_, name, new[name])
    round_.full_clean()
    round_.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="reward_round.update",
        target=round_,
        changes={name: [before[name], getattr(round_, name)] for name in changed},
    )
    notify_round(round_, (selectors.member_ids(round_) | _nominators(round_)) - {actor.pk})
    return round_


@transaction.atomic
def round_cancel(*, actor: User, round_: RewardRound, reason: str) -> RewardRound:
    round_ = lock_round(round_)
    _require_manager(actor, round_)
    require_open_to_change(round_)
    reason = _reason(reason)
    round_.cancelled_at = timezone.now()
    round_.cancel_reason = reason
    round_.cancelled_by = actor
    round_.full_clean()
    round_.save(update_fields=["cancelled_at", "cancel_reason", "cancelled_by"])
    nominations = list(
        Nomination.objects.filter(round=round_, status=NominationStatus.SUBMITTED)
        .select_for_update()
        .order_by("id")
    )
    for nomination in nominations:
        nomination.status = NominationStatus.CANCELLED
        nomination.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="reward_nomination.close",
            target=nomination,
            changes={"status": [NominationStatus.SUBMITTED, NominationStatus.CANCELLED]},
        )
        notify_nomination(
            nomination,
            (selectors.nominee_ids(nomination) | {nomination.nominated_by_id}) - {actor.pk},
        )
    audit_record(
        actor=actor,
        action="reward_round.cancel",
        target=round_,
        changes={"reason": [None, reason], "closed": [None, len(nominations)]},
    )
    notify_round(round_, selectors.member_ids(round_) - {actor.pk})
    return round_
