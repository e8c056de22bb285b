"""The evidence and the summary rules: the engine's EPA results reach the committee only when
released and, for an anonymous form, from the threshold on; the committee's level is the lower
median of its members' levels (checked against a plain reference)."""

import datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tandem.evaluations import services_respond
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.results import entrustment_for_target
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population
from tandem.milestones.services import committee_level

WIDE = (datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))


@pytest.mark.django_db
def test_epa_results_only_released_and_from_the_threshold(cast, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    population(cast, extra_trainees=4)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    pairs = list(
        EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a).order_by("id")
    )
    for pair in pairs[:2]:
        services_respond.response_submit(
            actor=pair.evaluator, pair=pair, answers=full_answers(template, rating=4)
        )
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    assert entrustment_for_target(cast.tutor_a, *WIDE) == []  # two answers: below three
    round_.refresh_from_db()
    assert round_.released_at is not None


@pytest.mark.django_db
def test_epa_results_from_three_answers_are_a_mean(cast, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    population(cast, extra_trainees=4)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    pairs = list(
        EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a).order_by("id")
    )
    for pair in pairs[:3]:
        services_respond.response_submit(
            actor=pair.evaluator, pair=pair, answers=full_answers(template, rating=4)
        )
    assert entrustment_for_target(cast.tutor_a, *WIDE) == []  # not released yet
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    rows = entrustment_for_target(cast.tutor_a, *WIDE)
    assert len(rows) == 1 and rows[0]["responses"] == 3
    assert set(rows[0]) == {"prompt", "prompt_zh", "responses", "mean"}  # no single answer


def _reference(levels):
    given_levels = sorted(level for level in levels if level is not None)
    if not given_levels:
        return None
    return given_levels[(len(given_levels) - 1) // 2]


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=5)), max_size=12))
def test_committee_level_is_the_lower_median_of_the_given_levels(levels):
    level = committee_level(levels)
    assert level == _reference(levels)
    if level is not None:
        assert level in levels  # never a level no member gave
