"""The API for running rounds and a target's own results: the dry run saves nothing, bad input
answers 400 naming the field (422 for a body that does not fit), and nothing of an anonymous
template below the threshold — nor before the release for the target — comes out."""

import pytest
import time_machine

from tandem.evaluations import services_respond
from tandem.evaluations.models import EvaluationAnswer, EvaluationPair, EvaluationRound
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    narrative_item,
    open_round,
    population,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluations"


@pytest.fixture(autouse=True)
def _today(settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=3)
    template = make_template(cast)
    return open_round(cast, [template]), template


def _pairs(round_, target):
    return list(EvaluationPair.objects.filter(round=round_, target_user=target).order_by("id"))


def _submit(template, pairs, comments=()):
    for index, pair in enumerate(pairs):
        answers = full_answers(template)
        if index < len(comments):
            answers[str(narrative_item(template).pk)] = comments[index]
        services_respond.response_submit(actor=pair.evaluator, pair=pair, answers=answers)


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _body(cast, template, **overrides):
    body = {
        "title": "Spring",
        "title_zh": "春季",
        "institution_id": cast.inst_a.pk,
        "population": "agreement",
        "agreement_id": cast.agreement_ab.pk,
        "opens_on": "2026-06-01",
        "due_on": "2026-06-30",
        "templates": {template.relationship: template.pk},
    }
    body.update(overrides)
    return body


def test_open_with_a_dry_run_then_for_real(cast, client_for):
    population(cast, extra_trainees=1)
    template = make_template(cast)
    client = client_for("coord_a")
    dry = _post(client, f"{API}/rounds", {**_body(cast, template), "dry_run": True})
    assert dry.status_code == 200
    assert dry.json() == {
        "dry_run": True,
        "pairs": {"trainee_tutor": 4},
        "total": 4,
        "round": None,
    }
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()
    real = _post(client, f"{API}/rounds", _body(cast, template))
    assert real.status_code == 201
    data = real.json()
    assert data["total"] == 4 and data["round"]["templates"] == {"trainee_tutor": template.pk}
    assert client.get(f"{API}/rounds/{data['round']['id']}").json()["title_zh"] == "春季"
    assert [r["id"] for r in client.get(f"{API}/rounds").json()["items"]] == [data["round"]["id"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": "2026-05-01"}, "due_on"),
        ({"agreement_id": None}, "agreement"),
        ({"agreement_id": 999999}, "agreement_id"),
        ({"population": "nobody"}, "population"),
        ({"population": "cohort"}, "cohort"),
        ({"templates": {}}, "templates"),
        ({"templates": {"tutor_trainee": "__template__"}}, "template_tutor_trainee"),
        ({"templates": {"trainee_tutor": 999999}}, "template_trainee_tutor"),
        ({"institution_id": "__inst_b__"}, "institution_id"),
        ({"title": "  "}, "title"),
    ],
)
def test_open_bad_input_names_the_field_and_saves_nothing(cast, client_for, overrides, field):
    population(cast)
    template = make_template(cast)
    if overrides.get("institution_id") == "__inst_b__":
        overrides = {"institution_id": cast.inst_b.pk}
    if overrides.get("templates") == {"tutor_trainee": "__template__"}:
        overrides = {"templates": {"tutor_trainee": template.pk}}  # a trainee_tutor template
    for dry_run in (True, False):
        response = _post(
            client_for("coord_a"),
            f"{API}/rounds",
            {**_body(cast, template, **overrides), "dry_run": dry_run},
        )
        assert response.status_code == 400, response.content
        assert field in response.json()["errors"], response.json()
        assert response.json()["detail"]
    assert not EvaluationRound.objects.exists()


def test_a_body_that_does_not_fit_is_422_naming_the_field(cast, client_for):
    response = _post(client_for("coord_a"), f"{API}/rounds", {"title": "x"})
    assert response.status_code == 422
    assert "opens_on" in str(response.json()["errors"])


def test_completion_and_pairs(cast, client_for, world):
    round_, template = world
    _submit(template, _pairs(round_, cast.tutor_a)[:2])
    client = client_for("coord_a")
    by_inst = client.get(f"{API}/rounds/{round_.pk}/completion/institutions").json()
    assert sum(row["submitted"] for row in by_inst) == 2
    assert sum(row["total"] for row in by_inst) == 8
    by_evaluator = client.get(f"{API}/rounds/{round_.pk}/completion/evaluators").json()
    assert by_evaluator["count"] == 4
    assert {row["total"] for row in by_evaluator["items"]} == {2}
    pending = client.get(f"{API}/rounds/{round_.pk}/pairs?status=pending").json()
    assert pending["count"] == 6
    assert client.get(f"{API}/rounds/{round_.pk}/targets").json()["count"] == 2
    assert client_for("coord_b").get(f"{API}/rounds/{round_.pk}/pairs").status_code == 404


def test_extend_reassign_withdraw(cast, client_for, world):
    round_, _template = world
    first, second, third = _pairs(round_, cast.tutor_a)[:3]
    client = client_for("coord_a")
    earlier = _post(
        client, f"{API}/pairs/{first.pk}/extend", {"due_on": "2026-01-02", "reason": "x"}
    )
    assert earlier.status_code == 400 and "due_on" in earlier.json()["errors"]
    no_reason = _post(
        client, f"{API}/pairs/{first.pk}/extend", {"due_on": "2027-01-31", "reason": ""}
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    extended = _post(
        client, f"{API}/pairs/{first.pk}/extend", {"due_on": "2027-01-31", "reason": "Ill"}
    )
    assert extended.status_code == 200 and extended.json()["due_on"] == "2027-01-31"
    choices = client.get(f"{API}/pairs/{second.pk}/reassign-choices").json()["items"]
    assert cast.outsider.pk not in {row["id"] for row in choices}
    outsider = _post(
        client,
        f"{API}/pairs/{second.pk}/reassign",
        {"evaluator_id": cast.outsider.pk, "reason": "x"},
    )
    assert outsider.status_code == 400 and "evaluator_id" in outsider.json()["errors"]
    moved = _post(
        client,
        f"{API}/pairs/{second.pk}/reassign",
        {"evaluator_id": cast.coord_b.pk, "reason": "Left"},
    )
    assert moved.status_code == 200 and moved.json()["evaluator_id"] == cast.coord_b.pk
    assert moved.json()["id"] != second.pk
    withdrawn = _post(client, f"{API}/pairs/{third.pk}/withdraw", {"reason": "Left"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = _post(client, f"{API}/pairs/{third.pk}/withdraw", {"reason": "Left"})
    assert again.status_code == 400 and "status" in again.json()["errors"]


def test_below_the_threshold_nothing_comes_out(cast, client_for, world):
    round_, template = world
    _submit(template, _pairs(round_, cast.tutor_a)[:2], comments=["Secret", "Hush"])
    answer = EvaluationAnswer.objects.get(text="Secret")
    services_respond.comment_hide(actor=cast.coord_a, round_=round_, answer=answer, reason="x")
    path = f"rounds/{round_.pk}/results/{template.pk}/person/{cast.tutor_a.pk}"
    body = client_for("admin").get(f"{API}/{path}").json()
    assert body["shown"] is False and body["responses"] is None
    assert body["sections"] == [] and body["comments"] == [] and body["hidden_comments"] == []
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    tutor = client_for("tutor_a")
    mine = tutor.get(f"{API}/mine/{round_.pk}/{template.pk}/person/{cast.tutor_a.pk}")
    assert mine.status_code == 200
    assert mine.json()["shown"] is False and mine.json()["responses"] is None
    assert "Secret" not in mine.content.decode() and "Hush" not in mine.content.decode()
    assert tutor.get(f"{API}/mine/trend").json()[0]["rounds"] == []


def test_hide_a_comment_then_the_target_never_sees_it(cast, client_for, world):
    round_, template = world
    _submit(template, _pairs(round_, cast.tutor_a)[:3], comments=["Rude", "Kind"])
    client = client_for("coord_a")
    path = f"{API}/rounds/{round_.pk}/results/{template.pk}/person/{cast.tutor_a.pk}"
    comments = client.get(path).json()["comments"]
    rude = next(c for c in comments if c["text"] == "Rude")
    hide = f"{API}/rounds/{round_.pk}/comments/{rude['id']}/hide"
    assert _post(client, hide, {"reason": " "}).status_code == 400
    hidden = _post(client, hide, {"reason": "Abusive"})
    assert hidden.status_code == 200 and hidden.json()["reason"] == "Abusive"
    assert _post(client, hide, {"reason": "Again"}).status_code == 400
    body = client.get(path).json()
    assert [c["text"] for c in body["comments"]] == ["Kind"]
    assert body["hidden_comments"] == [
        {
            "id": rude["id"],
            "text": "Rude",
            "reason": "Abusive",
            "hidden_by": hidden.json()["hidden_by"],
        }
    ]
    assert body["hidden_comments"][0]["hidden_by"]
    # another round's coordinator, or a made-up id: 404
    assert _post(client_for("coord_b"), hide, {"reason": "x"}).status_code == 404
    assert (
        _post(client, f"{API}/rounds/{round_.pk}/comments/nope/hide", {"reason": "x"}).status_code
        == 404
    )
    tutor = client_for("tutor_a")
    mine_path = f"{API}/mine/{round_.pk}/{template.pk}/person/{cast.tutor_a.pk}"
    assert tutor.get(mine_path).status_code == 404  # not released yet
    assert tutor.get(f"{API}/mine").json()["count"] == 0
    assert _post(client, f"{API}/rounds/{round_.pk}/release", {}).status_code == 200
    mine = tutor.get(mine_path)
    assert mine.status_code == 200
    assert [c["text"] for c in mine.json()["comments"]] == ["Kind"]
    assert mine.json()["comments"][0]["id"] is None  # no ids for the target
    assert "Rude" not in mine.content.decode() and "hidden_by" not in str(mine.json()["comments"])
    assert mine.json()["hidden_comments"] == []
    listing = tutor.get(f"{API}/mine").json()
    assert listing["count"] == 1 and listing["items"][0]["kind"] == "person"
    trend = tutor.get(f"{API}/mine/trend").json()
    assert trend[0]["kind"] == "person" and trend[0]["rounds"][0]["mean"] == 3.5
    # someone else's result: 404
    other = f"{API}/mine/{round_.pk}/{template.pk}/person/{cast.tutor_b.pk}"
    assert tutor.get(other).status_code == 404
    assert client_for("tutor_b").get(mine_path).status_code == 404


def test_one_response_below_the_threshold_changes_nothing_the_target_reads(cast, client_for, world):
    round_, template = world
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    tutor = client_for("tutor_a")
    paths = [
        f"{API}/mine",
        f"{API}/mine/trend",
        f"{API}/mine/{round_.pk}/{template.pk}/person/{cast.tutor_a.pk}",
    ]
    before = [tutor.get(path).json() for path in paths]
    assert before[0]["count"] == 1  # listed from the pairs: not "someone answered"
    _submit(template, _pairs(round_, cast.tutor_a)[:1], comments=["Only me"])
    assert [tutor.get(path).json() for path in paths] == before


def test_an_institution_reads_its_results_through_its_coordinator(cast, client_for):
    population(cast, extra_trainees=2)
    template = make_template(cast, "trainee_host")
    round_ = open_round(cast, [template])
    pairs = list(EvaluationPair.objects.filter(round=round_, target_institution=cast.inst_b))
    _submit(template, pairs, comments=["Good lab"])
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    host = client_for("coord_b")
    listing = host.get(f"{API}/mine").json()
    assert [(row["kind"], row["target_id"]) for row in listing["items"]] == [
        ("institution", cast.inst_b.pk)
    ]
    path = f"{API}/mine/{round_.pk}/{template.pk}/institution/{cast.inst_b.pk}"
    result = host.get(path).json()
    assert result["shown"] and result["responses"] == 3
    assert [c["text"] for c in result["comments"]] == ["Good lab"]
    trend = {row["kind"]: row for row in host.get(f"{API}/mine/trend").json()}
    assert trend["institution"]["target_id"] == cast.inst_b.pk
    assert trend["institution"]["rounds"][0]["responses"] == 3
    # a coordinator of another institution, or a tutor of B: 404
    assert client_for("coord_a").get(path).status_code == 404
    assert client_for("tutor_b").get(path).status_code == 404
