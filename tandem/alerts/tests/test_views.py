import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.alerts.models import EarlyWarning, Notification, WarningStatus, WarningThresholds
from tandem.alerts.tests.factories import active_cultivation, evaluate, open_warning
from tandem.core.models import AuditEvent
from tandem.cultivation.tests.factories import joint_trainee

NOW = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _warnings(cast, count, offset):
    for index in range(count):
        trainee = joint_trainee(cast, f"w{offset + index}")
        active_cultivation(cast, start=datetime.date(2026, 6, 1), trainee=trainee)
    with time_machine.travel(NOW, tick=False):
        evaluate()


@pytest.mark.parametrize(
    ("actor", "url"),
    [
        ("coord_a", "alerts:list"),
        ("tutor_b", "alerts:list"),
        ("admin", "alerts:overview"),
        ("tutor_a", "alerts:notifications"),
    ],
)
def test_pages_query_count_does_not_grow(cast, client_for, actor, url):
    client = client_for(actor)
    client.get(reverse(url))
    _warnings(cast, 2, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url)).status_code == 200
    _warnings(cast, 12, 2)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url)).status_code == 200
    assert len(small) == len(large)


def test_inbox_shows_the_warning_to_the_pair_but_not_the_trainee(cast, client_for):
    open_warning(cast)
    assert (
        "No progress report from Tina Trainee yet."
        in client_for("tutor_b").get(reverse("alerts:list")).content.decode()
    )
    for actor in ("trainee", "outsider"):
        assert (
            "No progress report from"
            not in client_for(actor).get(reverse("alerts:list")).content.decode()
        )


def test_resolve_without_a_note_is_400_and_changes_nothing(cast, client_for):
    warning = open_warning(cast)
    response = client_for("coord_a").post(
        reverse("alerts:resolve", args=[warning.pk]), {"note": ""}
    )
    assert response.status_code == 400
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_acknowledge_then_resolve_with_a_note_is_audited(cast, client_for):
    warning = open_warning(cast)
    client = client_for("tutor_b")
    client.post(reverse("alerts:acknowledge", args=[warning.pk]), {"note": "Calling her"})
    client.post(reverse("alerts:resolve", args=[warning.pk]), {"note": "Report received"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RESOLVED and warning.closed_at is not None
    assert warning.acknowledged_by == cast.tutor_b and warning.note == "Report received"
    assert set(
        AuditEvent.objects.filter(target_id=str(warning.pk)).values_list("action", flat=True)
    ) == {"warning.acknowledge", "warning.resolve"}


def test_a_resolved_warning_cannot_be_resolved_again(cast, client_for):
    warning = open_warning(cast)
    client = client_for("coord_a")
    client.post(reverse("alerts:resolve", args=[warning.pk]), {"note": "Done"})
    response = client.post(
        f"/api/v1/alerts/warnings/{warning.pk}/resolve",
        data={"note": "Again"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_thresholds_bad_value_is_400_and_saves_nothing(cast, client_for):
    response = client_for("coord_a").post(
        reverse("alerts:thresholds", args=[cast.inst_a.pk]),
        {
            "no_report_weeks": 0,
            "milestone_days": 14,
            "tutor_silence_weeks": 8,
            "action_overdue_days": 0,
            "absences_in_row": 3,
        },
    )
    assert response.status_code == 400
    assert not WarningThresholds.objects.exists()


def test_thresholds_api_names_the_field(cast, client_for):
    response = client_for("coord_a").patch(
        f"/api/v1/alerts/thresholds/{cast.inst_a.pk}",
        data={"absences_in_row": 50},
        content_type="application/json",
    )
    assert response.status_code == 400 and "absences_in_row" in response.json()["errors"]


def test_opening_a_notification_marks_it_read_and_goes_to_the_warning(cast, client_for):
    warning = open_warning(cast)
    notification = Notification.objects.get(user=cast.tutor_a)
    response = client_for("tutor_a").post(
        reverse("alerts:notification_read", args=[notification.pk])
    )
    assert response["Location"] == f"/alerts/{warning.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_notifications_page_in_chinese_speaks_chinese(cast, client_for):
    open_warning(cast)
    client = client_for("tutor_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("alerts:notifications"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "尚未提交进展报告" in body.content.decode()


def test_api_lists_only_visible_warnings(cast, client_for):
    open_warning(cast)
    assert len(client_for("coord_b").get("/api/v1/alerts/warnings").json()["items"]) == 1
    assert client_for("trainee").get("/api/v1/alerts/warnings").json()["items"] == []
    assert EarlyWarning.objects.count() == 1
