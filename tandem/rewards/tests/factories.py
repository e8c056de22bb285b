"""Rewards fixtures on the fixed cast, made through the services.

cast.trainee has an active joint cultivation (home A, host B; tutor_b experimental at B,
tutor_a theoretical at A). A's round "Outstanding joint trainee" (an honour title for
trainees) is decided by a committee of coord_a, tutor_a (recused on the trainee: he tutors
them) and two teachers of A (`judge_a1`, `judge_a2`). tutor_b nominates the trainee, so the
eligible members are coord_a and the two teachers. The resident lodges objections.

States (`round_in(cast, state)` / `nomination_in(cast, state)`):
- "round": open for nominations, no nomination;
- "open": the trainee nominated, no vote yet;
- "voted": coord_a and judge_a1 voted for (a majority of the three eligible);
- "announced": the window closed three days ago and the result was announced today;
- "objected": announced, with the resident's objection unanswered;
- "final": a round announced a month ago whose period is over, the award made final.
"""

import datetime
from typing import Any

import time_machine
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.cultivation.tests.factories import cultivation_in
from tandem.rewards import services, services_announce
from tandem.rewards.models import Nomination, Objection, RewardRound


def _staff(username: str, institution: Any) -> Any:
    user = UserFactory(username=username, full_name=f"Judge {username}")
    MembershipFactory(user=user, role=Role.TEACHER, institution=institution)
    return user


def judges(cast: Any) -> list[Any]:
    cached = getattr(cast, "_rewards_judges", None)
    if cached is None:
        cultivation_of(cast)
        cached = [_staff("judge_a1", cast.inst_a), _staff("judge_a2", cast.inst_a)]
        cast._rewards_judges = cached
    return cached


def cultivation_of(cast: Any) -> Any:
    return cast.trainee.joint_cultivations.first() or cultivation_in(cast, "active")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=datetime.UTC)


def make_round(cast: Any, *, close_in: int = 10, **overrides: Any) -> RewardRound:
    today = timezone.localdate()
    arguments: dict[str, Any] = {
        "actor": cast.coord_a,
        "institution": cast.inst_a,
        "kind": "honour_title",
        "nominee_kind": "trainee",
        "title": "Outstanding joint trainee",
        "title_zh": "优秀联合培养研究生",
        "criteria": "Excellent research and conduct during the joint cultivation.",
        "criteria_zh": "联合培养期间科研与品行优秀。",
        "nominations_open": today - datetime.timedelta(days=1),
        "nominations_close": today + datetime.timedelta(days=close_in),
        "objection_days": 5,
        "members": [cast.coord_a, cast.tutor_a, *judges(cast)],
    }
    arguments.update(overrides)
    return services.round_create(**arguments)


def nominate(cast: Any, round_: RewardRound, actor: Any = None) -> Nomination:
    return services.nomination_create(
        actor=actor or cast.tutor_b,
        round_=round_,
        nominees=[cast.trainee],
        statement="Two first-author papers and a passed mid-term review, both sites agree.",
    )


def vote_majority(cast: Any, nomination: Nomination) -> None:
    for member in (cast.coord_a, judges(cast)[0]):
        services.nomination_vote(
            actor=member, nomination=nomination, choice="for", comment="Meets the criteria."
        )


def _announced(cast: Any, days_ago: int) -> Nomination:
    """Built `days_ago + 3` days back, announced `days_ago` days back."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days_ago + 3)
    with time_machine.travel(_at(start), tick=False):
        round_ = make_round(cast, close_in=0)
        nomination = nominate(cast, round_)
        vote_majority(cast, nomination)
    with time_machine.travel(_at(today - datetime.timedelta(days=days_ago)), tick=False):
        services_announce.round_announce(actor=cast.coord_a, round_=round_)
    nomination.refresh_from_db()
    return nomination


def announced_on(cast: Any, day: datetime.date) -> Nomination:
    """A nomination voted the day before `day` (when its window closed), announced on `day`."""
    with time_machine.travel(_at(day - datetime.timedelta(days=1)), tick=False):
        round_ = make_round(cast, close_in=0)
        nomination = nominate(cast, round_)
        vote_majority(cast, nomination)
    with time_machine.travel(_at(day), tick=False):
        services_announce.round_announce(actor=cast.coord_a, round_=round_)
    nomination.refresh_from_db()
    return nomination


def at(day: datetime.date) -> Any:
    return time_machine.travel(_at(day), tick=False)


def nomination_in(cast: Any, state: str) -> Nomination:
    cached = getattr(cast, f"_rewards_{state}", None)
    if cached is not None:
        return cached
    if state in ("open", "voted"):
        nomination = nominate(cast, make_round(cast))
        if state == "voted":
            vote_majority(cast, nomination)
    elif state in ("announced", "objected"):
        nomination = _announced(cast, 0)
        if state == "objected":
            services_announce.objection_lodge(
                actor=cast.resident,
                nomination=nomination,
                grounds="The second paper was written mostly by another student.",
            )
    elif state == "final":
        nomination = _announced(cast, 30)
        services_announce.award_finalise(actor=cast.coord_a, nomination=nomination)
    else:
        raise ValueError(state)
    nomination.refresh_from_db()
    setattr(cast, f"_rewards_{state}", nomination)
    return nomination


def round_in(cast: Any, state: str) -> RewardRound:
    if state == "round":
        cached = getattr(cast, "_rewards_round", None)
        if cached is None:
            cached = make_round(cast)
            cast._rewards_round = cached
        return cached
    return nomination_in(cast, state).round


def objection_of(cast: Any) -> Objection:
    return nomination_in(cast, "objected").objections.get()
