"""Pages and API: outsider 404, wrong role 403, the form keeps drafts, and the anonymity suite:
as the consortium admin, no page, API operation, audit entry or admin page links an anonymous
answer to its author."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.evaluations.models import EvaluationAnswer, EvaluationPair, EvaluationResponse
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    narrative_item,
    open_round,
    population,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=3)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    return round_, template


def _pair(cast, round_, evaluator=None):
    return EvaluationPair.objects.get(
        round=round_, target_user=cast.tutor_a, evaluator=evaluator or cast.trainee
    )


def test_outsider_gets_404_on_a_round(cast, client_for, world):
    round_, _template = world
    assert (
        client_for("outsider")
        .get(reverse("evaluations:round_detail", args=[round_.pk]))
        .status_code
        == 404
    )


def test_tutor_gets_403_on_the_rounds(client_for, world):
    assert client_for("tutor_a").get(reverse("evaluations:round_list")).status_code == 403


def test_form_saves_a_draft_then_submits(cast, client_for, world):
    round_, template = world
    pair = _pair(cast, round_)
    client = client_for("trainee")
    url = reverse("evaluations:respond", args=[pair.pk])
    rating = template.items.get(kind="rating")
    response = client.post(url, {f"item_{rating.pk}": "2", "draft": "1"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="2" checked' in page
    response = client.post(url, {f"item_{rating.pk}": "2", "submit": "1"})
    assert response.status_code == 400 and "Answer this question." in response.content.decode()
    data = {f"item_{k}": v for k, v in full_answers(template).items()}
    assert client.post(url, {**data, "submit": "1"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == "submitted"
    assert client.post(url, {**data, "submit": "1"}).status_code == 400


def test_form_in_chinese(cast, client_for, world):
    round_, _template = world
    client = client_for("trainee")
    page = client.get(
        reverse("evaluations:respond", args=[_pair(cast, round_).pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 200


def test_api_lists_the_to_do_and_submits(cast, client_for, world):
    round_, template = world
    client = client_for("trainee")
    todo = client.get("/api/v1/evaluations/todo").json()
    assert {row["target_user_id"] for row in todo["items"]} >= {cast.tutor_a.pk, cast.tutor_b.pk}
    pair = _pair(cast, round_)
    response = client.post(
        f"/api/v1/evaluations/{pair.pk}/answers",
        {"answers": full_answers(template), "submit": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_admin_cannot_link_an_anonymous_answer_to_its_author(cast, client_for, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template = world
    texts = {}
    pairs = list(
        EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a).order_by("id")
    )
    for pair in pairs:
        text = f"secret-comment-{pair.evaluator.username}"
        texts[pair.evaluator.username] = text
        answers = {**full_answers(template), str(narrative_item(template).pk): text}
        pair.evaluator.refresh_from_db()
        from tandem.evaluations import services_respond

        services_respond.response_submit(actor=pair.evaluator, pair=pair, answers=answers)
    admin = client_for("admin")
    results_url = reverse(
        "evaluations:results", args=[round_.pk, template.pk, "person", cast.tutor_a.pk]
    )
    pages = [
        admin.get(reverse("evaluations:round_detail", args=[round_.pk])).content.decode(),
        admin.get(results_url).content.decode(),
        admin.get("/admin/evaluations/evaluationpair/").content.decode(),
        admin.get("/admin/").content.decode(),
    ]
    # The API and the Excel export: the comments are there, the authors nowhere.
    api_result = admin.get(
        f"/api/v1/evaluations/rounds/{round_.pk}/results/{template.pk}/person/{cast.tutor_a.pk}"
    )
    assert api_result.status_code == 200
    export = admin.get(reverse("evaluations:round_export", args=[round_.pk]))
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for username in texts:
        author = EvaluationPair.objects.filter(evaluator__username=username).first().evaluator
        assert author.full_name not in api_result.content.decode(), api_result.content
        assert author.full_name not in cells, cells
    assert any(text in api_result.content.decode() for text in texts.values())
    # The results show every comment, but never beside a name; no admin page for responses.
    results_page = pages[1]
    for username, text in texts.items():
        assert text in results_page
        full_name = (
            EvaluationPair.objects.filter(evaluator__username=username).first().evaluator.full_name
        )
        assert full_name not in results_page
    assert "evaluationresponse" not in pages[3] and "evaluationanswer" not in pages[3]
    assert admin.get("/admin/evaluations/evaluationresponse/").status_code == 404
    # Nothing stored with the answers points back: no pair, no evaluator, no time.
    assert not EvaluationResponse.objects.filter(evaluator__isnull=False).exists()
    assert not EvaluationResponse.objects.filter(pair__isnull=False).exists()
    assert not EvaluationResponse.objects.filter(submitted_at__isnull=False).exists()
    # The audit entries say who submitted, never what or which response.
    response_ids = {str(pk) for pk in EvaluationResponse.objects.values_list("pk", flat=True)}
    answer_ids = {str(pk) for pk in EvaluationAnswer.objects.values_list("pk", flat=True)}
    for event in AuditEvent.objects.all():
        blob = f"{event.target_id} {event.changes} {event.reason} {event.target_repr}"
        assert not any(rid in blob for rid in response_ids | answer_ids)
        assert not any(text in blob for text in texts.values())
    # Comment order is not submission order (random ids): ordered by id, not by pair order.
    expected = list(
        EvaluationAnswer.objects.filter(text__startswith="secret-comment-")
        .order_by("id")
        .values_list("text", flat=True)
    )
    assert sorted(expected, key=results_page.index) == expected


def test_one_response_below_threshold_changes_nothing_visible(cast, client_for, world, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    round_, template = world
    admin = client_for("admin")
    url = reverse("evaluations:results", args=[round_.pk, template.pk, "person", cast.tutor_a.pk])
    before = admin.get(url).content.decode()
    from tandem.evaluations import services_respond

    pair = _pair(cast, round_)
    services_respond.response_submit(actor=cast.trainee, pair=pair, answers=full_answers(template))
    after = admin.get(url).content.decode()
    import re

    def strip(html):
        return re.sub(r"[A-Za-z0-9]{64}", "", html)  # the CSRF tokens

    assert "Not enough responses to show" in after
    assert strip(before) == strip(after)


def test_results_of_someone_the_round_does_not_evaluate_are_not_found(cast, client_for, world):
    """The target id resolves among the round's targets: any other person or institution is the
    same 404 as an id that does not exist (no way to probe who exists)."""
    round_, template = world
    admin = client_for("admin")

    def status(kind, pk):
        url = reverse("evaluations:results", args=[round_.pk, template.pk, kind, pk])
        return admin.get(url).status_code

    assert status("person", cast.tutor_a.pk) == 200
    assert status("person", cast.outsider.pk) == 404
    assert status("person", 10**9) == 404
    assert status("institution", cast.inst_a.pk) == 404  # not a target of this template
    assert status("thing", cast.tutor_a.pk) == 404
