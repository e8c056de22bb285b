"""The round's results as a workbook: aggregates only, nothing of a target below the threshold
(decision 082), headers in the reader's language."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tandem.evaluations import services_respond
from tandem.evaluations.exports import round_results_workbook
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population

pytestmark = pytest.mark.django_db


def _rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def world(cast, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    population(cast, extra_trainees=4)  # five trainees, each evaluates tutor_a and tutor_b
    template = make_template(cast)
    round_ = open_round(cast, [template])
    for tutor, n in ((cast.tutor_a, 3), (cast.tutor_b, 2)):
        pairs = EvaluationPair.objects.filter(round=round_, target_user=tutor).order_by("id")
        for pair in pairs[:n]:
            services_respond.response_submit(
                actor=pair.evaluator, pair=pair, answers=full_answers(template)
            )
    return round_, template


def test_a_target_below_the_threshold_has_no_row(cast, world):
    round_, _template = world
    header, *rows = _rows(round_results_workbook(round_))
    assert header[:3] == ["Template", "Person or institution evaluated", "Responses"]
    assert rows and {row[1] for row in rows} == {str(cast.tutor_a)}
    assert {row[2] for row in rows} == {3}  # the count of tutor_b (2) appears nowhere
    rating = next(row for row in rows if row[4] == "Availability")
    assert rating[5] == 4 and "Very good: 3" in rating[6]


def test_headers_in_chinese(world):
    round_, _template = world
    with translation.override("zh-hans"):
        header = _rows(round_results_workbook(round_))[0]
    assert header[0] == "模板" and header[2] == "答卷数"


def test_the_page_is_for_those_who_run_the_round(cast, client_for, world):
    round_, template = world
    url = reverse("evaluations:round_export", args=[round_.pk])
    response = client_for("coord_a").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for("coord_b").get(url).status_code == 404
    results = reverse(
        "evaluations:results", args=[round_.pk, template.pk, "person", cast.tutor_a.pk]
    )
    assert url in client_for("coord_a").get(results).content.decode()
