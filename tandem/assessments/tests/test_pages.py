"""The pages: bad input shows the service's message and saves nothing (never a 500); the plan
page saves a plan; the resident sees their WBA progress."""

import pytest
from django.urls import reverse

from tandem.assessments.models import AssessmentPlan, Component
from tandem.assessments.tests.factories import a1_assessment

pytestmark = pytest.mark.django_db


def test_a_score_out_of_range_on_the_page_is_refused_with_its_message(aw, client_for):
    assessment = a1_assessment(aw)
    client = client_for("tutor_a")
    url = reverse("assessments:record", args=[assessment.pk])
    response = client.post(url, {"kind": "theory", "score": "130"}, follow=True)
    assert response.status_code == 200
    assert "A score is from 0 to 100." in response.content.decode()
    assert not Component.objects.filter(passed__isnull=False).exists()
    response = client.post(
        url,
        {"kind": "skills", "station_name": ["ECG"], "station_score": ["x"], "station_max": ["10"]},
        follow=True,
    )
    assert "Station 1" in response.content.decode()


def test_the_detail_page_lists_the_components_and_the_forms_of_the_reader(aw, client_for):
    assessment = a1_assessment(aw)
    page = client_for("resident").get(reverse("assessments:detail", args=[assessment.pk]))
    text = page.content.decode()
    assert "Theory exam" in text and "Submit the summary" in text and "Record a result" not in text
    page = client_for("tutor_a").get(reverse("assessments:detail", args=[assessment.pk]))
    assert "Record a result" in page.content.decode()


def test_the_plan_page_saves_a_plan_and_refuses_a_pass_mark_out_of_range(aw, client_for):
    client = client_for("coord_a")
    url = reverse("assessments:plans")
    data = {
        "program": aw.world.program.pk,
        "department": aw.world.a2.pk,
        "due_days": 10,
        "theory_pass": 150,
        "summary_required": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not AssessmentPlan.objects.filter(department=aw.world.a2).exists()
    data["theory_pass"] = 65
    assert client.post(url, data).status_code == 302
    plan = AssessmentPlan.objects.get(department=aw.world.a2)
    assert (plan.theory_pass, plan.due_days, plan.signoff_required) == (65, 10, False)


def test_the_home_page_shows_the_residents_wba_progress(aw, client_for):
    text = client_for("resident").get(reverse("assessments:home")).content.decode()
    assert "Your WBAs per rotation" in text and "0 / 1" in text
