"""Who may do what in rewards: one predicate per action, answering for one object. Services
call these; pages show buttons by them. The step checks (is the window open, is the period
over) are the services' own, so that each refusal says what is wrong."""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.institutions.models import Institution
from tandem.rewards import selectors
from tandem.rewards.models import Nomination, Objection, RewardRound


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_create_round(user: Any, institution: Institution | int | None = None) -> bool:
    """Coordinators of the deciding institution, or the consortium admin for any."""
    if not _signed_in(user):
        return False
    if tenancy.is_consortium_admin(user):
        return True
    coordinated = tenancy.coordinated_institution_ids(user)
    if institution is None:
        return bool(coordinated)
    pk = institution if isinstance(institution, int) else institution.pk
    return pk in coordinated


def can_manage_round(user: Any, round_: RewardRound) -> bool:
    return can_create_round(user, round_.institution_id)


def is_member(user: Any, round_: RewardRound) -> bool:
    return _signed_in(user) and user.pk in selectors.member_ids(round_)


def can_nominate(user: Any, round_: RewardRound | None = None) -> bool:
    """Tutors and coordinators (the consortium admin too); whom they may nominate is the
    selector `nominee_candidates`."""
    if not _signed_in(user):
        return False
    return (
        tenancy.is_consortium_admin(user)
        or bool(tenancy.coordinated_institution_ids(user))
        or Role.TUTOR in tenancy.roles(user)
    )


def is_recused(user: Any, nomination: Nomination) -> bool:
    return user.pk in selectors.recused_ids(nomination)


def can_add_evidence(user: Any, nomination: Nomination) -> bool:
    return _signed_in(user) and nomination.nominated_by_id == user.pk


def can_vote(user: Any, nomination: Nomination) -> bool:
    return is_member(user, nomination.round) and not is_recused(user, nomination)


def can_read_votes(user: Any, nomination: Nomination) -> bool:
    return is_member(user, nomination.round)


def can_announce(user: Any, round_: RewardRound) -> bool:
    return can_manage_round(user, round_) or is_member(user, round_)


def can_object(user: Any, nomination: Nomination) -> bool:
    """Anyone in the consortium but the committee (which answers) and the nominees."""
    return (
        selectors.in_consortium(user)
        and not is_member(user, nomination.round)
        and user.pk not in selectors.nominee_ids(nomination)
    )


def can_answer_objection(user: Any, objection: Objection) -> bool:
    return can_vote(user, objection.nomination)


def can_see_objector(user: Any, nomination: Nomination) -> bool:
    return is_member(user, nomination.round)


def can_finalise(user: Any, nomination: Nomination) -> bool:
    return can_announce(user, nomination.round)
