"""A reward from the round to the final award, through the services: who may nominate whom,
evidence by reference only to records the nominator can see, recusal enforced on the vote
(the nominee, anyone who ever tutored them, the nominator), the majority of eligible members,
and bad input refused with a message naming what is wrong, nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.alerts.models import Notification, NotificationKind
from tandem.core.models import AuditEvent
from tandem.publications.tests.factories import record
from tandem.rewards import selectors, services, services_announce
from tandem.rewards.models import Evidence, Nomination, NominationStatus, RewardRound, Vote
from tandem.rewards.tests.factories import (
    announced_on,
    at,
    cultivation_of,
    judges,
    make_round,
    nominate,
    vote_majority,
)

pytestmark = pytest.mark.django_db
TUESDAY = datetime.date(2026, 11, 3)


def _reward_notes(user) -> int:
    return Notification.objects.filter(user=user, kind=NotificationKind.REWARD_STEP).count()


def test_a_round_needs_both_languages_and_a_sane_window(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        make_round(
            cast,
            title_zh="",
            criteria="",
            objection_days=0,
            nominations_open=today,
            nominations_close=today - datetime.timedelta(days=1),
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"title", "criteria", "objection_days", "nominations_close"}
    assert RewardRound.objects.count() == 0


def test_a_tutor_pair_is_for_an_honour_title_only_and_only_coordinators_open_rounds(cast):
    with pytest.raises(ValidationError, match="honour title only"):
        make_round(cast, kind="scholarship", nominee_kind="tutor_pair")
    with pytest.raises(PermissionDenied):
        make_round(cast, actor=cast.tutor_a)
    with pytest.raises(PermissionDenied):
        make_round(cast, actor=cast.coord_b)  # B's coordinator, A's round
    with pytest.raises(ValidationError, match="staff of the deciding institution"):
        make_round(cast, members=[cast.trainee])
    assert RewardRound.objects.count() == 0


def test_nomination_notifies_nominee_and_committee_and_audits(cast):
    round_ = make_round(cast)
    before = _reward_notes(cast.trainee)
    nomination = nominate(cast, round_)
    assert list(nomination.nominees.all()) == [cast.trainee]
    assert _reward_notes(cast.trainee) == before + 1
    assert _reward_notes(judges(cast)[0]) >= 1
    assert AuditEvent.objects.filter(action="reward_nomination.create").count() == 1


def test_who_may_nominate_whom(cast):
    round_ = make_round(cast)
    cultivation_of(cast)
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=cast.trainee, round_=round_, nominees=[cast.trainee], statement="Me."
        )
    with pytest.raises(ValidationError, match="only people you tutor or coordinate"):
        services.nomination_create(
            actor=cast.outsider, round_=round_, nominees=[cast.trainee], statement="Good."
        )
    with pytest.raises(ValidationError, match="only people you tutor or coordinate"):
        # a trainee round: a tutor is not of the kind it rewards
        services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[cast.tutor_a], statement="Good."
        )
    with pytest.raises(ValidationError, match="Nominate one person"):
        services.nomination_create(
            actor=cast.coord_a,
            round_=round_,
            nominees=[cast.trainee, cast.resident],
            statement="Both.",
        )
    with pytest.raises(ValidationError, match="Write the statement"):
        services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[cast.trainee], statement="  "
        )
    nominate(cast, round_)
    with pytest.raises(ValidationError, match="already nominated"):
        nominate(cast, round_, actor=cast.coord_a)
    assert Nomination.objects.count() == 1


def test_a_tutor_pair_is_nominated_together(cast):
    cultivation_of(cast)
    round_ = make_round(
        cast,
        nominee_kind="tutor_pair",
        title="Outstanding tutor pair",
        title_zh="优秀导师组",
        members=judges(cast),
    )
    with pytest.raises(ValidationError, match="two tutors of a pair"):
        services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[cast.tutor_a], statement="Pair."
        )
    nomination = services.nomination_create(
        actor=cast.coord_a,
        round_=round_,
        nominees=[cast.tutor_a, cast.tutor_b],
        statement="They co-supervise three joint trainees with joint papers.",
    )
    assert selectors.nominee_ids(nomination) == {cast.tutor_a.pk, cast.tutor_b.pk}


def test_nominating_outside_the_window_is_refused(cast):
    round_ = make_round(cast, close_in=0)
    with (
        at(timezone.localdate() + datetime.timedelta(days=1)),
        pytest.raises(ValidationError, match="takes nominations from"),
    ):
        nominate(cast, round_)
    assert Nomination.objects.count() == 0


def test_evidence_refers_only_to_records_the_nominator_sees_of_the_nominee(cast):
    nomination = nominate(cast, make_round(cast))
    paper = record(cast, cultivation=cultivation_of(cast))
    added = services.evidence_add(
        actor=cast.tutor_b,
        nomination=nomination,
        description="First-author paper",
        reference_kind="publication",
        reference_id=paper.pk,
    )
    assert added.reference_id == paper.pk
    with pytest.raises(ValidationError, match="No such record of the nominee"):
        services.evidence_add(
            actor=cast.tutor_b,
            nomination=nomination,
            description="A milestone",
            reference_kind="milestone",
            reference_id=987654,
        )
    with pytest.raises(ValidationError, match="Attach a file or refer"):
        services.evidence_add(actor=cast.tutor_b, nomination=nomination, description="Nothing")
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            actor=cast.coord_a,
            nomination=nomination,
            description="Paper",
            reference_kind="publication",
            reference_id=paper.pk,
        )
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("who", ["trainee_tutor", "nominator", "nominee"])
def test_a_recused_member_cannot_vote_and_nothing_is_saved(cast, who):
    cultivation_of(cast)
    round_ = make_round(cast, nominee_kind="either")  # coord_a, tutor_a and two judges
    if who == "nominee":
        # the coordinator nominates a tutor who sits on the committee
        nomination = services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[cast.tutor_a], statement="Teacher."
        )
        voter = cast.tutor_a
    elif who == "nominator":
        nomination = nominate(cast, round_, actor=cast.coord_a)
        voter = cast.coord_a
    else:
        nomination = nominate(cast, round_)  # tutor_b nominates the trainee tutor_a tutors
        voter = cast.tutor_a
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="You are recused from this nomination"):
        services.nomination_vote(actor=voter, nomination=nomination, choice="for")
    assert Vote.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_vote_needs_a_choice_and_a_later_vote_replaces_it(cast):
    nomination = nominate(cast, make_round(cast))
    with pytest.raises(ValidationError, match="Vote for, against, or abstain"):
        services.nomination_vote(actor=cast.coord_a, nomination=nomination, choice="maybe")
    services.nomination_vote(actor=cast.coord_a, nomination=nomination, choice="against")
    services.nomination_vote(actor=cast.coord_a, nomination=nomination, choice="for")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]


def test_majority_of_eligible_members_decides_at_the_announcement(cast):
    today = timezone.localdate()
    with at(today - datetime.timedelta(days=1)):
        round_ = make_round(cast, close_in=0)
        awarded = nominate(cast, round_)
        declined = services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[cast.resident], statement="Diligent."
        )
        vote_majority(cast, awarded)  # 2 of 3 eligible for
        # coord_a nominated the resident: recused; tutor_a and the two judges are eligible
        services.nomination_vote(actor=cast.tutor_a, nomination=declined, choice="for")
        services.nomination_vote(actor=judges(cast)[0], nomination=declined, choice="abstain")
        with pytest.raises(ValidationError, match="Nominations are open until"):
            services_announce.round_announce(actor=cast.coord_a, round_=round_)
    services_announce.round_announce(actor=cast.coord_a, round_=round_)
    awarded.refresh_from_db()
    declined.refresh_from_db()
    assert (awarded.status, awarded.votes_for, awarded.eligible) == ("announced", 2, 3)
    # 1 for of 3 eligible: not more than half
    assert (declined.status, declined.votes_for) == (NominationStatus.DECLINED, 1)


def test_the_announcement_waits_for_a_quorum_on_every_nomination(cast):
    today = timezone.localdate()
    with at(today - datetime.timedelta(days=1)):
        round_ = make_round(cast, close_in=0)
        nomination = nominate(cast, round_)
        services.nomination_vote(actor=cast.coord_a, nomination=nomination, choice="for")
    with pytest.raises(ValidationError, match="More than half of the eligible members"):
        services_announce.round_announce(actor=cast.coord_a, round_=round_)
    round_.refresh_from_db()
    assert round_.announced_on is None


def test_objections_are_answered_only_by_an_unrecused_member(cast):
    nomination = announced_on(cast, TUESDAY)
    with at(TUESDAY):
        with pytest.raises(PermissionDenied):
            services_announce.objection_lodge(
                actor=cast.trainee, nomination=nomination, grounds="I object to myself."
            )
        with pytest.raises(PermissionDenied):
            services_announce.objection_lodge(
                actor=cast.coord_a, nomination=nomination, grounds="A member objects."
            )
        with pytest.raises(ValidationError, match="Write the grounds"):
            services_announce.objection_lodge(
                actor=cast.resident, nomination=nomination, grounds=""
            )
        objection = services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="Not their paper."
        )
        with pytest.raises(PermissionDenied, match="not recused"):
            services_announce.objection_answer(
                actor=cast.tutor_a, objection=objection, answer="He is fine.", upheld=False
            )
        with pytest.raises(ValidationError) as caught:
            services_announce.objection_answer(
                actor=cast.coord_a, objection=objection, answer="", upheld=None
            )
        assert set(caught.value.message_dict) == {"answer", "upheld"}
        before = _reward_notes(cast.resident)
        services_announce.objection_answer(
            actor=cast.coord_a, objection=objection, answer="The co-author confirms.", upheld=False
        )
        assert _reward_notes(cast.resident) == before + 1
        with pytest.raises(ValidationError, match="already answered"):
            services_announce.objection_answer(
                actor=judges(cast)[0], objection=objection, answer="Again.", upheld=True
            )
