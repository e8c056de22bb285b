"""The teaching API: the same rules as the pages, refusals as 400 with the message."""

import datetime
import json

import pytest
from django.utils import timezone

from tandem.teaching import codes
from tandem.teaching.models import Activity

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_schedule_a_series_through_the_api(tw, client_for):
    today = timezone.localdate()
    response = _post(
        client_for("coord_a"),
        "/api/v1/teaching/activities",
        {
            "department_id": tw.world.a1.pk,
            "kind_id": tw.lecture.pk,
            "teacher_id": tw.world.cast.tutor_a.pk,
            "topic": "ECG reading",
            "place": "A1 seminar room",
            "date": today.isoformat(),
            "start_time": "16:00",
            "duration_minutes": 45,
            "repeat_weeks": 2,
            "until": (today + datetime.timedelta(weeks=4)).isoformat(),
        },
    )
    assert response.status_code == 201
    assert len(response.json()) == 3
    assert Activity.objects.filter(topic="ECG reading").count() == 3


def test_expired_code_through_the_api_is_400_with_the_reason(tw, client_for):
    old = codes.current_code(tw.now.secret, timezone.now() - datetime.timedelta(minutes=3))
    response = _post(
        client_for("resident"), f"/api/v1/teaching/activities/{tw.now.pk}/sign-in", {"code": old}
    )
    assert response.status_code == 400
    assert "expired" in response.json()["detail"]


def test_the_teacher_reads_the_code_and_the_resident_never_sees_the_secret(tw, client_for):
    body = client_for("tutor_a").get(f"/api/v1/teaching/activities/{tw.now.pk}/code").json()
    after = timezone.now()
    # The code of the moment of the request: this step's, or the last one's if it just changed.
    assert body["code"] in {
        codes.current_code(tw.now.secret, after),
        codes.current_code(tw.now.secret, after - datetime.timedelta(seconds=30)),
    }
    assert body["is_open"] is True
    detail = client_for("resident").get(f"/api/v1/teaching/activities/{tw.now.pk}").content
    assert tw.now.secret.encode() not in detail


def test_base_statistics_through_the_api(tw, client_for):
    response = client_for("coord_a").get(f"/api/v1/teaching/bases/{tw.world.base_a.pk}/stats")
    assert response.status_code == 200
    [row] = response.json()["departments"]
    assert row["name"] == "A1 ward" and row["expected"] == 2 and row["attended"] == 0
