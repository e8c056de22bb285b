"""The dashboard panel: an evaluator's evaluations to do, a coordinator's open rounds with their
completion, in a constant number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.evaluations import services_respond
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.selectors import evaluations_dashboard
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=2)
    template = make_template(cast)
    return open_round(cast, [template], due_on=datetime.date(2026, 6, 30)), template


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_evaluator_sees_the_count_to_do(cast, world):
    panel = evaluations_dashboard(cast.trainee)
    assert panel["to_do"] == 2  # tutor_a and tutor_b
    assert panel["overdue"] == 0
    assert panel["rounds"] == []


@time_machine.travel("2026-07-02 10:00 +0800", tick=False)
def test_overdue_evaluations_are_counted(cast, world):
    assert evaluations_dashboard(cast.trainee)["overdue"] == 2


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_coordinator_sees_open_rounds_with_completion(cast, world):
    round_, template = world
    pair = EvaluationPair.objects.filter(round=round_, evaluator=cast.trainee).first()
    services_respond.response_submit(actor=cast.trainee, pair=pair, answers=full_answers(template))
    (row,) = evaluations_dashboard(cast.coord_a)["rounds"]
    total = EvaluationPair.objects.filter(round=round_).count()
    assert (row["round"], row["submitted"], row["total"]) == (round_, 1, total)
    assert evaluations_dashboard(cast.coord_b) == {}  # not theirs, nothing to do
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    assert evaluations_dashboard(cast.coord_a) == {}  # released: no longer open


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_the_panel_is_on_the_dashboard_in_a_constant_number_of_queries(cast, client_for, world):
    def queries(user):
        with CaptureQueriesContext(connection) as ctx:
            evaluations_dashboard(user)
        return len(ctx.captured_queries)

    before = queries(cast.coord_a)
    round_, template = world
    open_round(cast, [make_template(cast, "self")])
    open_round(cast, [make_template(cast, "tutor_trainee")])
    assert queries(cast.coord_a) == before
    page = client_for("trainee").get(reverse("dashboard")).content.decode()
    assert "3 evaluations to do" in page  # two tutors and the self-evaluation
    page = client_for("coord_a").get(reverse("dashboard")).content.decode()
    assert round_.title in page
