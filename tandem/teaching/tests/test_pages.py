"""The teaching pages: scheduling from the form, the teacher's code page on a frozen clock,
signing in on the page, corrections, a base director's reach, the attendance and statistics
pages at a fixed number of queries whatever the data, the Excel export and the feed."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.portal.views_feed import feed_calendar
from tandem.residency.tests.factories import make_base_director, make_resident
from tandem.teaching import codes
from tandem.teaching.models import Activity, Attendance, AttendanceStatus
from tandem.teaching.tests.factories import schedule

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(tw, residents: int, activities: int = 1) -> None:
    """More residents at the world's activity and more past activities of A1 with them
    (test data written in bulk: the services are tested elsewhere)."""
    cast = tw.world.cast
    people = [
        make_resident(cast, f"grown{Attendance.objects.count()}_{n}") for n in range(residents)
    ]
    Attendance.objects.bulk_create(
        Attendance(activity=tw.now, resident=person, status="present" if n % 2 else "expected")
        for n, person in enumerate(people)
    )
    for k in range(activities):
        start = tw.now.starts_at - datetime.timedelta(days=7 * (k + 1))
        activity = Activity.objects.create(
            department=tw.world.a1 if k % 2 else tw.world.a2,
            kind=tw.lecture,
            teacher=cast.tutor_a if k % 2 else cast.coord_a,
            topic=f"Topic {k}",
            place="Room",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            created_by=cast.coord_a,
        )
        Attendance.objects.bulk_create(
            Attendance(activity=activity, resident=person, status="present" if n % 3 else "excused")
            for n, person in enumerate(people)
        )


def test_schedule_a_weekly_round_from_the_form(tw, client_for):
    today = timezone.localdate()
    response = client_for("tutor_a").post(
        reverse("teaching:activity_new"),
        {
            "department": tw.world.a1.pk,
            "kind": tw.rounds.pk,
            "topic": "Heart failure",
            "teacher": tw.world.cast.tutor_a.pk,
            "place": "A1 seminar room",
            "date": today.isoformat(),
            "start_time": "07:30",
            "duration_minutes": "45",
            "repeat_weeks": "1",
            "until": (today + datetime.timedelta(weeks=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    series = Activity.objects.filter(topic="Heart failure")
    assert series.count() == 4
    assert len({a.series_id for a in series}) == 1
    assert len({a.secret for a in series}) == 4
    first = series.order_by("starts_at").first()
    assert set(first.attendances.values_list("resident__username", flat=True)) == {
        "resident",
        "resident2",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"until": "2020-01-01"}, "The last day comes before the first."),
        ({"until": ""}, "Give the last day of a recurring activity."),
        ({"duration_minutes": "600"}, "An activity lasts from 15 to 480 minutes."),
        ({"teacher": "stranger"}, "Choose a teacher of this department or of its hospital."),
    ],
)
def test_bad_schedule_is_refused_with_the_reason_and_nothing_saved(tw, client_for, change, message):
    stranger = UserFactory(username="nobody.teaches")
    data = {
        "department": tw.world.a1.pk,
        "kind": tw.rounds.pk,
        "topic": "Sepsis",
        "teacher": tw.world.cast.tutor_a.pk,
        "place": "A1 seminar room",
        "date": timezone.localdate().isoformat(),
        "start_time": "07:30",
        "duration_minutes": "45",
        "repeat_weeks": "1",
        "until": (timezone.localdate() + datetime.timedelta(weeks=3)).isoformat(),
        **change,
    }
    if data["teacher"] == "stranger":
        data["teacher"] = stranger.pk
        # A stranger is not even offered: the form says so in its own words.
        message = "Select a valid choice"
    response = client_for("coord_a").post(reverse("teaching:activity_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.filter(topic="Sepsis").exists()


def test_an_unqualified_teacher_is_refused_by_the_service(tw):
    from django.core.exceptions import ValidationError

    stranger = UserFactory(username="nobody.teaches")
    with pytest.raises(ValidationError, match="teacher of this department"):
        schedule(tw, starts_at=timezone.now(), teacher=stranger, topic="Sepsis")
    assert not Activity.objects.filter(topic="Sepsis").exists()


def test_the_code_page_shows_the_code_of_the_moment_and_changes_every_30_seconds(tw, client_for):
    client = client_for("tutor_a")
    url = reverse("teaching:activity_code", args=[tw.now.pk])
    moment = tw.now.starts_at + datetime.timedelta(minutes=5)
    with time_machine.travel(moment, tick=False) as traveller:
        page = client.get(url).content.decode()
        first = codes.current_code(tw.now.secret, moment)
        assert f"{first[:3]} {first[3:]}" in page
        assert "<svg" in page and 'hx-trigger="every 3s"' in page
        assert '<noscript><meta http-equiv="refresh"' in page
        traveller.shift(30)
        partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
        second = codes.current_code(tw.now.secret, moment + datetime.timedelta(seconds=30))
        assert second != first
        assert f"{second[:3]} {second[3:]}" in partial
        assert "<html" not in partial


def test_the_code_is_not_shown_outside_the_window(tw, client_for):
    later = tw.now.ends_at + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        page = client_for("tutor_a").get(reverse("teaching:activity_code", args=[tw.now.pk]))
    assert codes.current_code(tw.now.secret, later) not in page.content.decode()
    assert "The code is shown from" in page.content.decode()


def test_resident_signs_in_on_the_page_once(tw, client_for):
    client = client_for("resident")
    url = reverse("teaching:sign_in", args=[tw.now.pk])
    moment = tw.now.starts_at + datetime.timedelta(minutes=5)
    code = codes.current_code(tw.now.secret, moment)
    with time_machine.travel(moment, tick=False):
        form = client.get(f"{url}?code={code}").content.decode()
        assert f'value="{code}"' in form
        assert not Attendance.objects.filter(status="present").exists()  # a GET signs no one in
        assert client.post(url, {"code": code}).status_code == 302
        again = client.post(url, {"code": code})
    assert again.status_code == 400
    assert "You are signed in already" in again.content.decode()


def test_expired_code_on_the_page_says_so(tw, client_for):
    moment = tw.now.starts_at + datetime.timedelta(minutes=5)
    old = codes.current_code(tw.now.secret, moment - datetime.timedelta(minutes=2))
    with time_machine.travel(moment, tick=False):
        response = client_for("resident").post(
            reverse("teaching:sign_in", args=[tw.now.pk]), {"code": old}
        )
    assert response.status_code == 400
    assert "This code has expired" in response.content.decode()


def test_teacher_corrects_attendance_on_the_page(tw, client_for):
    response = client_for("tutor_a").post(
        reverse("teaching:attendance_correct", args=[tw.now.pk]),
        {"resident": tw.world.resident2.pk, "status": "excused", "reason": "Night shift"},
    )
    assert response.status_code == 302
    row = Attendance.objects.get(activity=tw.now, resident=tw.world.resident2)
    assert row.status == AttendanceStatus.EXCUSED and row.reason == "Night shift"
    page = client_for("tutor_a").get(reverse("teaching:activity_detail", args=[tw.now.pk]))
    assert "Night shift" in page.content.decode()


def test_a_base_director_manages_their_base_only(tw, client):
    director = make_base_director(tw.world)
    client.force_login(director)
    assert client.get(reverse("teaching:base_detail", args=[tw.world.base_a.pk])).status_code == 200
    assert client.get(reverse("teaching:base_detail", args=[tw.world.base_b.pk])).status_code == 404
    assert (
        client.post(
            reverse("teaching:kind_add", args=[tw.world.base_b.pk]), {"code": "x", "name": "X"}
        ).status_code
        == 404
    )
    assert client.get(reverse("teaching:activity_code", args=[tw.now.pk])).status_code == 200
    [at_b] = schedule(
        tw,
        starts_at=timezone.now(),
        department=tw.world.b1,
        teacher=tw.world.cast.tutor_b,
        actor=tw.world.cast.coord_b,
    )
    assert client.get(reverse("teaching:activity_detail", args=[at_b.pk])).status_code == 404
    body = {
        "department_id": tw.world.b1.pk,
        "kind_id": tw.lecture.pk,
        "teacher_id": tw.world.cast.tutor_b.pk,
        "topic": "Not mine",
        "place": "B",
        "date": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "duration_minutes": 30,
    }
    response = client.post("/api/v1/teaching/activities", body, content_type="application/json")
    assert response.status_code == 400
    assert not Activity.objects.filter(topic="Not mine").exists()


def test_outsider_gets_404_and_resident_403_on_the_code(tw, client_for):
    url = reverse("teaching:activity_code", args=[tw.now.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403


@pytest.mark.parametrize(
    ("actor", "url_of"),
    [
        ("tutor_a", lambda tw: reverse("teaching:activity_detail", args=[tw.now.pk])),
        ("coord_a", lambda tw: reverse("teaching:base_detail", args=[tw.world.base_a.pk])),
        ("resident", lambda tw: reverse("teaching:home")),
        ("tutor_a", lambda tw: reverse("teaching:activity_code", args=[tw.now.pk])),
    ],
)
def test_attendance_pages_issue_a_fixed_number_of_queries(tw, client_for, actor, url_of):
    client = client_for(actor)
    url = url_of(tw)
    client.get(url)  # warm up the session and the content types
    _grow(tw, 3, 2)
    small = _queries(client, url)
    _grow(tw, 30, 12)
    large = _queries(client, url)
    assert small == large


def test_base_statistics_count_attendance_per_department_teacher_and_resident(tw, client_for):
    _grow(tw, 3, 2)
    page = client_for("coord_a").get(reverse("teaching:base_detail", args=[tw.world.base_a.pk]))
    rows = {r["name"]: r for r in page.context["departments"]}
    # A1: the world's activity (2 expected, 1 of 3 grown present; walk-ins none) and one lecture.
    assert rows["A1 ward"]["activities"] == 2
    assert rows["A1 ward"]["expected"] == 5 + 2  # 5 at the activity, 2 not excused at the lecture
    teachers = {r["name"]: r for r in page.context["teachers"]}
    assert teachers["Tom Tutor"]["activities"] == 2


def test_attendance_in_excel(tw, client_for):
    response = client_for("coord_a").get(
        reverse("teaching:attendance_xlsx", args=[tw.world.base_a.pk])
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Day"
    assert {r[6] for r in rows[1:]} == {"Rui Resident", "Second Resident"}


def test_an_export_too_large_is_refused_with_the_count(tw, client_for, monkeypatch):
    from tandem.teaching import views_bases

    monkeypatch.setattr(views_bases, "EXPORT_MAX_ROWS", 1)
    response = client_for("coord_a").get(
        reverse("teaching:attendance_xlsx", args=[tw.world.base_a.pk]), follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "export at most 1 at a time" in text and "choose a shorter period" in text
    assert response.redirect_chain[-1][0].startswith(
        reverse("teaching:base_detail", args=[tw.world.base_a.pk])
    )


def feed_text(user) -> str:
    return feed_calendar(user, ["teaching"]).decode()


def test_the_activity_is_in_the_feed_of_teacher_and_audience(tw):
    assert "Community-acquired pneumonia" in feed_text(tw.world.cast.tutor_a)
    assert "Community-acquired pneumonia" in feed_text(tw.world.cast.resident)
    assert "Community-acquired pneumonia" not in feed_text(tw.world.cast.tutor_b)


def test_pages_read_in_chinese(tw, client_for):
    client = client_for("resident")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(
        reverse("teaching:activity_detail", args=[tw.now.pk]),
        headers={"Accept-Language": "zh-hans"},
    )
    assert "教学查房" in response.content.decode()


def test_a_resident_placed_there_after_the_audience_was_taken_can_sign_in(tw, client_for):
    Attendance.objects.filter(activity=tw.now, resident=tw.world.cast.resident).delete()
    client = client_for("resident")
    page = client.get(reverse("teaching:activity_detail", args=[tw.now.pk])).content.decode()
    assert "Code on the teacher" in page
    moment = tw.now.starts_at + datetime.timedelta(minutes=5)
    with time_machine.travel(moment, tick=False):
        response = client.post(
            reverse("teaching:sign_in", args=[tw.now.pk]),
            {"code": codes.current_code(tw.now.secret, moment)},
        )
    assert response.status_code == 302
    row = Attendance.objects.get(activity=tw.now, resident=tw.world.cast.resident)
    assert row.status == "present" and row.member_id == tw.world.member.pk
