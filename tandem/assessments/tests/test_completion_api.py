"""The API of annual assessments and completion: the same rules as the pages — bad input a 400
naming the field and nothing saved, the result refused for a resident not eligible, the
checklist of the resident's own."""

import pytest
from django.test import Client

from tandem.assessments.models_completion import AnnualPlan, AnnualStatus, CompletionResult
from tandem.assessments.tests.completion_factories import annual_of, build_completion, make_eligible

pytestmark = pytest.mark.django_db

API = "/api/v1/assessments"


@pytest.fixture
def cw(aw):
    return build_completion(aw)


def _json(client: Client, method: str, url: str, body: dict) -> object:
    return getattr(client, method)(url, data=body, content_type="application/json")


def test_the_resident_reads_their_checklist_through_the_api(cw, client_for, cast):
    response = client_for("resident").get(f"{API}/completion/{cast.resident.pk}")
    assert response.status_code == 200
    (entry,) = response.json()
    assert entry["eligible"] is False
    assert [m["text"] for m in entry["missing"]][0] == "A1 ward rotation not yet passed"


def test_a_score_out_of_range_answers_400_naming_it_and_saves_nothing(cw, client_for):
    url = f"{API}/annual/{annual_of(cw).pk}/result"
    response = _json(client_for("coord_a"), "post", url, {"theory": 130})
    assert response.status_code == 400
    assert "theory" in response.json()["errors"]
    assert annual_of(cw).status == AnnualStatus.OPEN and annual_of(cw).theory is None


def test_the_result_of_a_resident_not_eligible_is_refused_with_the_reason(cw, client_for, cast):
    url = f"{API}/completion/{cast.resident.pk}/result"
    body = {
        "specialty": "internal_medicine",
        "outcome": "passed",
        "decided_on": "2026-12-10",
        "certificate_number": "GD-1",
    }
    client = client_for("coord_a")
    response = _json(client, "post", url, body)
    assert response.status_code == 400
    assert "A1 ward rotation not yet passed" in response.content.decode()
    assert not CompletionResult.objects.exists()
    make_eligible(cw)
    response = _json(client, "post", url, body)
    assert response.status_code == 200
    assert response.json()["result"]["certificate_number"] == "GD-1"


def test_the_office_list_filters_by_eligibility(cw, client_for, cast):
    make_eligible(cw)
    client = client_for("coord_a")
    eligible = client.get(f"{API}/completion", {"eligible": "yes"}).json()
    assert [e["resident_id"] for e in eligible] == [cast.resident.pk]
    assert len(client.get(f"{API}/completion").json()) == 2


def test_a_plan_of_another_hospital_is_refused(cw, client_for):
    response = _json(
        client_for("coord_b"),
        "put",
        f"{API}/annual-plans",
        {"program_id": cw.world.program.pk, "theory_pass": 10},
    )
    assert response.status_code == 403
    assert AnnualPlan.objects.get().theory_pass == 60
