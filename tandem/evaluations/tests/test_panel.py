"""Assigned evaluators (decision 094): the running institution's evaluators — all of them, or
those the coordinator picks — evaluate each trainee of the population, never a trainee they
tutor; anyone else is refused by name, nothing half-saved; the pairs are theirs alone."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.core.models import AuditEvent
from tandem.evaluations import selectors, services_respond
from tandem.evaluations.models import EvaluationPair, EvaluationRound, PairStatus
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    open_round,
    population,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluations"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


def _evaluator(username, institution):
    user = UserFactory(username=username, full_name=username.title())
    MembershipFactory(user=user, role=Role.EVALUATOR, institution=institution)
    return user


@pytest.fixture
def panel(cast):
    trainees = [c.trainee_id for c in population(cast, extra_trainees=2)]
    feng = _evaluator("feng", cast.inst_a)
    wang = _evaluator("wang", cast.inst_a)
    template = make_template(cast, "evaluator_trainee", anonymous=False)
    return trainees, feng, wang, template


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_evaluator_of_the_running_institution_evaluates_every_trainee(cast, panel):
    trainees, feng, wang, template = panel
    _evaluator("across", cast.inst_b)  # B's evaluator: not A's panel
    round_ = open_round(cast, [template])
    pairs = EvaluationPair.objects.filter(round=round_)
    assert set(pairs.values_list("evaluator", "target_user")) == {
        (person.pk, trainee) for person in (feng, wang) for trainee in trainees
    }
    assert set(pairs.values_list("institution", flat=True)) == {cast.inst_a.pk}
    event = AuditEvent.objects.get(action="evaluations.round_open")
    assert event.changes["evaluators"] == 2 and event.changes["pairs"] == 6


def test_the_coordinator_picks_the_panel(cast, panel):
    trainees, feng, _wang, template = panel
    round_ = open_round(cast, [template], evaluators=[feng])
    assert set(round_.pairs.values_list("evaluator", flat=True)) == {feng.pk}
    assert round_.pairs.count() == len(trainees)


def test_a_panel_member_does_not_evaluate_a_trainee_they_tutor(cast, panel):
    trainees, feng, _wang, template = panel
    # tutor_a tutors every trainee of the population
    MembershipFactory(user=cast.tutor_a, role=Role.EVALUATOR, institution=cast.inst_a)
    round_ = open_round(cast, [template], evaluators=[cast.tutor_a, feng])
    assert not round_.pairs.filter(evaluator=cast.tutor_a).exists()
    assert set(round_.pairs.values_list("target_user", flat=True)) == set(trainees)


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("someone of another institution", "evaluators"),
        ("a tutor without the evaluator role", "evaluators"),
        ("evaluators without the template", "evaluators"),
        ("an institution without evaluators", "template_evaluator_trainee"),
    ],
)
def test_a_wrong_panel_is_refused_by_name_and_nothing_is_saved(cast, panel, case, field):
    _trainees, feng, wang, template = panel
    other = make_template(cast, "trainee_tutor")
    templates, evaluators = [template], [feng]
    if case == "someone of another institution":
        evaluators = [feng, _evaluator("across", cast.inst_b)]
    elif case == "a tutor without the evaluator role":
        evaluators = [cast.tutor_a]
    elif case == "evaluators without the template":
        templates = [other]
    else:
        feng.memberships.update(is_active=False)
        wang.memberships.update(is_active=False)
        evaluators = []
    with pytest.raises(ValidationError) as caught:
        open_round(cast, templates, evaluators=evaluators)
    assert field in caught.value.message_dict
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()


def test_only_the_evaluator_sees_and_answers_their_evaluation(cast, client_for, panel):
    _trainees, feng, wang, template = panel
    round_ = open_round(cast, [template])
    pair = round_.pairs.get(evaluator=feng, target_user=cast.trainee)
    assert list(selectors.pairs_to_do(feng).filter(target_user=cast.trainee)) == [pair]
    url = reverse("evaluations:respond", args=[pair.pk])
    assert _client(feng).get(url).status_code == 200
    for other in (_client(wang), client_for("trainee"), client_for("tutor_a")):
        assert other.get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    services_respond.response_submit(actor=feng, pair=pair, answers=full_answers(template))
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED
    assert not selectors.pairs_to_do(feng).filter(pk=pair.pk).exists()


def test_the_page_offers_the_coordinators_evaluators_and_opens_with_the_pick(
    cast, client_for, panel
):
    _trainees, feng, wang, template = panel
    stranger = _evaluator("stranger", cast.inst_c)
    url = reverse("evaluations:round_open")
    page = client_for("coord_a").get(url).content.decode()
    assert "Feng" in page and "Wang" in page and "Stranger" not in page
    assert "Feng" not in client_for("coord_b").get(url).content.decode()
    data = {
        "title": "Mid-term review",
        "institution": cast.inst_a.pk,
        "population": "agreement",
        "agreement": cast.agreement_ab.pk,
        "opens_on": "2026-06-01",
        "due_on": "2026-06-30",
        "template_evaluator_trainee": template.pk,
        "evaluators": [feng.pk],
    }
    refused = client_for("coord_a").post(url, {**data, "evaluators": [stranger.pk], "confirm": "1"})
    assert refused.status_code == 400 and not EvaluationRound.objects.exists()
    response = client_for("coord_a").post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    round_ = EvaluationRound.objects.get()
    assert set(round_.pairs.values_list("evaluator", flat=True)) == {feng.pk}


def test_the_page_in_chinese_names_the_relationship_and_the_panel(cast, client_for, panel):
    cast.coord_a.preferred_language = "zh-hans"
    cast.coord_a.save(update_fields=["preferred_language"])
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("evaluations:round_open")).content.decode()
    assert "指定评价人评价学员" in page and "评审专家" in page


def test_the_api_takes_the_panel_and_names_a_wrong_one(cast, client_for, panel):
    _trainees, feng, _wang, template = panel
    stranger = _evaluator("stranger", cast.inst_c)
    body = {
        "title": "Mid-term review",
        "institution_id": cast.inst_a.pk,
        "population": "agreement",
        "agreement_id": cast.agreement_ab.pk,
        "opens_on": "2026-06-01",
        "due_on": "2026-06-30",
        "templates": {"evaluator_trainee": template.pk},
    }
    client = client_for("coord_a")

    def post(**extra):
        return client.post(f"{API}/rounds", {**body, **extra}, content_type="application/json")

    refused = post(evaluator_ids=[stranger.pk])
    assert refused.status_code == 400 and "evaluator_ids" in refused.json()["errors"]
    dry = post(evaluator_ids=[feng.pk], dry_run=True)
    assert dry.status_code == 200 and dry.json()["pairs"] == {"evaluator_trainee": 3}
    assert not EvaluationRound.objects.exists()
    made = post(evaluator_ids=[feng.pk])
    assert made.status_code == 201 and made.json()["total"] == 3
