"""Pages: scoping of reports, query counts, HTMX partials, bad input."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.cultivation.tests.factories import joint_trainee
from tandem.meetings import services, services_log
from tandem.meetings.models import MeetingSeries, ProgressReport
from tandem.meetings.tests.factories import debriefing, make_series, report_for


def _second_trainee_report(cast, d):
    other = joint_trainee(cast, "other")
    services.participant_add(actor=cast.tutor_a, series=d.series, person=other, role="trainee")
    report_for(d.past, other, experimental_progress="Secret mouse model results")
    return other


def test_a_trainee_never_sees_another_trainees_report(cast, client_for):
    d = debriefing(cast)
    _second_trainee_report(cast, d)
    body = client_for("trainee").get(reverse("meetings:meeting_detail", args=[d.past.pk]))
    text = body.content.decode()
    assert "Western blots repeated" in text
    assert "Secret mouse model results" not in text
    api = client_for("trainee").get(f"/api/v1/meetings/meetings/{d.past.pk}/reports").json()
    assert [r["trainee_id"] for r in api] == [cast.trainee.pk]


def test_the_second_tutor_sees_all_reports_of_their_trainee_without_being_invited(cast, client_for):
    d = debriefing(cast)
    later = d.series.meetings.filter(starts_at__gt=d.past.starts_at).order_by("starts_at")[0]
    report_for(later, cast.trainee, experimental_progress="Second report")
    seen = set()
    for meeting in (d.past, later):
        text = (
            client_for("tutor_b")
            .get(reverse("meetings:meeting_detail", args=[meeting.pk]))
            .content.decode()
        )
        seen |= {s for s in ("Western blots repeated", "Second report") if s in text}
    assert seen == {"Western blots repeated", "Second report"}
    assert not d.series.participants.filter(user=cast.tutor_b).exists()


def test_the_second_tutor_sees_the_other_trainee_only_through_the_series_tutors(cast, client_for):
    d = debriefing(cast)
    _second_trainee_report(cast, d)
    text = (
        client_for("tutor_b")
        .get(reverse("meetings:meeting_detail", args=[d.past.pk]))
        .content.decode()
    )
    assert "Secret mouse model results" not in text  # not tutor_b's trainee
    assert (
        "Secret mouse model results"
        in client_for("tutor_a")
        .get(reverse("meetings:meeting_detail", args=[d.past.pk]))
        .content.decode()
    )


def test_outsider_gets_404_and_wrong_role_gets_403(cast, client_for):
    d = debriefing(cast)
    assert (
        client_for("outsider").get(reverse("meetings:meeting_detail", args=[d.past.pk])).status_code
        == 404
    )
    response = client_for("trainee").post(
        reverse("meetings:action_create", args=[d.past.pk]),
        {"title": "x", "owner": cast.trainee.pk, "due_date": "2030-01-01"},
    )
    assert response.status_code == 403


def test_bad_report_post_is_400_and_names_the_field(cast, client_for):
    d = debriefing(cast)
    response = client_for("trainee").post(
        reverse("meetings:report_submit", args=[d.upcoming.pk]),
        {"experimental_progress": "", "dissertation_progress": "x", "next_steps": "y"},
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ProgressReport.objects.filter(meeting=d.upcoming).exists()


def test_report_with_files_can_be_downloaded_by_the_tutor(cast, client_for):
    d = debriefing(cast)
    attachment = d.report.attachments.get()
    response = client_for("tutor_b").get(
        reverse("meetings:attachment_download", args=[d.report.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"lane 1: control"


def _many_series(cast, count):
    for index in range(count):
        make_series(cast, title=f"Series {index}", until_days=28)


@pytest.mark.parametrize("actor", ["tutor_a", "coord_a", "admin"])
def test_series_list_query_count_does_not_grow(cast, client_for, actor):
    client = client_for(actor)
    client.get(reverse("meetings:list"))
    _many_series(cast, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("meetings:list")).status_code == 200
    _many_series(cast, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("meetings:list")).status_code == 200
    assert len(small) == len(large)


def test_contact_list_query_count_does_not_grow(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_b")
    client.get(reverse("meetings:contact_list"))

    def log(count):
        for index in range(count):
            services_log.contact_log(
                actor=cast.tutor_a,
                cultivation=d.cultivation,
                kind="tutor_tutor",
                date=timezone.localdate(),
                channel="phone",
                topic=f"Call {index}",
            )

    log(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("meetings:contact_list")).status_code == 200
    log(20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("meetings:contact_list"))
    assert len(small) == len(large)
    assert "Call 0" in response.content.decode()  # the second tutor sees the pair talk


def test_meeting_page_query_count_does_not_grow_with_reports(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_a")
    url = reverse("meetings:meeting_detail", args=[d.past.pk])
    client.get(url)

    def add(count, offset):
        for index in range(count):
            trainee = joint_trainee(cast, f"t{offset + index}")
            services.participant_add(
                actor=cast.tutor_a, series=d.series, person=trainee, role="trainee"
            )
            report_for(d.past, trainee)

    add(2, 0)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(10, 2)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_list_htmx_returns_the_results_partial(cast, client_for):
    debriefing(cast)
    response = client_for("tutor_a").get(reverse("meetings:list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Oncology debriefing" in response.content


def test_series_create_page_schedules_and_redirects(cast, client_for):
    first = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for("tutor_a").post(
        reverse("meetings:series_create"),
        {
            "title": "Lab meeting",
            "institution": cast.inst_a.pk,
            "time_zone": "Asia/Shanghai",
            "first_date": first.isoformat(),
            "start_time": "09:30",
            "duration_minutes": 60,
            "interval_weeks": 1,
            "until": (first + datetime.timedelta(days=21)).isoformat(),
            "mode": "onsite",
            "location": "Room 1",
            "trainees": [cast.trainee.pk],
            "tutors": [cast.tutor_b.pk],
        },
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get(title="Lab meeting")
    assert series.meetings.count() == 4
    assert set(series.participants.values_list("user__username", flat=True)) == {
        "trainee",
        "tutor_b",
    }


def test_calendar_feed_is_valid_icalendar_with_rrule_timezone_and_cancellation(cast, client_for):
    d = debriefing(cast)
    d.upcoming.series = MeetingSeries.objects.prefetch_related("participants").get(pk=d.series.pk)
    services.meeting_cancel(actor=cast.tutor_a, meeting=d.upcoming, reason="Holiday")
    response = client_for("anonymous").get(reverse("calendar_feed", args=[d.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event, cancelled] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Shanghai" and start.hour == 14
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2]
    assert rule["UNTIL"][0].tzinfo is not None
    # The cancelled occurrence: same UID, named by RECURRENCE-ID, a higher SEQUENCE.
    assert str(cancelled["UID"]) == str(event["UID"]) == f"meeting-series-{d.series.pk}@tandem"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.decoded("RECURRENCE-ID").astimezone(datetime.UTC) == d.upcoming.starts_at
    assert int(cancelled["SEQUENCE"]) > int(event["SEQUENCE"])
    # Expanding the rule gives exactly the series' meetings.
    from dateutil.rrule import rrulestr

    expanded = list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    assert len(expanded) == d.series.meetings.count()


def test_minutes_pdf_in_both_languages(cast, client_for):
    import shutil
    import subprocess

    d = debriefing(cast)
    client = client_for("tutor_a")
    for language, expected in (
        ("en", "Minutes of the progress debriefing"),
        ("zh-hans", "进展汇报会纪要"),
    ):
        response = client.get(reverse("meetings:minutes_pdf", args=[d.past.pk]), {"lang": language})
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF") and len(response.content) > 5000
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
            ).stdout.decode()
            assert expected in text
            assert "Western blots repeated" in text


def _many_trainees(cast, count):
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    people = []
    for n in range(count):
        person = UserFactory(username=f"many_{n:02d}", full_name=f"Many Trainee {n:02d}")
        MembershipFactory(user=person, role="trainee", institution=cast.inst_a)
        people.append(person)
    return people


def test_series_form_searches_people_instead_of_listing_them_all(cast, client_for):
    people = _many_trainees(cast, 30)
    client = client_for("tutor_a")
    body = client.get(reverse("meetings:series_create")).content.decode()
    assert "Many Trainee" not in body and 'name="trainees_q"' in body
    url = reverse("meetings:person_search")
    found = client.get(
        url,
        {"form": "series", "field": "trainees", "trainees_q": "trainee 0"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in found
    assert f'name="trainees" value="{people[3].pk}"' in found
    assert "Many Trainee 12" not in found
    assert client.get(url, {"form": "series", "field": "nope"}).status_code == 404
    refused = client_for("trainee").get(url, {"form": "series", "field": "trainees"})
    assert refused.status_code == 403


def test_series_search_without_javascript_keeps_the_input_and_saves_nothing(cast, client_for):
    people = _many_trainees(cast, 3)
    response = client_for("tutor_a").post(
        reverse("meetings:series_create"),
        {
            "title": "Lab meeting",
            "institution": cast.inst_a.pk,
            "time_zone": "Asia/Shanghai",
            "tutors": [cast.tutor_b.pk],
            "trainees_q": "Many Trainee 01",
            "trainees_search": "1",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Lab meeting"' in body
    assert f'name="tutors" value="{cast.tutor_b.pk}" checked' in body
    assert f'name="trainees" value="{people[1].pk}"' in body
    assert 'id="error-summary"' not in body
    assert not MeetingSeries.objects.filter(title="Lab meeting").exists()


def test_invite_form_searches_people(cast, client_for):
    d = debriefing(cast)
    url = reverse("meetings:participant_add", args=[d.series.pk])
    body = (
        client_for("tutor_a")
        .post(
            url,
            {
                "person_q": cast.resident.full_name,
                "person_search": "1",
                "role": "trainee",
            },
        )
        .content.decode()
    )
    assert f'type="radio" name="person" value="{cast.resident.pk}"' in body
    response = client_for("tutor_a").post(url, {"person": cast.resident.pk, "role": "trainee"})
    assert response.status_code == 302
