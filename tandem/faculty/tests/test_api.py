"""The teachers' API: refusals with the reason in `errors`, nothing saved; 404 for what the
caller cannot see; the workload of a base for its managers only."""

import json

import pytest

from tandem.faculty.models import ResponsibleTeacher

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_assigning_an_expired_teacher_answers_400_with_the_reason(fw, client_for):
    world = fw.world
    response = _post(
        client_for("coord_a"),
        "/api/v1/faculty/assignments",
        {
            "member_id": world.member.pk,
            "department_id": world.a1.pk,
            "teacher_id": fw.expired_teacher.pk,
        },
    )
    assert response.status_code == 400
    expired = fw.expired.certificate_expires_on.isoformat()
    assert response.json()["errors"]["teacher"] == [
        f"The teacher-training certificate expired on {expired}."
    ]
    assert not ResponsibleTeacher.objects.exists()


def test_assignment_is_created_and_listed_for_the_teacher_and_the_resident(fw, client_for):
    world = fw.world
    response = _post(
        client_for("coord_a"),
        "/api/v1/faculty/assignments",
        {
            "member_id": world.member.pk,
            "department_id": world.a1.pk,
            "teacher_id": world.cast.tutor_a.pk,
        },
    )
    assert response.status_code == 201
    created = response.json()["id"]
    for actor in ("tutor_a", "resident"):
        items = client_for(actor).get("/api/v1/faculty/assignments").json()["items"]
        assert [row["id"] for row in items] == [created]
    assert client_for("coord_b").get("/api/v1/faculty/assignments").json()["items"] == []


def test_profile_shows_the_reasons_and_hides_from_others(fw, client_for):
    url = f"/api/v1/faculty/profiles/{fw.expired.pk}"
    body = client_for("coord_a").get(url).json()
    assert body["qualified"] is False
    assert body["reasons"][0].startswith("The teacher-training certificate expired on")
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("tutor_a").get(url).status_code == 404


def test_base_workload_for_managers_only(fw, client_for):
    url = f"/api/v1/faculty/bases/{fw.world.base_a.pk}/workload"
    rows = client_for("coord_a").get(url).json()
    tutor = next(r for r in rows if r["teacher_id"] == fw.world.cast.tutor_a.pk)
    assert tutor["activities"] == 1  # the teaching world's round today
    assert client_for("tutor_a").get(url).status_code == 404
