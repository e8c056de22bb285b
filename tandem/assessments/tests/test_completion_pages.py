"""The annual assessment and completion pages: outsider 404, wrong role 403, bad input shows
its message and saves nothing, the office list at a constant number of queries, the Excel
export read back."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.assessments import services_completion
from tandem.assessments.models_completion import AnnualStatus, CompletionResult
from tandem.assessments.tests.completion_factories import (
    annual_of,
    build_completion,
    make_eligible,
)
from tandem.residency.models import CohortMember
from tandem.residency.tests.factories import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(aw):
    return build_completion(aw)


def test_the_resident_sees_their_own_checklist_in_english_and_chinese(cw, client_for, cast):
    client = client_for("resident")
    url = reverse("assessments:checklist", args=[cast.resident.pk])
    text = client.get(url).content.decode()
    assert "A1 ward rotation not yet passed" in text
    assert "Record the completion result" not in text
    client.cookies["django_language"] = "zh-hans"
    text = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "A1 ward轮转尚未通过" in text and "第1培训年度的年度考核尚未通过" in text


def test_an_outsider_gets_404_for_a_checklist_and_an_annual_assessment(cw, client_for, cast):
    for who in ("outsider", "coord_b", "tutor_a"):
        client = client_for(who)
        assert (
            client.get(reverse("assessments:checklist", args=[cast.resident.pk])).status_code == 404
        )
        url = reverse("assessments:annual_detail", args=[annual_of(cw).pk])
        assert client.get(url).status_code == 404


def test_a_resident_gets_403_on_the_office_list_and_when_recording(cw, client_for, cast):
    client = client_for("resident")
    assert client.get(reverse("assessments:completion")).status_code == 403
    assert client.get(reverse("assessments:completion_export")).status_code == 403
    url = reverse("assessments:annual_detail", args=[annual_of(cw).pk])
    assert client.post(url, {"theory": "90"}).status_code == 403
    url = reverse("assessments:completion_record", args=[cast.resident.pk])
    assert client.post(url, {"outcome": "passed"}).status_code == 403
    assert annual_of(cw).status == AnnualStatus.OPEN


def test_a_score_out_of_range_on_the_page_is_refused_and_nothing_saved(cw, client_for):
    url = reverse("assessments:annual_detail", args=[annual_of(cw).pk])
    response = client_for("coord_a").post(url, {"theory": "130"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert annual_of(cw).theory is None


def test_the_office_records_the_result_of_an_eligible_resident_only(cw, client_for, cast):
    client = client_for("coord_a")
    url = reverse("assessments:completion_record", args=[cast.resident.pk])
    data = {
        "specialty": "internal_medicine",
        "outcome": "passed",
        "decided_on": "2026-12-10",
        "certificate_number": "GD-1",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "Not eligible for completion" in page and "A1 ward rotation not yet passed" in page
    assert not CompletionResult.objects.exists()
    make_eligible(cw)
    checklist = client.get(reverse("assessments:checklist", args=[cast.resident.pk]))
    assert "Record the completion result" in checklist.content.decode()
    client.post(url, data)
    assert CompletionResult.objects.get().certificate_number == "GD-1"


def test_the_office_list_filters_by_eligibility(cw, client_for, cast):
    make_eligible(cw)
    client = client_for("coord_a")
    url = reverse("assessments:completion")
    text = client.get(url, {"eligible": "yes"}).content.decode()
    assert cast.resident.full_name in text and "Second Resident" not in text
    text = client.get(url, {"eligible": "no"}).content.decode()
    assert cast.resident.full_name not in text and "Second Resident" in text


def test_the_export_has_one_row_per_resident_and_keeps_formulas_as_text(cw, client_for, cast):
    make_eligible(cw)
    cast.resident.full_name = "=HYPERLINK(1)"
    cast.resident.save()
    response = client_for("coord_a").get(reverse("assessments:completion_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Resident" and len(rows) == 3
    by_name = {row[1]: row for row in rows[1:]}
    mine = by_name[cast.resident.username]
    assert mine[0] == "=HYPERLINK(1)" and mine[8] == "Yes"
    cell = next(c for c in sheet["A"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    other = by_name["resident2"]
    assert other[8] == "No" and "A1 ward rotation not yet passed" in other[9]


def _list_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assessments:completion"))
    assert response.status_code == 200
    return len(captured)


def test_the_office_list_takes_the_same_number_of_queries_at_two_sizes(cw, client_for, cast):
    client = client_for("coord_a")
    small = _list_queries(client)
    world = cw.world
    for n in range(6):
        resident = make_resident(cast, f"more.resident{n}")
        CohortMember.objects.create(cohort=world.cohort, resident=resident, program=world.program)
    services_completion.annual_schedule(
        actor=cast.coord_a,
        program=world.program,
        cohort=world.cohort,
        exam_on=annual_of(cw).exam_on,
        due_on=annual_of(cw).due_on,
    )
    assert _list_queries(client) == small


def test_the_rules_page_saves_rules_and_a_plan_and_refuses_bad_input(cw, client_for, cast):
    client = client_for("coord_a")
    url = reverse("assessments:completion_rules")
    response = client.post(
        url,
        {
            "which": "rule",
            "rule-program": cw.world.program.pk,
            "rule-training_years": "9",
            "rule-caselog_share": "90",
        },
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 5." in response.content.decode()
    response = client.post(
        url,
        {
            "which": "plan",
            "plan-program": cw.world.program.pk,
            "plan-theory_pass": "70",
            "plan-reexams_allowed": "2",
        },
    )
    assert response.status_code == 302
    assert client_for("resident").get(url).status_code == 403
