"""The working-calendar pages: read by the consortium, edited by the own coordinators, bad
input refused with a message naming what is wrong, and a deadline moved by a holiday."""

import datetime

import pytest

from tandem.core.models import AuditEvent
from tandem.institutions.models import CalendarDay
from tandem.institutions.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_coordinator_adds_a_holiday_and_the_deadline_moves(cast, client_for):
    friday = datetime.date(2026, 10, 2)
    assert add_working_days(cast.inst_a, friday, 1) == datetime.date(2026, 10, 5)
    response = client_for("coord_a").post(
        f"/institutions/{cast.inst_a.pk}/calendar/",
        {"date": "2026-10-05", "kind": "holiday", "name": "National Day", "name_zh": "国庆节"},
    )
    assert response.status_code == 302
    assert add_working_days(cast.inst_a, friday, 1) == datetime.date(2026, 10, 6)
    assert AuditEvent.objects.filter(action="calendar_day.add").count() == 1
    page = client_for("tutor_b").get(f"/institutions/{cast.inst_a.pk}/calendar/")
    assert "National Day" in page.content.decode()


def test_partner_coordinator_cannot_edit(cast, client_for):
    response = client_for("coord_b").post(
        f"/institutions/{cast.inst_a.pk}/calendar/", {"date": "2026-10-05", "kind": "holiday"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_bad_dates_are_refused_with_a_message(cast, client_for):
    client = client_for("coord_a")
    for data, words in (
        ({"date": "2026-13-40", "kind": "holiday"}, "Give the date"),
        ({"date": "2026-10-03", "kind": "holiday"}, "weekend day already"),
        ({"date": "2026-10-05", "kind": "working_day"}, "Saturday or a Sunday"),
    ):
        response = client.post(f"/institutions/{cast.inst_a.pk}/calendar/", data, follow=True)
        assert words in response.content.decode()
    assert not CalendarDay.objects.exists()
