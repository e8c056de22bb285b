import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.evaluations import results, selectors, services_respond
from tandem.evaluations.models import EvaluationAnswer, EvaluationPair
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    narrative_item,
    open_round,
    population,
)

pytestmark = pytest.mark.django_db


def _submit_all(template, pairs, comments=(), ratings=None):
    for index, pair in enumerate(pairs):
        answers = full_answers(template, rating=(ratings or [4])[index % len(ratings or [4])])
        if index < len(comments):
            answers[str(narrative_item(template).pk)] = comments[index]
        services_respond.response_submit(actor=pair.evaluator, pair=pair, answers=answers)


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=4)  # five trainees evaluate tutor_a
    template = make_template(cast)
    round_ = open_round(cast, [template])
    pairs = list(
        EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a).order_by("id")
    )
    return round_, template, pairs


def test_below_the_threshold_nothing_is_shown_not_even_the_count(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template, pairs = world
    before = results.target_result(round_, template, cast.tutor_a)
    _submit_all(template, pairs[:2], comments=["Kind", "Strict"])
    after = results.target_result(round_, template, cast.tutor_a)
    assert not after.shown and after.responses is None and not after.sections and not after.comments
    assert before == after  # a single new response below the threshold changes nothing


def test_from_the_threshold_means_distribution_and_section_means(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template, pairs = world
    _submit_all(template, pairs[:3], ratings=[5, 4, 3])
    result = results.target_result(round_, template, cast.tutor_a)
    assert result.shown and result.responses == 3
    supervision = result.sections[0]
    rating = next(i for i in supervision.items if i.item.kind == "rating")
    assert rating.mean == 4.0
    assert dict(rating.distribution) == {
        "Poor": 0,
        "Fair": 0,
        "Good": 1,
        "Very good": 1,
        "Excellent": 1,
    }
    # rating 5,4,3 and entrustment 3,3,3: the section mean leaves yes/no out
    assert supervision.mean == 3.5


def test_threshold_is_a_setting(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 5
    round_, template, pairs = world
    _submit_all(template, pairs[:4])
    assert not results.target_result(round_, template, cast.tutor_a).shown


def test_comments_are_unattributed_and_not_in_submission_order(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template, pairs = world
    texts = ["first", "second", "third", "fourth", "fifth"]
    _submit_all(template, pairs, comments=texts)
    result = results.target_result(round_, template, cast.tutor_a)
    shown = [c["text"] for c in result.comments]
    assert sorted(shown) == sorted(texts)
    assert all(set(c) == {"item_id", "text"} for c in result.comments)
    # The order is that of random ids: the same on every read, unrelated to submission.
    ids = list(
        EvaluationAnswer.objects.filter(text__in=texts)
        .order_by("id")
        .values_list("text", flat=True)
    )
    assert shown == ids


def test_hidden_comment_leaves_the_results(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template, pairs = world
    _submit_all(template, pairs[:3], comments=["fine", "abusive words", "ok"])
    result = results.target_result(round_, template, cast.tutor_a, reviewer=True)
    abusive = next(c for c in result.comments if c["text"] == "abusive words")
    answer = EvaluationAnswer.objects.get(pk=abusive["id"])
    services_respond.comment_hide(actor=cast.coord_a, round_=round_, answer=answer, reason="Insult")
    texts = [c["text"] for c in results.target_result(round_, template, cast.tutor_a).comments]
    assert texts and "abusive words" not in texts


def test_trend_over_released_rounds(cast, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template, pairs = world
    _submit_all(template, pairs[:3], ratings=[5, 5, 5])
    assert results.trend_for_target(cast.tutor_a) == []  # not released yet
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    trend = results.trend_for_target(cast.tutor_a)
    assert len(trend) == 1 and trend[0]["responses"] == 3 and trend[0]["mean"] == 4.0


def _measure(round_, template, target):
    with CaptureQueriesContext(connection) as ctx:
        results.target_result(round_, template, target)
        selectors.round_completion_by_institution(round_)
        list(selectors.round_completion_by_evaluator(round_)[:50])
    return len(ctx)


def test_result_and_completion_queries_do_not_grow_with_answers(cast, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 1
    population(cast, extra_trainees=8)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    pairs = list(EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a))
    _submit_all(template, pairs[:2], comments=["a", "b"])
    small = _measure(round_, template, cast.tutor_a)
    _submit_all(template, pairs[2:], comments=["c"] * 7)
    large = _measure(round_, template, cast.tutor_a)
    assert small == large
