"""The API takes the same steps as the pages through the same services: a round created, a
nomination, a vote, a recused member's 403 with its reason, bad input as a 400 naming the
field (nothing saved), an objection hidden from the nominee's API."""

import json

import pytest

from tandem.rewards.models import Nomination, RewardRound, Vote
from tandem.rewards.tests.factories import judges, nomination_in

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_round_nomination_and_vote_through_the_api(cast, client_for):
    body = {
        "institution_id": cast.inst_a.pk,
        "kind": "commendation",
        "nominee_kind": "either",
        "title": "Commendation for teaching",
        "title_zh": "教学表彰",
        "criteria": "Teaching joint trainees well.",
        "criteria_zh": "认真指导联合培养学员。",
        "nominations_open": "2026-01-05",
        "nominations_close": "2099-01-30",
        "member_ids": [cast.coord_a.pk, judges(cast)[0].pk, judges(cast)[1].pk],
    }
    created = _post(client_for("coord_a"), "/api/v1/rewards/rounds", body)
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    assert len(created.json()["member_ids"]) == 3
    nominated = _post(
        client_for("tutor_b"),
        f"/api/v1/rewards/rounds/{round_id}/nominations",
        {"nominee_ids": [cast.tutor_a.pk], "statement": "A patient teacher."},
    )
    assert nominated.status_code == 201, nominated.content
    nomination_id = nominated.json()["id"]
    vote = _post(
        client_for("coord_a"),
        f"/api/v1/rewards/nominations/{nomination_id}/vote",
        {"choice": "for", "comment": "Yes."},
    )
    assert vote.status_code == 200 and vote.json()["choice"] == "for"


def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(cast, client_for):
    response = _post(
        client_for("coord_a"),
        "/api/v1/rewards/rounds",
        {"institution_id": cast.inst_a.pk, "kind": "prize", "nominee_kind": "trainee"},
    )
    assert response.status_code == 400
    assert {"kind", "title", "criteria", "nominations_close"} <= set(response.json()["errors"])
    assert RewardRound.objects.count() == 0
    nomination = nomination_in(cast, "open")
    bad_vote = _post(
        client_for("coord_a"), f"/api/v1/rewards/nominations/{nomination.pk}/vote", {"choice": ""}
    )
    assert bad_vote.status_code == 400 and "choice" in bad_vote.json()["errors"]
    assert Vote.objects.count() == 0


def test_a_recused_member_gets_403_with_the_reason(cast, client_for):
    nomination = nomination_in(cast, "open")
    response = _post(
        client_for("tutor_a"),
        f"/api/v1/rewards/nominations/{nomination.pk}/vote",
        {"choice": "for"},
    )
    assert response.status_code == 403
    assert "recused" in response.content.decode()
    assert Vote.objects.count() == 0
    assert Nomination.objects.get().status == "submitted"
