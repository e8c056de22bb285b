"""After the votes: the announcement (公示) of a round's result for its objection period,
objections lodged by anyone in the consortium and answered by the committee in writing, and
the award becoming final — by the committee, or by the daily sweep `rewards_finalise` — once
the period is over and every objection is answered (decision 104).

An objection is audited on itself, not on the nomination, so that the nomination's history
never names the objector; only the committee reads who objected.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.institutions.workdays import add_working_days
from tandem.rewards import permissions, selectors
from tandem.rewards.models import Nomination, NominationStatus, Objection, RewardRound
from tandem.rewards.services import is_awarded as _is_awarded
from tandem.rewards.services import (
    lock_nomination,
    lock_round,
    notify_nomination,
    notify_round,
    tally,
    today,
)


def _parties(nomination: Nomination) -> set[int]:
    return (
        selectors.nominee_ids(nomination)
        | {nomination.nominated_by_id}
        | selectors.member_ids(nomination.round)
    )


@transaction.atomic
def round_announce(*, actor: User, round_: RewardRound) -> RewardRound:
    """Decide every nomination by the votes and announce the awards to the consortium: the
    objection period runs `objection_days` working days of the deciding institution's calendar
    from today. Refused while nominations are open or a nomination lacks a quorum."""
    round_ = lock_round(round_)
    if not permissions.can_announce(actor, round_):
        raise PermissionDenied(_("Only the round's committee or managers announce its result."))
    if round_.cancelled_at is not None:
        raise ValidationError(_("This round is cancelled: it has no result to announce."))
    if round_.announced_on is not None:
        raise ValidationError(_("The result of this round is already announced."))
    day = today()
    if day <= round_.nominations_close:
        raise ValidationError(
            _("Nominations are open until %(date)s: the result is announced after that.")
            % {"date": round_.nominations_close.isoformat()}
        )
    nominations = list(
        Nomination.objects.filter(round=round_, status=NominationStatus.SUBMITTED)
        .select_related("round")
        .prefetch_related("votes", "nominees")
        .select_for_update(of=("self",))
    )
    if not nominations:
        raise ValidationError(_("This round has no nomination to decide."))
    results = []
    short = []
    for nomination in nominations:
        counts = tally(nomination)
        if counts["eligible"] == 0 or counts["cast"] * 2 <= counts["eligible"]:
            short.append(str(nomination))
        results.append((nomination, counts))
    if short:
        raise ValidationError(
            _(
                "More than half of the eligible members must vote on every nomination first "
                "(not yet: %(list)s)."
            )
            % {"list": ", ".join(short)}
        )
    round_.announced_on = day
    round_.objection_until = add_working_days(round_.institution_id, day, round_.objection_days)
    round_.announced_by = actor
    round_.full_clean()
    round_.save()
    awarded = 0
    for nomination, counts in results:
        nomination.votes_for = counts["for"]
        nomination.eligible = counts["eligible"]
        if _is_awarded(counts):
            nomination.status = NominationStatus.ANNOUNCED
            awarded += 1
        else:
            nomination.status = NominationStatus.DECLINED
        nomination.full_clean()
        nomination.save()
        audit_record(
            actor=actor,
            action="reward_nomination.decide",
            target=nomination,
            changes={"status": [NominationStatus.SUBMITTED, nomination.status]},
        )
        notify_nomination(nomination, _parties(nomination) - {actor.pk}, urgent=True)
    audit_record(
        actor=actor,
        action="reward_round.announce",
        target=round_,
        changes={"awarded": [None, awarded], "objection_until": [None, round_.objection_until]},
    )
    notify_round(round_, selectors.manager_ids(round_) - {actor.pk}, page="announcement")
    return round_


@transaction.atomic
def objection_lodge(*, actor: User, nomination: Nomination, grounds: str) -> Objection:
    """A named objection to an announced award, within the objection period."""
    nomination = lock_nomination(nomination)
    if not permissions.can_object(actor, nomination):
        raise PermissionDenied(
            _("The committee and the nominees do not lodge objections to this award.")
        )
    round_ = nomination.round
    if nomination.status != NominationStatus.ANNOUNCED:
        raise ValidationError(_("This award is not in its objection period."))
    assert round_.objection_until is not None
    if not round_.in_objection_period_on(today()):
        raise ValidationError(
            _("The objection period ended on %(date)s: no objection is taken after it.")
            % {"date": round_.objection_until.isoformat()}
        )
    grounds = (grounds or "").strip()
    if not grounds:
        raise field_error("grounds", _("Write the grounds of your objection."))
    if len(grounds) > 8000:
        raise field_error("grounds", _("Keep the grounds under 8,000 characters."))
    objection = Objection(nomination=nomination, objector=actor, grounds=grounds)
    objection.full_clean()
    objection.save()
    audit_record(actor=actor, action="reward_objection.lodge", target=objection)
    notify_nomination(
        nomination,
        selectors.member_ids(round_) | selectors.nominee_ids(nomination),
        urgent=True,
    )
    return objection


@transaction.atomic
def objection_answer(
    *, actor: User, objection: Objection, answer: str, upheld: bool | None
) -> Objection:
    """The committee's written answer; an upheld objection withdraws the award."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("nomination__round")
        .get(pk=objection.pk)
    )
    nomination = lock_nomination(objection.nomination)
    if not permissions.can_answer_objection(actor, objection):
        raise PermissionDenied(
            _("Only a member of the committee who is not recused answers this objection.")
        )
    if objection.is_answered:
        raise ValidationError(_("This objection is already answered."))
    if nomination.status != NominationStatus.ANNOUNCED:
        raise ValidationError(_("The award is no longer awaiting answers to objections."))
    errors: dict[str, list[str]] = {}
    answer = (answer or "").strip()
    if not answer:
        errors["answer"] = [_("Write the committee's answer.")]
    if upheld is None:
        errors["upheld"] = [_("Say whether the objection is upheld or rejected.")]
    if errors:
        raise ValidationError(errors)
    objection.answer = answer
    objection.upheld = upheld
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        action="reward_objection.answer",
        target=objection,
        changes={"upheld": [None, upheld]},
    )
    if upheld:
        nomination.status = NominationStatus.WITHDRAWN
        nomination.withdrawn_at = objection.answered_at
        nomination.full_clean()
        nomination.save()
        audit_record(
            actor=actor,
            action="reward_nomination.withdraw",
            target=nomination,
            changes={"status": [NominationStatus.ANNOUNCED, NominationStatus.WITHDRAWN]},
        )
    notify_nomination(nomination, (_parties(nomination) | {objection.objector_id}) - {actor.pk})
    return objection


def _make_final(nomination: Nomination, actor: User | None, day: datetime.date) -> None:
    nomination.status = NominationStatus.FINAL
    nomination.final_on = day
    nomination.full_clean()
    nomination.save()
    audit_record(
        actor=actor,
        action="reward_nomination.final",
        target=nomination,
        changes={"status": [NominationStatus.ANNOUNCED, NominationStatus.FINAL]},
    )
    notify_nomination(nomination, _parties(nomination) - ({actor.pk} if actor else set()))


@transaction.atomic
def award_finalise(*, actor: User, nomination: Nomination) -> Nomination:
    """Make an award final: after its objection period, with every objection answered."""
    nomination = lock_nomination(nomination)
    if not permissions.can_finalise(actor, nomination):
        raise PermissionDenied(_("Only the round's committee or managers finalise an award."))
    if nomination.status != NominationStatus.ANNOUNCED:
        raise ValidationError(_("Only an announced award becomes final."))
    round_ = nomination.round
    assert round_.objection_until is not None
    if today() <= round_.objection_until:
        raise ValidationError(
            _("The objection period runs until %(date)s: the award becomes final after it.")
            % {"date": round_.objection_until.isoformat()}
        )
    waiting = selectors.unanswered_objections(nomination).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s objection is not answered yet: the committee answers it in writing "
                "before the award becomes final.",
                "%(count)s objections are not answered yet: the committee answers them in "
                "writing before the award becomes final.",
                waiting,
            )
            % {"count": waiting}
        )
    _make_final(nomination, actor, today())
    return nomination


@transaction.atomic
def awards_finalise_due(*, on: datetime.date | None = None) -> int:
    """The sweep: awards whose objection period is over with every objection answered."""
    day = on or today()
    count = 0
    for pk in list(selectors.awards_due_final(day).values_list("pk", flat=True)):
        nomination = lock_nomination(Nomination(pk=pk))
        if nomination.status == NominationStatus.ANNOUNCED:
            _make_final(nomination, None, day)
            count += 1
    return count
