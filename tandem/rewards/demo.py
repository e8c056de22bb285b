"""Rewards of the demo consortium, built through the services.

The home institution of the first active joint cultivation sets up a reward committee of its
coordinator and three staff accounts (`judges.<code>.1…3`) and two rounds:

- "Outstanding joint trainee": the first trainee nominated by their experimental tutor (with a
  publication and a passed milestone attached by reference where the demo has them), a second
  one by the coordinator (recused on that nomination); votes; the result announced today, so
  the first award is in its objection period, with an objection by the host's coordinator
  already answered in writing;
- "Joint training scholarship": an award announced weeks ago whose period is over, made final
  by the daily sweep, so that it is on that trainee's joint record.

Time: a nomination is taken only while its window is open and a result announced only after it
closes, so the demo closes each window "yesterday", and moves the scholarship's announcement
three weeks back before the sweep runs — a date change of the demo's own, the only writes not
made by a service (decision 104). Running it again changes nothing."""

import datetime

from django.utils import timezone

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Membership, Role, User
from tandem.cultivation.models import CultivationStatus, JointCultivation, TutorAssignment
from tandem.institutions.models import Institution
from tandem.institutions.workdays import add_working_days
from tandem.plans.models import MilestoneStatus
from tandem.plans.selectors import milestone_list_visible_to
from tandem.publications.selectors import publication_list_visible_to
from tandem.rewards import services, services_announce
from tandem.rewards.models import Nomination, RewardRound


def _coordinator(institution: Institution) -> User | None:
    membership = (
        Membership.objects.filter(institution=institution, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _judges(institution: Institution, coordinator: User) -> list[User]:
    people = []
    for number in range(1, 4):
        username = f"judges.{institution.code}.{number}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = demo_account(
                username,
                f"{institution.code.upper()} judge {number}",
                coordinator.password,
                "zh-hans",
            )
        if not Membership.objects.filter(user=user, institution=institution).exists():
            accounts.membership_add(
                actor=coordinator, user=user, role=Role.TEACHER, institution=institution
            )
        people.append(user)
    return people


def _first_tutor(cultivation: JointCultivation) -> User | None:
    assignment = (
        TutorAssignment.objects.filter(cultivation=cultivation, ended_at__isnull=True)
        .select_related("tutor")
        .order_by("-is_first_in_charge", "id")
        .first()
    )
    return assignment.tutor if assignment else None


def _close_window(round_: RewardRound, today: datetime.date) -> None:
    RewardRound.objects.filter(pk=round_.pk).update(
        nominations_close=today - datetime.timedelta(days=1)
    )
    round_.refresh_from_db()


def _evidence(nominator: User, nomination: Nomination, trainee: User) -> None:
    paper = publication_list_visible_to(nominator).filter(authors__user=trainee).first()
    if paper is not None:
        services.evidence_add(
            actor=nominator,
            nomination=nomination,
            description="First-author paper of the joint project",
            reference_kind="publication",
            reference_id=paper.pk,
        )
    milestone = (
        milestone_list_visible_to(nominator)
        .filter(status=MilestoneStatus.PASSED, plan__cultivation__trainee=trainee)
        .first()
    )
    if milestone is not None:
        services.evidence_add(
            actor=nominator,
            nomination=nomination,
            description="Research proposal passed on the first attempt",
            reference_kind="milestone",
            reference_id=milestone.pk,
        )


def _round(
    coordinator: User, home: Institution, members: list[User], today: datetime.date, **text: str
) -> RewardRound:
    return services.round_create(
        actor=coordinator,
        institution=home,
        nominee_kind="trainee",
        nominations_open=today - datetime.timedelta(days=14),
        nominations_close=today,
        objection_days=5,
        members=members,
        **text,  # type: ignore[arg-type]
    )


def load_demo() -> None:
    if RewardRound.objects.exists():
        return
    cultivations = list(
        JointCultivation.objects.filter(status=CultivationStatus.ACTIVE)
        .select_related("home", "host", "trainee")
        .order_by("id")[:6]
    )
    if not cultivations:
        return
    first = cultivations[0]
    home = first.home
    coordinator = _coordinator(home)
    objector = _coordinator(first.host)
    nominator = _first_tutor(first)
    if coordinator is None or objector is None or nominator is None:
        return
    others = [
        c for c in cultivations[1:] if c.home_id == home.pk and c.trainee_id != first.trainee_id
    ]
    second = others[0] if others else None
    today = timezone.localdate()
    judges = _judges(home, coordinator)
    members = [coordinator, *judges]

    # 1. In its objection period, with an objection answered.
    honour = _round(
        coordinator,
        home,
        members,
        today,
        kind="honour_title",
        title="Outstanding joint trainee 2026",
        title_zh="2026 年度优秀联合培养研究生",
        criteria="Excellent research in the joint project, good conduct at both sites, and the "
        "support of both tutors.",
        criteria_zh="联合培养课题科研成绩突出，在两个培养单位表现良好，并获得两位导师支持。",
    )
    awarded = services.nomination_create(
        actor=nominator,
        round_=honour,
        nominees=[first.trainee],
        statement="Led the hypoxia sub-project at the host laboratory; first author of a paper "
        "accepted this year; passed the research proposal on the first attempt.",
    )
    _evidence(nominator, awarded, first.trainee)
    for judge in judges:
        services.nomination_vote(
            actor=judge, nomination=awarded, choice="for", comment="Meets every criterion."
        )
    services.nomination_vote(
        actor=coordinator, nomination=awarded, choice="abstain", comment="Home coordinator."
    )
    if second is not None:
        declined = services.nomination_create(
            actor=coordinator,
            round_=honour,
            nominees=[second.trainee],
            statement="Reliable and diligent in the joint laboratory; one conference poster.",
        )
        services.nomination_vote(actor=judges[0], nomination=declined, choice="for")
        for judge in judges[1:]:
            services.nomination_vote(
                actor=judge,
                nomination=declined,
                choice="against",
                comment="Promising, but the criteria ask for a published result.",
            )
    _close_window(honour, today)
    services_announce.round_announce(actor=coordinator, round_=honour)
    objection = services_announce.objection_lodge(
        actor=objector,
        nomination=awarded,
        grounds="The accepted paper lists a host postdoc as co-first author: is the trainee's "
        "share enough for the title?",
    )
    services_announce.objection_answer(
        actor=judges[0],
        objection=objection,
        answer="The corresponding author confirms in writing that the trainee designed and ran "
        "the experiments; co-first authorship meets the criteria. The objection is rejected.",
        upheld=False,
    )

    # 2. Final, on the joint record.
    laureate = second or first
    scholarship = _round(
        coordinator,
        home,
        members,
        today,
        kind="scholarship",
        title="Joint training scholarship, spring 2026",
        title_zh="2026 年春季联合培养奖学金",
        criteria="Progress on plan, both debriefings a month attended, no open warning.",
        criteria_zh="按计划推进，每月两次进展汇报均出席，无未处理的预警。",
    )
    granted = services.nomination_create(
        actor=_first_tutor(laureate) or coordinator,
        round_=scholarship,
        nominees=[laureate.trainee],
        statement="Every milestone on time and every debriefing attended since the start.",
    )
    for judge in judges:
        services.nomination_vote(actor=judge, nomination=granted, choice="for")
    _close_window(scholarship, today)
    services_announce.round_announce(actor=coordinator, round_=scholarship)
    announced = today - datetime.timedelta(days=21)
    RewardRound.objects.filter(pk=scholarship.pk).update(
        nominations_open=announced - datetime.timedelta(days=15),
        nominations_close=announced - datetime.timedelta(days=1),
        announced_on=announced,
        objection_until=add_working_days(home.pk, announced, scholarship.objection_days),
    )
    services_announce.awards_finalise_due()
