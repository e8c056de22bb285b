"""Changing a round while nothing is decided (decision 110): removing a committee member,
editing the round, cancelling it — each by the round's managers, with a reason where one is
due, audited, and refused with a message naming what is wrong, nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.alerts.models import Notification
from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.rewards import services_committee
from tandem.rewards.models import NominationStatus, RewardRound, RoundMember
from tandem.rewards.selectors import member_ids
from tandem.rewards.tests.factories import judges, make_round, nomination_in, round_in

pytestmark = pytest.mark.django_db


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


# --- removing a member ---------------------------------------------------------------------


def test_a_manager_removes_a_member_with_a_reason_and_it_is_audited(cast):
    round_ = round_in(cast, "round")
    judge = judges(cast)[1]
    services_committee.round_member_remove(
        actor=cast.coord_a, round_=round_, user=judge, reason="Moves to another hospital."
    )
    assert judge.pk not in member_ids(round_)
    event = audit_history(round_)[0]
    assert event.action == "reward_round.member_remove"
    assert event.changes["reason"] == [None, "Moves to another hospital."]
    assert Notification.objects.filter(user=judge).exists()


def test_a_member_who_voted_on_an_open_nomination_stays(cast):
    nomination = nomination_in(cast, "voted")  # coord_a and judge_a1 voted
    with pytest.raises(ValidationError) as caught:
        services_committee.round_member_remove(
            actor=cast.coord_a, round_=nomination.round, user=judges(cast)[0], reason="Busy."
        )
    assert _fields(caught.value) == {"user"}
    assert "has voted on 1 nomination under review" in error_messages(caught.value)[0]
    assert judges(cast)[0].pk in member_ids(nomination.round)


def test_removal_needs_a_reason_a_member_and_an_undecided_round(cast):
    round_ = round_in(cast, "round")
    with pytest.raises(ValidationError) as caught:
        services_committee.round_member_remove(
            actor=cast.coord_a, round_=round_, user=judges(cast)[1], reason="  "
        )
    assert _fields(caught.value) == {"reason"}
    with pytest.raises(ValidationError) as caught:
        services_committee.round_member_remove(
            actor=cast.coord_a, round_=round_, user=cast.tutor_b, reason="Why not."
        )
    assert _fields(caught.value) == {"user"}
    announced = nomination_in(cast, "announced").round
    with pytest.raises(ValidationError, match="announced"):
        services_committee.round_member_remove(
            actor=cast.coord_a, round_=announced, user=judges(cast)[1], reason="Late."
        )
    assert RoundMember.objects.filter(round=round_).count() == 4
    assert RoundMember.objects.filter(round=announced).count() == 4


def test_only_managers_remove_members(cast):
    round_ = round_in(cast, "round")
    for actor in (cast.tutor_a, cast.coord_b):
        with pytest.raises(PermissionDenied):
            services_committee.round_member_remove(
                actor=actor, round_=round_, user=judges(cast)[1], reason="No."
            )
    assert judges(cast)[1].pk in member_ids(round_)


# --- editing the round ---------------------------------------------------------------------


def test_a_manager_changes_the_window_criteria_and_period(cast):
    round_ = round_in(cast, "round")
    close = round_.nominations_close + datetime.timedelta(days=7)
    services_committee.round_update(
        actor=cast.coord_a,
        round_=round_,
        criteria="Research, conduct and teaching.",
        nominations_close=close,
        objection_days=7,
    )
    round_.refresh_from_db()
    assert (round_.nominations_close, round_.objection_days) == (close, 7)
    assert round_.criteria == "Research, conduct and teaching."
    event = audit_history(round_)[0]
    assert event.action == "reward_round.update"
    assert event.changes["objection_days"] == [5, 7]


def test_bad_changes_are_named_and_nothing_is_saved(cast):
    round_ = round_in(cast, "round")
    before = RewardRound.objects.values().get(pk=round_.pk)
    today = timezone.localdate()
    cases = [
        ({"objection_days": 0}, "objection_days"),
        ({"objection_days": 31}, "objection_days"),
        ({"criteria_zh": "   "}, "criteria_zh"),
        (
            {"nominations_close": round_.nominations_open - datetime.timedelta(days=1)},
            "nominations_close",
        ),
        (
            {
                "nominations_close": today - datetime.timedelta(days=1),
                "nominations_open": today - datetime.timedelta(days=5),
            },
            "nominations_close",
        ),
        ({"kind": "scholarship"}, "kind"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            services_committee.round_update(actor=cast.coord_a, round_=round_, **values)
        assert field in _fields(caught.value), values
    assert RewardRound.objects.values().get(pk=round_.pk) == before


def test_the_window_does_not_open_after_the_first_nomination(cast):
    nomination = nomination_in(cast, "open")
    later = timezone.localdate(nomination.nominated_at) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services_committee.round_update(
            actor=cast.coord_a, round_=nomination.round, nominations_open=later
        )
    assert _fields(caught.value) == {"nominations_open"}


def test_criteria_do_not_change_once_the_committee_has_voted(cast):
    nomination = nomination_in(cast, "voted")
    with pytest.raises(ValidationError) as caught:
        services_committee.round_update(
            actor=cast.coord_a, round_=nomination.round, criteria="Something else."
        )
    assert _fields(caught.value) == {"criteria"}
    services_committee.round_update(  # the title still may
        actor=cast.coord_a, round_=nomination.round, title="Outstanding joint trainee 2026"
    )


def test_a_decided_round_does_not_change(cast):
    announced = nomination_in(cast, "announced").round
    with pytest.raises(ValidationError, match="announced"):
        services_committee.round_update(actor=cast.coord_a, round_=announced, objection_days=9)
    announced.refresh_from_db()
    assert announced.objection_days == 5


# --- cancelling ----------------------------------------------------------------------------


def test_cancelling_closes_the_nominations_and_tells_everyone(cast):
    nomination = nomination_in(cast, "open")
    round_ = nomination.round
    Notification.objects.all().delete()
    services_committee.round_cancel(
        actor=cast.coord_a, round_=round_, reason="The fund was not granted this year."
    )
    round_.refresh_from_db()
    nomination.refresh_from_db()
    assert round_.cancelled_at is not None and round_.cancel_reason
    assert nomination.status == NominationStatus.CANCELLED
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert {cast.trainee.pk, cast.tutor_b.pk, judges(cast)[0].pk} <= told
    assert audit_history(round_)[0].action == "reward_round.cancel"
    assert audit_history(nomination)[0].action == "reward_nomination.close"
    assert not round_.accepts_nominations_on(timezone.localdate())
    for change in (
        lambda: services_committee.round_update(actor=cast.coord_a, round_=round_, title="X"),
        lambda: services_committee.round_cancel(actor=cast.coord_a, round_=round_, reason="Y"),
    ):
        with pytest.raises(ValidationError, match="cancelled"):
            change()


def test_cancelling_needs_a_reason_and_an_undecided_round(cast):
    round_ = make_round(cast)
    with pytest.raises(ValidationError) as caught:
        services_committee.round_cancel(actor=cast.coord_a, round_=round_, reason="")
    assert _fields(caught.value) == {"reason"}
    round_.refresh_from_db()
    assert round_.cancelled_at is None
    announced = nomination_in(cast, "announced").round
    with pytest.raises(ValidationError, match="announced"):
        services_committee.round_cancel(actor=cast.coord_a, round_=announced, reason="Too late.")
    with pytest.raises(PermissionDenied):
        services_committee.round_cancel(actor=cast.coord_b, round_=round_, reason="Not mine.")


# --- pages and API -------------------------------------------------------------------------


def test_pages_remove_edit_and_cancel(cast, client_for):
    round_ = round_in(cast, "round")
    client = client_for("coord_a")
    detail = client.get(reverse("rewards:round_detail", kwargs={"pk": round_.pk}))
    assert 'id="edit-link"' in detail.content.decode()
    edit = client.get(reverse("rewards:round_edit", kwargs={"pk": round_.pk}))
    assert edit.status_code == 200
    data = {
        "title": round_.title,
        "title_zh": round_.title_zh,
        "criteria": round_.criteria,
        "criteria_zh": round_.criteria_zh,
        "nominations_open": round_.nominations_open.isoformat(),
        "nominations_close": round_.nominations_close.isoformat(),
        "objection_days": "0",
    }
    bad = client.post(reverse("rewards:round_edit", kwargs={"pk": round_.pk}), data)
    assert bad.status_code == 400
    assert "objection_days" in bad.context["form"].errors
    good = client.post(
        reverse("rewards:round_edit", kwargs={"pk": round_.pk}), {**data, "objection_days": "8"}
    )
    assert good.status_code == 302
    round_.refresh_from_db()
    assert round_.objection_days == 8
    no_reason = client.post(
        reverse("rewards:round_member_remove", kwargs={"pk": round_.pk}),
        {"user": judges(cast)[1].pk, "reason": ""},
        follow=True,
    )
    assert "Write the reason" in no_reason.content.decode()
    assert judges(cast)[1].pk in member_ids(round_)
    client.post(
        reverse("rewards:round_member_remove", kwargs={"pk": round_.pk}),
        {"user": judges(cast)[1].pk, "reason": "Leaves."},
    )
    assert judges(cast)[1].pk not in member_ids(round_)
    cancelled = client.post(
        reverse("rewards:round_cancel", kwargs={"pk": round_.pk}),
        {"reason": "No budget."},
        follow=True,
    )
    text = cancelled.content.decode()
    assert "No budget." in text and 'id="edit-link"' not in text
    assert "cancelled the reward round" in text  # the history wording


def test_wrong_role_gets_403_and_outsider_404(cast, client_for):
    round_ = round_in(cast, "round")
    url = reverse("rewards:round_cancel", kwargs={"pk": round_.pk})
    assert client_for("tutor_a").post(url, {"reason": "x"}).status_code == 403
    assert client_for("outsider").post(url, {"reason": "x"}).status_code == 404
    api = f"/api/v1/rewards/rounds/{round_.pk}"
    patch = {"data": {"objection_days": 3}, "content_type": "application/json"}
    assert client_for("tutor_a").patch(api, **patch).status_code == 403
    assert client_for("outsider").patch(api, **patch).status_code == 404
    round_.refresh_from_db()
    assert round_.cancelled_at is None and round_.objection_days == 5


def test_api_edit_remove_and_cancel(cast, client_for):
    round_ = round_in(cast, "round")
    client = client_for("coord_a")
    base = f"/api/v1/rewards/rounds/{round_.pk}"
    bad = client.patch(base, data={"objection_days": 40}, content_type="application/json")
    assert bad.status_code == 400 and "objection_days" in bad.json()["errors"]
    ok = client.patch(base, data={"objection_days": 6}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["objection_days"] == 6
    judge = judges(cast)[1]
    removed = client.post(
        f"{base}/members/{judge.pk}/remove",
        data={"reason": "Leaves."},
        content_type="application/json",
    )
    assert removed.status_code == 200 and judge.pk not in removed.json()["member_ids"]
    no_reason = client.post(f"{base}/cancel", data={}, content_type="application/json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    cancelled = client.post(
        f"{base}/cancel", data={"reason": "No budget."}, content_type="application/json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "No budget."
