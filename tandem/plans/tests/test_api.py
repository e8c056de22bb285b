import base64
import json

from tandem.plans.models import PlanCourse
from tandem.plans.tests.factories import draft_plan, signed_plan

API = "/api/v1/plans"


def send(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_list_is_scoped(cast, client_for):
    plan = signed_plan(cast)
    items = client_for("coord_b").get(f"{API}/").json()["items"]
    assert [i["cultivation_id"] for i in items] == [plan.cultivation_id]
    assert items[0]["version_in_force"] == 1
    assert client_for("outsider").get(f"{API}/").json()["items"] == []


def test_outsider_gets_404_and_coordinator_403(cast, client_for):
    plan = draft_plan(cast)
    url = f"{API}/{plan.cultivation_id}/draft"
    assert send(client_for("outsider"), url, {"research_topic": "x"}, "put").status_code == 404
    assert send(client_for("coord_a"), url, {"research_topic": "x"}, "put").status_code == 403


def test_bad_course_names_the_field_and_saves_nothing(cast, client_for):
    plan = draft_plan(cast)
    response = send(
        client_for("trainee"),
        f"{API}/{plan.cultivation_id}/draft/courses",
        {"title": "Stats", "credits": "0", "institution": "nib"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"credits", "institution"}
    assert PlanCourse.objects.count() == 1


def test_sign_with_missing_credits_names_the_field(cast, client_for):
    plan = draft_plan(cast, credits="3")
    response = client_for("tutor_b").post(f"{API}/{plan.cultivation_id}/sign")
    assert response.status_code == 400
    assert "credits" in response.json()["errors"]


def test_two_signatures_bring_the_plan_into_force(cast, client_for):
    plan = draft_plan(cast)
    first = client_for("tutor_a").post(f"{API}/{plan.cultivation_id}/sign").json()
    assert first["status"] == "awaiting_signoff"
    second = client_for("tutor_b").post(f"{API}/{plan.cultivation_id}/sign").json()
    assert second["status"] == "signed" and len(second["signatures"]) == 2
    got = client_for("trainee").get(f"{API}/{plan.cultivation_id}").json()
    assert got["version_in_force"] == 1 and got["open_version"] is None


def test_submit_review_through_the_api(cast, client_for):
    plan = signed_plan(cast)
    milestone = plan.milestones.get(kind="proposal")
    base = f"{API}/{plan.cultivation_id}/milestones/{milestone.pk}"
    bad = send(
        client_for("trainee"),
        f"{base}/submit",
        {"files": [{"name": "x.pdf", "content_base64": "!!"}]},
    )
    assert bad.status_code == 400 and "files[0].content_base64" in bad.json()["errors"]
    content = base64.b64encode(b"%PDF-1.4 proposal").decode()
    submitted = send(
        client_for("trainee"),
        f"{base}/submit",
        {"files": [{"name": "p.pdf", "content_base64": content}]},
    )
    assert submitted.status_code == 201
    assert submitted.json()["evidence"][0]["download_url"]
    reviewed = send(
        client_for("coord_a"),
        f"{base}/review",
        {"outcome": "failed", "comments": "Plagiarised", "examiners": "Panel"},
    )
    assert reviewed.json()["outcome"] == "failed"
    assert client_for("trainee").get(base).json()["status"] == "failed"
