"""The API for changing, ending and leaving a series: the same services as the pages."""

import datetime

from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.meetings.models import Meeting, MeetingStatus, SeriesParticipant
from tandem.meetings.tests.factories import debriefing


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _patch(client, series_id: int, data: dict):
    return client.patch(
        f"/api/v1/meetings/series/{series_id}", data=data, content_type="application/json"
    )


def test_patch_changes_only_what_is_sent_and_only_the_meetings_ahead(cast, client_for):
    d = debriefing(cast)
    response = _patch(
        client_for("tutor_a"),
        d.series.pk,
        {"start_time": "08:00", "mode": "hybrid", "online_url": "https://meet.example.org/lab"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["start_time"], body["mode"], body["location"]) == (
        "08:00:00",
        "hybrid",
        "Building 3, room 301",
    )
    meetings = (
        client_for("trainee").get(f"/api/v1/meetings/series/{d.series.pk}/meetings").json()["items"]
    )
    by_id = {m["id"]: m for m in meetings}
    assert by_id[d.past.pk]["mode"] == "onsite"
    assert by_id[d.upcoming.pk]["online_url"] == "https://meet.example.org/lab"
    assert AuditEvent.objects.filter(action="meeting_series.update").count() == 1


def test_patch_with_a_bad_mode_is_400_naming_the_field(cast, client_for):
    d = debriefing(cast)
    response = _patch(client_for("tutor_a"), d.series.pk, {"mode": "telepathy"})
    assert response.status_code == 400 and "mode" in response.json()["errors"]
    assert not AuditEvent.objects.filter(action="meeting_series.update").exists()


def test_outsider_gets_404_and_wrong_role_gets_403(cast, client_for):
    d = debriefing(cast)
    assert _patch(client_for("outsider"), d.series.pk, {"title": "x"}).status_code == 404
    assert _patch(client_for("trainee"), d.series.pk, {"title": "x"}).status_code == 403
    url = f"/api/v1/meetings/series/{d.series.pk}/participants/{cast.trainee.pk}"
    assert client_for("outsider").delete(url).status_code == 404
    assert client_for("coord_b").delete(url).status_code == 403


def test_end_cancels_the_meetings_after_the_date(cast, client_for):
    d = debriefing(cast)
    response = client_for("coord_a").post(
        f"/api/v1/meetings/series/{d.series.pk}/end",
        data={"after": _days(5), "reason": "Graduation"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["ended_at"] and response.json()["end_reason"] == "Graduation"
    assert Meeting.objects.filter(series=d.series, status=MeetingStatus.CANCELLED).count() == 4
    missing = client_for("coord_a").post(
        f"/api/v1/meetings/series/{d.series.pk}/end",
        data={"after": _days(5)},
        content_type="application/json",
    )
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]


def test_removing_a_participant_and_not_the_organizer(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_a")
    base = f"/api/v1/meetings/series/{d.series.pk}/participants"
    organizer = client.delete(f"{base}/{cast.tutor_a.pk}")
    assert organizer.status_code == 400 and "person" in organizer.json()["errors"]
    assert client.delete(f"{base}/{cast.resident.pk}").status_code == 404
    assert client.delete(f"{base}/{cast.trainee.pk}").status_code == 204
    assert SeriesParticipant.objects.get(user=cast.trainee).removed_at is not None
    body = client.get(f"/api/v1/meetings/series/{d.series.pk}").json()
    assert body["participants"] == []
    assert client.delete(f"{base}/{cast.trainee.pk}").status_code == 404


def test_inviting_a_person_out_of_reach_answers_not_found_without_their_name(cast, client_for):
    body = {
        "institution_id": cast.inst_c.pk,
        "title": "C debriefing",
        "time_zone": "Asia/Shanghai",
        "first_date": _days(3),
        "start_time": "14:00",
        "until": _days(60),
        "interval_weeks": 2,
        "mode": "onsite",
        "location": "Room 1",
    }
    answers = [
        client_for("outsider").post(
            "/api/v1/meetings/series",
            content_type="application/json",
            data={**body, "tutor_ids": tutors, "trainee_ids": trainees},
        )
        for tutors, trainees in (
            ([cast.tutor_a.pk], [cast.trainee.pk]),  # A's people, whom C cannot see
            ([987654], [987655]),  # nobody
        )
    ]
    assert answers[0].status_code == answers[1].status_code == 400
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["errors"] == {"tutors": ["Not found."], "trainees": ["Not found."]}
    assert "Tom Tutor" not in answers[0].content.decode()
    assert "Tina Trainee" not in answers[0].content.decode()
