"""Issue 10's scale requirements (decision 090): the pairs of a round written in bulk with the
same rows, checks and audit as before; result, completion and export pages, and the API, in a
constant number of queries at two sizes; on PostgreSQL the result query served by an index.

The larger size stores answers with `benchdata.store_answers` (the rows `response_submit`
writes, in bulk); the 2,000,000-answer measurement is `manage.py bench_evaluation_results`
(docs/benchmarks.md)."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.evaluations import benchdata, results, services, services_manage, services_respond
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationResponse,
    EvaluationRound,
    PairStatus,
)
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluations"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3


# --- pairs written in bulk ------------------------------------------------------------------


def test_bulk_written_pairs_are_the_rows_the_model_would_make(cast):
    population(cast, extra_trainees=3)
    templates = [
        make_template(cast, rel, anonymous=rel != "self")
        for rel in ("trainee_tutor", "tutor_trainee", "trainee_host", "self", "peer")
    ]
    round_ = open_round(cast, templates)
    pairs = list(EvaluationPair.objects.filter(round=round_))
    # four trainees × two tutors, both ways; one host each; one self; two peers each
    assert len(pairs) == 8 + 8 + 4 + 4 + 8
    for pair in pairs:
        pair.full_clean()  # every field and constraint as the model checks them
        assert pair.status == PairStatus.PENDING and pair.submitted_at is None
        assert pair.withdrawn_reason == "" and pair.due_on == round_.due_on
        assert pair.template.relationship == pair.relationship
    event = AuditEvent.objects.get(action="evaluations.round_open")
    assert event.changes["pairs"] == len(pairs)
    # a written pair answers as any other: its evaluator submits it
    pair = next(p for p in pairs if p.relationship == "trainee_tutor")
    services_respond.response_submit(
        actor=pair.evaluator, pair=pair, answers=full_answers(pair.template)
    )
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED


def test_a_failure_after_the_pairs_leaves_nothing(cast, monkeypatch):
    population(cast, extra_trainees=2)
    template = make_template(cast)

    def broken(**kwargs):
        raise ValidationError({"title": ["boom"]})

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(ValidationError):
        open_round(cast, [template])
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()


def test_a_generated_row_without_one_target_is_refused(cast, monkeypatch):
    population(cast)
    template = make_template(cast)
    monkeypatch.setattr(services, "_generate", lambda *args: {(cast.trainee.pk, None, None): 1})
    with pytest.raises(ValidationError):
        open_round(cast, [template])
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()


def test_the_preview_counts_the_bulk_rows_and_keeps_none(cast):
    population(cast, extra_trainees=3)
    template = make_template(cast)
    counts = services_manage.round_preview(
        actor=cast.coord_a,
        institution=cast.inst_a,
        title="Preview",
        population="agreement",
        agreement=cast.agreement_ab,
        opens_on=datetime.date(2026, 1, 1),
        due_on=datetime.date(2026, 12, 31),
        templates={template.relationship: template},
    )
    assert counts == {"trainee_tutor": 8}
    assert (
        not EvaluationPair.objects.exists()
        and not AuditEvent.objects.filter(action="evaluations.round_open").exists()
    )


# --- constant queries at two sizes ------------------------------------------------------------


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=5)  # six trainees evaluate tutor_a and tutor_b
    template = make_template(cast)
    round_ = open_round(cast, [template])
    return round_, template


def _pairs(round_, tutor):
    return list(EvaluationPair.objects.filter(round=round_, target_user=tutor).order_by("id"))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _urls(round_, template, tutor):
    target = [round_.pk, template.pk, "person", tutor.pk]
    return {
        "results": reverse("evaluations:results", args=target),
        "comments": reverse("evaluations:comment_hide", args=target),
        "completion": reverse("evaluations:round_detail", args=[round_.pk]),
        "pairs": reverse("evaluations:manage_pairs", args=[round_.pk]) + "?status=all",
        "export": reverse("evaluations:round_export", args=[round_.pk]),
        "api_result": f"{API}/rounds/{round_.pk}/results/{template.pk}/person/{tutor.pk}",
        "api_targets": f"{API}/rounds/{round_.pk}/targets",
        "api_institutions": f"{API}/rounds/{round_.pk}/completion/institutions",
        "api_evaluators": f"{API}/rounds/{round_.pk}/completion/evaluators",
    }


def test_pages_api_and_export_take_the_same_queries_at_two_sizes(cast, client_for, world):
    round_, template = world
    a, b = _pairs(round_, cast.tutor_a), _pairs(round_, cast.tutor_b)
    benchdata.store_answers(a[:3] + b[:3])
    coordinator = client_for("coord_a")
    urls = _urls(round_, template, cast.tutor_a)
    small = {name: _count(coordinator, url) for name, url in urls.items()}
    answers_small = EvaluationAnswer.objects.count()
    # forty times the answers, and more targets with results
    benchdata.store_answers(a[3:] + b[3:], per_pair=40, seed=7)
    assert EvaluationAnswer.objects.count() > 40 * answers_small
    large = {name: _count(coordinator, url) for name, url in urls.items()}
    assert large == small
    assert small["export"] <= 12  # eight of the export, the rest the page's own


def test_round_results_agree_with_each_targets_result(cast, world, settings):
    round_, template = world
    a, b = _pairs(round_, cast.tutor_a), _pairs(round_, cast.tutor_b)
    benchdata.store_answers(a, per_pair=3)
    benchdata.store_answers(b[:2], seed=3)  # tutor_b: two responses, below the threshold
    every = results.round_results(round_)
    assert set(every) == {(template.pk, "person", cast.tutor_a.pk)}  # tutor_b: not even a count
    single = results.target_result(round_, template, cast.tutor_a)
    combined = every[(template.pk, "person", cast.tutor_a.pk)]
    assert combined.responses == single.responses == 3 * len(a)
    assert combined.sections == single.sections
    assert combined.comments == []  # the export has no comments
    settings.EVALUATIONS_MIN_RESPONSES = 2
    key_a, key_b = (
        (template.pk, "person", cast.tutor_a.pk),
        (template.pk, "person", cast.tutor_b.pk),
    )
    assert set(results.round_results(round_)) == {key_a, key_b}
    # only the targets asked for (the export asks for the page of targets it lists)
    assert set(results.round_results(round_, [key_b])) == {key_b}
    assert results.round_results(round_, []) == {}
    assert results.round_results(round_, [key_b])[key_b].responses == 2


def test_the_export_matches_round_results_and_leaves_out_below_the_threshold(
    cast, client_for, world
):
    round_, template = world
    a, b = _pairs(round_, cast.tutor_a), _pairs(round_, cast.tutor_b)
    benchdata.store_answers(a, per_pair=2)
    benchdata.store_answers(b[:1], seed=3)
    content = client_for("coord_a").get(reverse("evaluations:round_export", args=[round_.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(content.content)).active
    _header, *rows = list(sheet.iter_rows(values_only=True))
    assert {row[1] for row in rows} == {str(cast.tutor_a)}
    assert {row[2] for row in rows} == {2 * len(a)}
    expected = results.target_result(round_, template, cast.tutor_a)
    means = {item.item.prompt: item.mean for s in expected.sections for item in s.items}
    for row in rows:
        assert row[5] == means[row[4]]


def test_store_answers_keeps_anonymous_responses_apart_from_pairs(cast, world):
    round_, _template = world
    benchdata.store_answers(_pairs(round_, cast.tutor_a), per_pair=2)
    assert EvaluationResponse.objects.filter(is_anonymous=True).count() == 12
    assert not EvaluationResponse.objects.filter(evaluator__isnull=False).exists()
    assert not EvaluationResponse.objects.filter(pair__isnull=False).exists()
    assert not EvaluationResponse.objects.filter(submitted_at__isnull=False).exists()


# --- PostgreSQL: the result queries use an index ---------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_result_queries_use_an_index(cast, world):
    round_, template = world
    benchdata.store_answers(_pairs(round_, cast.tutor_a), per_pair=20)
    with CaptureQueriesContext(connection) as ctx:
        results.target_result(round_, template, cast.tutor_a)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluations_evaluationresponse")
        cursor.execute("ANALYZE evaluations_evaluationanswer")
        # With sequential scans priced out, a plan still scans a table when no index serves
        # the query; the few test rows would otherwise make any plan a sequential scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in ctx.captured_queries:
            sql = query["sql"]
            if "evaluations_evaluationresponse" in sql or "evaluations_evaluationanswer" in sql:
                cursor.execute(f"EXPLAIN {sql}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert len(plans) == 3  # the count, the comments, the tallies
    for plan in plans:
        assert "Index" in plan, plan
        assert "Seq Scan on evaluations_evaluationresponse" not in plan, plan
        assert "Seq Scan on evaluations_evaluationanswer" not in plan, plan
