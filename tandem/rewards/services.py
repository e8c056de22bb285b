"""Rewards up to the committee's votes: a round (kind, bilingual title and criteria, the
nomination window, its committee and objection period), nominations with a statement and
evidence, and the committee's votes with recusal enforced here.

Each service checks its predicate and the step, validates the whole input before writing,
and records one audit event in its transaction; no audit row carries a statement, a comment or
an objection's text (they live in this app's tables only). Every step notifies the people it
concerns with a link and no detail (decision 104).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core import tenancy
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.evaluations.selectors import rounds_visible_to
from tandem.institutions.models import Institution
from tandem.plans.models import MilestoneStatus
from tandem.plans.selectors import milestone_list_visible_to
from tandem.publications.selectors import publication_list_visible_to
from tandem.rewards import permissions, selectors
from tandem.rewards.models import (
    Evidence,
    Nomination,
    NominationStatus,
    NomineeKind,
    ReferenceKind,
    RewardKind,
    RewardRound,
    RoundMember,
    Vote,
    VoteChoice,
)

MAX_OBJECTION_DAYS = 30


def notify_nomination(
    nomination: Nomination, users: Iterable[int], *, urgent: bool = False
) -> None:
    """The kind's label and the link are the whole text: no name, no statement."""
    notification_send(
        users=set(users),
        kind=NotificationKind.REWARD_STEP,
        url=reverse("rewards:nomination_detail", kwargs={"pk": nomination.pk}),
        urgent=urgent,
    )


def notify_round(round_: RewardRound, users: Iterable[int], *, page: str = "round_detail") -> None:
    notification_send(
        users=set(users),
        kind=NotificationKind.REWARD_STEP,
        url=reverse(f"rewards:{page}", kwargs={"pk": round_.pk}),
    )


def today() -> datetime.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return (value or "").strip()


def lock_round(round_: RewardRound) -> RewardRound:
    return RewardRound.objects.select_for_update().select_related("institution").get(pk=round_.pk)


def lock_nomination(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update()
        .select_related("round__institution")
        .get(pk=nomination.pk)
    )


# --- rounds --------------------------------------------------------------------------------


def require_open_to_change(round_: RewardRound) -> None:
    """A round changes (committee, criteria, dates) only while nothing is decided."""
    if round_.cancelled_at is not None:
        raise ValidationError(_("This round is cancelled: nothing of it changes any more."))
    if round_.announced_on is not None:
        raise ValidationError(_("The result is announced: the round no longer changes."))


@transaction.atomic
def round_create(
    *,
    actor: User,
    institution: Institution | None,
    kind: str,
    nominee_kind: str,
    title: str,
    title_zh: str,
    criteria: str,
    criteria_zh: str,
    nominations_open: datetime.date | None,
    nominations_close: datetime.date | None,
    objection_days: Any = 5,
    consortium_wide: bool = False,
    members: Iterable[User] = (),
) -> RewardRound:
    """A round of the deciding institution (its coordinators, or the consortium admin for any
    institution; only the admin opens a round to the whole consortium)."""
    if not permissions.can_create_round(actor, institution):
        raise PermissionDenied(
            _("Only a coordinator of the deciding institution or the consortium admin does this.")
        )
    errors: dict[str, list[str]] = {}
    title, title_zh = _text(title), _text(title_zh)
    criteria, criteria_zh = _text(criteria), _text(criteria_zh)
    if institution is None:
        errors["institution"] = [_("Choose the deciding institution.")]
    if kind not in RewardKind.values:
        errors["kind"] = [_("Choose the kind of reward.")]
    if nominee_kind not in NomineeKind.values:
        errors["nominee_kind"] = [_("Say who can be nominated.")]
    elif nominee_kind == NomineeKind.TUTOR_PAIR and kind != RewardKind.HONOUR_TITLE:
        errors["nominee_kind"] = [_("A tutor pair is nominated for an honour title only.")]
    if not title or not title_zh:
        errors["title"] = [_("Give the title in English and in Chinese.")]
    if not criteria or not criteria_zh:
        errors["criteria"] = [_("Write the criteria in English and in Chinese.")]
    if nominations_open is None or nominations_close is None:
        errors["nominations_close"] = [_("Give the first and the last day of nominations.")]
    elif nominations_close < nominations_open:
        errors["nominations_close"] = [_("Nominations must close on or after the day they open.")]
    elif nominations_close < today():
        errors["nominations_close"] = [_("The nomination window must not be over already.")]
    try:
        days = int(str(objection_days)) if objection_days not in (None, "") else 5
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_OBJECTION_DAYS:
        errors["objection_days"] = [
            _("Give an objection period of 1 to %(max)s working days.")
            % {"max": MAX_OBJECTION_DAYS}
        ]
    if consortium_wide and not tenancy.is_consortium_admin(actor):
        errors["consortium_wide"] = [_("Only the consortium admin opens a round to everyone.")]
    people = list(members)
    if institution is not None and people:
        allowed = set(
            selectors.member_candidates(
                RewardRound(institution=institution)  # unsaved: only its institution is read
            ).values_list("pk", flat=True)
        )
        if any(p.pk not in allowed for p in people):
            errors["members"] = [
                _("Committee members are staff of the deciding institution (not trainees).")
            ]
    if errors:
        raise ValidationError(errors)
    assert institution is not None and nominations_open and nominations_close
    round_ = RewardRound(
        institution=institution,
        consortium_wide=consortium_wide,
        kind=kind,
        nominee_kind=nominee_kind,
        title=title,
        title_zh=title_zh,
        criteria=criteria,
        criteria_zh=criteria_zh,
        nominations_open=nominations_open,
        nominations_close=nominations_close,
        objection_days=days,
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    for person in people:
        RoundMember.objects.get_or_create(round=round_, user=person)
    audit_record(
        actor=actor,
        action="reward_round.create",
        target=round_,
        changes={
            "kind": [None, kind],
            "nominations_close": [None, nominations_close],
            "objection_days": [None, days],
        },
    )
    notify_round(round_, {p.pk for p in people} - {actor.pk})
    return round_


@transaction.atomic
def round_member_add(*, actor: User, round_: RewardRound, user: User | None) -> RoundMember:
    round_ = lock_round(round_)
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied(_("Only the round's managers change its committee."))
    require_open_to_change(round_)
    if user is None or not selectors.member_candidates(round_).filter(pk=user.pk).exists():
        raise field_error(
            "user", _("Committee members are staff of the deciding institution (not trainees).")
        )
    member, created = RoundMember.objects.get_or_create(round=round_, user=user)
    if created:
        audit_record(
            actor=actor,
            action="reward_round.member_add",
            target=round_,
            changes={"member": [None, user]},
        )
        notify_round(round_, {user.pk} - {actor.pk})
    return member


# --- nominations ---------------------------------------------------------------------------


def _check_nominees(actor: User, round_: RewardRound, people: list[User]) -> list[str]:
    ids = [p.pk for p in people]
    if len(set(ids)) != len(ids):
        return [_("Name each nominee once.")]
    if round_.nominee_kind == NomineeKind.TUTOR_PAIR:
        if len(ids) != 2:
            return [_("Nominate the two tutors of a pair.")]
    elif len(ids) != 1:
        return [_("Nominate one person in this round.")]
    candidates = set(
        selectors.nominee_candidates(actor, round_).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if set(ids) - candidates:
        return [
            _(
                "You can nominate only people you tutor or coordinate, within the round and of "
                "the kind it rewards."
            )
        ]
    if round_.nominee_kind == NomineeKind.TUTOR_PAIR:
        if not selectors.is_tutor_pair(ids[0], ids[1]):
            return [_("These two tutors are not the tutor pair of a joint trainee.")]
    elif ids == [actor.pk]:
        return [_("You cannot nominate yourself.")]
    return []


@transaction.atomic
def nomination_create(
    *, actor: User, round_: RewardRound, nominees: Iterable[User], statement: str
) -> Nomination:
    round_ = lock_round(round_)
    if not permissions.can_nominate(actor, round_):
        raise PermissionDenied(_("Tutors and coordinators nominate."))
    if not round_.accepts_nominations_on(today()):
        raise ValidationError(
            _("This round takes nominations from %(open)s to %(close)s.")
            % {
                "open": round_.nominations_open.isoformat(),
                "close": round_.nominations_close.isoformat(),
            }
        )
    errors: dict[str, list[str]] = {}
    people = list(nominees)
    problems = _check_nominees(actor, round_, people)
    if problems:
        errors["nominees"] = problems
    statement = _text(statement)
    if not statement:
        errors["statement"] = [_("Write the statement: why the nominee meets the criteria.")]
    elif len(statement) > 8000:
        errors["statement"] = [_("Keep the statement under 8,000 characters.")]
    if not errors:
        ids = sorted(p.pk for p in people)
        for other in Nomination.objects.filter(round=round_).prefetch_related("nominees"):
            if sorted(u.pk for u in other.nominees.all()) == ids:
                errors["nominees"] = [_("This nominee is already nominated in this round.")]
                break
    if errors:
        raise ValidationError(errors)
    nomination = Nomination(round=round_, statement=statement, nominated_by=actor)
    nomination.full_clean()
    nomination.save()
    nomination.nominees.set(people)
    audit_record(
        actor=actor,
        action="reward_nomination.create",
        target=nomination,
        changes={"round": [None, round_], "nominees": [None, [str(p) for p in people]]},
    )
    notify_nomination(
        nomination, ({p.pk for p in people} | selectors.member_ids(round_)) - {actor.pk}
    )
    return nomination


def _reference_visible(actor: User, kind: str, pk: int, nominee_ids: set[int]) -> bool:
    """Only records the nominator can see through that app's selector, about a nominee."""
    if kind == ReferenceKind.PUBLICATION:
        return (
            publication_list_visible_to(actor)
            .filter(pk=pk)
            .filter(authors__user_id__in=nominee_ids)
            .exists()
        )
    if kind == ReferenceKind.MILESTONE:
        return (
            milestone_list_visible_to(actor)
            .filter(pk=pk, status=MilestoneStatus.PASSED)
            .filter(plan__cultivation__trainee_id__in=nominee_ids)
            .exists()
        )
    if kind == ReferenceKind.EVALUATION:
        return (
            rounds_visible_to(actor)
            .filter(pk=pk, released_at__isnull=False, pairs__target_user_id__in=nominee_ids)
            .exists()
        )
    return False


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    nomination: Nomination,
    description: str,
    file: Any = None,
    reference_kind: str = "",
    reference_id: Any = None,
) -> Evidence:
    """A file, or a publication, a released evaluation round or a passed milestone of the
    nominee that the nominator can see; while the nomination is under review."""
    nomination = lock_nomination(nomination)
    if not permissions.can_add_evidence(actor, nomination):
        raise PermissionDenied(_("Only the nominator adds evidence."))
    if nomination.status != NominationStatus.SUBMITTED or nomination.round.announced_on:
        raise ValidationError(_("The nomination is decided: no more evidence is added."))
    errors: dict[str, list[str]] = {}
    description = _text(description)
    if not description:
        errors["description"] = [_("Say what the evidence shows.")]
    reference_kind = _text(reference_kind)
    number = None
    if reference_kind:
        if reference_kind not in ReferenceKind.values:
            errors["reference_kind"] = [
                _("Choose a publication, a released evaluation or a passed milestone.")
            ]
        else:
            try:
                number = int(str(reference_id))
            except (TypeError, ValueError):
                number = None
            if number is None or not _reference_visible(
                actor, reference_kind, number, selectors.nominee_ids(nomination)
            ):
                errors["reference_id"] = [_("No such record of the nominee that you can see.")]
    elif not file:
        errors["file"] = [_("Attach a file or refer to a record in Tandem.")]
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        nomination=nomination,
        description=description,
        reference_kind=reference_kind,
        reference_id=number,
        added_by=actor,
    )
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    audit_record(
        actor=actor,
        action="reward_nomination.evidence",
        target=nomination,
        changes={"reference_kind": [None, reference_kind or "file"]},
    )
    return evidence


# --- the committee's votes -----------------------------------------------------------------


def require_member(actor: User, nomination: Nomination) -> None:
    if not permissions.is_member(actor, nomination.round):
        raise PermissionDenied(_("Only the members of the round's committee vote."))
    if permissions.is_recused(actor, nomination):
        raise PermissionDenied(
            _(
                "You are recused from this nomination (you are a nominee, you have tutored a "
                "nominee, or you made the nomination): you cannot vote on it."
            )
        )


@transaction.atomic
def nomination_vote(*, actor: User, nomination: Nomination, choice: str, comment: str = "") -> Vote:
    """A member's vote (for, against, abstain) with a comment; a later vote replaces theirs,
    until the result is announced."""
    nomination = lock_nomination(nomination)
    require_member(actor, nomination)
    if nomination.status != NominationStatus.SUBMITTED or nomination.round.announced_on:
        raise ValidationError(_("The result is announced: the votes are closed."))
    choice = _text(choice)
    if choice not in VoteChoice.values:
        raise field_error("choice", _("Vote for, against, or abstain."))
    comment = _text(comment)
    if len(comment) > 2000:
        raise field_error("comment", _("Keep the comment under 2,000 characters."))
    vote, _created = Vote.objects.update_or_create(
        nomination=nomination,
        member=actor,
        defaults={"choice": choice, "comment": comment, "cast_at": timezone.now()},
    )
    audit_record(actor=actor, action="reward_nomination.vote", target=nomination)
    return vote


def tally(nomination: Nomination) -> dict[str, int]:
    """Votes of the eligible members (recused members' votes, if any, do not count)."""
    eligible = selectors.eligible_ids(nomination)
    counts = {"for": 0, "against": 0, "abstain": 0}
    for vote in nomination.votes.all():
        if vote.member_id in eligible:
            counts[vote.choice] += 1
    counts["cast"] = counts["for"] + counts["against"] + counts["abstain"]
    counts["eligible"] = len(eligible)
    return counts


def is_awarded(counts: dict[str, int]) -> bool:
    """The rule of decision 104: more than half of the eligible members voted for."""
    return counts["eligible"] > 0 and counts["for"] * 2 > counts["eligible"]
