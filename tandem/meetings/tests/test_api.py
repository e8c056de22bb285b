import datetime

from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.meetings.models import MeetingSeries
from tandem.meetings.tests.factories import debriefing


def _series(cast, **overrides):
    first = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "institution_id": cast.inst_a.pk,
        "title": "API debriefing",
        "time_zone": "Asia/Shanghai",
        "first_date": first.isoformat(),
        "start_time": "10:00",
        "until": (first + datetime.timedelta(days=28)).isoformat(),
        "mode": "onsite",
        "location": "Room 2",
        "trainee_ids": [cast.trainee.pk],
    }
    data.update(overrides)
    return data


def test_create_series_returns_it_with_participants(cast, client_for):
    response = client_for("tutor_a").post(
        "/api/v1/meetings/series", data=_series(cast), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert [p["user_id"] for p in body["participants"]] == [cast.trainee.pk]
    assert MeetingSeries.objects.get(pk=body["id"]).meetings.count() == 3
    assert AuditEvent.objects.filter(action="meeting_series.create").exists()


def test_bad_time_zone_is_400_naming_the_field_and_saves_nothing(cast, client_for):
    response = client_for("tutor_a").post(
        "/api/v1/meetings/series",
        data=_series(cast, time_zone="Nowhere/Land"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()["errors"]
    assert not MeetingSeries.objects.exists()


def test_missing_field_is_422(cast, client_for):
    data = _series(cast)
    del data["first_date"]
    response = client_for("tutor_a").post(
        "/api/v1/meetings/series", data=data, content_type="application/json"
    )
    assert response.status_code == 422 and "first_date" in response.json()["errors"]


def test_trainee_reports_and_the_agenda_lists_open_actions(cast, client_for):
    d = debriefing(cast)
    client = client_for("trainee")
    response = client.put(
        f"/api/v1/meetings/meetings/{d.upcoming.pk}/report",
        data={"experimental_progress": "A", "dissertation_progress": "B", "next_steps": "C"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["next_steps"] == "C"
    agenda = client.get(f"/api/v1/meetings/meetings/{d.upcoming.pk}").json()["agenda"]
    assert [a["title"] for a in agenda] == ["Validate the antibody"]


def test_outsider_gets_404_and_trainee_gets_403_on_attendance(cast, client_for):
    d = debriefing(cast)
    url = f"/api/v1/meetings/meetings/{d.past.pk}/attendance"
    data = {"entries": [{"person_id": cast.trainee.pk, "status": "present"}]}
    assert (
        client_for("outsider").put(url, data=data, content_type="application/json").status_code
        == 404
    )
    assert (
        client_for("trainee").put(url, data=data, content_type="application/json").status_code
        == 403
    )
