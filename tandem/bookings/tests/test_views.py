"""Pages: scoping (outsider 404, wrong role 403), booking through the form, the week view at
constant query count, exports, feeds and reports."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tandem.accounts.services_feed import calendar_feed_rotate
from tandem.bookings import services
from tandem.bookings.models import Booking, BookingStatus
from tandem.bookings.tests.factories import BookingFactory, slot
from tandem.bookings.tests.helpers import requested_booking, rules_for, started_booking

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_on_calendar_booking_and_detail(cast, client_for):
    rules_for(cast.resource_a)
    booking = requested_booking(cast)
    client = client_for("outsider")
    assert client.get(reverse("bookings:calendar", args=[cast.resource_a.pk])).status_code == 404
    assert client.get(reverse("bookings:create", args=[cast.resource_a.pk])).status_code == 404
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 404


def test_partner_without_agreement_neither_sees_nor_books(cast, client_for):
    rules_for(cast.resource_b_closed)  # B's, opened to nobody
    client = client_for("trainee")
    url = reverse("bookings:create", args=[cast.resource_b_closed.pk])
    assert client.get(url).status_code == 404
    assert "Flow cytometer" not in client.get(reverse("bookings:resources")).content.decode()


def test_wrong_role_gets_403(cast, client_for):
    rules_for(cast.resource_a)
    booking = requested_booking(cast)
    assert (
        client_for("coord_b").get(reverse("bookings:rules", args=[cast.resource_a.pk])).status_code
        == 403
    )
    assert (
        client_for("trainee").post(reverse("bookings:approve", args=[booking.pk])).status_code
        == 403
    )
    assert (
        client_for("coord_a").get(reverse("bookings:create", args=[cast.resource_a.pk])).status_code
        == 403
    )


def test_book_through_the_form_and_see_it_in_the_list(cast, client_for):
    rules_for(cast.resource_a)
    start, _end = slot(3, 9)
    client = client_for("tutor_b")
    response = client.post(
        reverse("bookings:create", args=[cast.resource_a.pk]),
        {
            "day": start.date().isoformat(),
            "start_time": "09:00",
            "end_time": "10:30",
            "purpose": "Live imaging",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{booking.pk}/")
    assert booking.agreement == cast.agreement_ab
    body = client.get(reverse("bookings:list")).content.decode()
    assert "Confocal microscope" in body


def test_bad_times_rerender_with_the_field_named_and_save_nothing(cast, client_for):
    rules_for(cast.resource_a)
    start, _end = slot(3, 9)
    response = client_for("trainee").post(
        reverse("bookings:create", args=[cast.resource_a.pk]),
        {"day": start.date().isoformat(), "start_time": "06:00", "end_time": "07:00"},
    )
    assert response.status_code == 400
    assert "open from 08:00 to 20:00" in response.content.decode()
    assert not Booking.objects.exists()


def test_overlap_is_refused_in_the_form(cast, client_for):
    booking = requested_booking(cast)
    local = timezone.localtime(booking.start)
    response = client_for("tutor_b").post(
        reverse("bookings:create", args=[cast.resource_a.pk]),
        {
            "day": local.date().isoformat(),
            "start_time": f"{local:%H:%M}",
            "end_time": f"{local + datetime.timedelta(minutes=30):%H:%M}",
        },
    )
    assert response.status_code == 400
    assert "overlaps another booking" in response.content.decode()


def test_owner_approves_and_marks(cast, client_for):
    booking = requested_booking(cast)
    client = client_for("coord_a")
    client.post(reverse("bookings:approve", args=[booking.pk]), {"note": "ok"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == cast.coord_a
    started = started_booking(cast)
    client.post(reverse("bookings:mark", args=[started.pk]), {"outcome": "no_show"})
    started.refresh_from_db()
    assert started.status == BookingStatus.NO_SHOW


def test_reject_without_a_reason_is_400(cast, client_for):
    booking = requested_booking(cast)
    response = client_for("coord_a").post(reverse("bookings:reject", args=[booking.pk]), {})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def _week_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_week_view_is_constant_query_and_swaps_with_htmx(cast, client_for):
    rules_for(cast.resource_a)
    client = client_for("tutor_b")
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    url = reverse("bookings:calendar", args=[cast.resource_a.pk]) + f"?week={monday}"
    client.get(url)  # warm the session and tenancy caches like any second request
    few, _ = _week_queries(client, url)

    def book(day_offset, hour):
        start = timezone.make_aware(
            datetime.datetime.combine(
                monday + datetime.timedelta(days=day_offset), datetime.time(hour)
            )
        )
        BookingFactory(
            resource=cast.resource_a,
            booked_by=cast.trainee,
            start=start,
            end=start + datetime.timedelta(hours=1),
            status=BookingStatus.CONFIRMED,
        )

    book(0, 9)
    for day in range(7):
        for hour in range(10, 19):
            book(day, hour)
    many, response = _week_queries(client, url)
    assert few == many
    body = response.content.decode()
    assert "Booked" in body and "Next week" in body
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "week-grid" in partial


def test_list_page_is_constant_query(cast, client_for):
    rules_for(cast.resource_a)
    client = client_for("coord_a")
    client.get(reverse("bookings:list"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("bookings:list"))
        return len(ctx.captured_queries)

    for i in range(3):
        requested_booking(cast, start=slot(5 + i, 10)[0], end=slot(5 + i, 11)[0])
    few = count()
    for i in range(30):
        requested_booking(cast, start=slot(10 + i, 10)[0], end=slot(10 + i, 11)[0])
    assert count() == few


def test_excel_export_lists_visible_bookings(cast, client_for):
    requested_booking(cast)
    response = client_for("coord_a").get(reverse("bookings:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Resource" and rows[1][1] == "Confocal microscope"
    outsider = client_for("outsider").get(reverse("bookings:export"))
    assert (
        len(list(openpyxl.load_workbook(io.BytesIO(outsider.content)).worksheets[0].iter_rows()))
        == 1
    )


def test_own_bookings_reach_the_calendar_feed_as_tentative_until_confirmed(cast, client_for):
    booking = requested_booking(cast)
    _feed, token = calendar_feed_rotate(actor=cast.trainee, scopes=["bookings"])
    response = client_for("anonymous").get(reverse("calendar_feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == booking.start
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["summary"]) == str(booking.resource)


def test_usage_report_counts_hours_used_and_utilisation(cast, client_for):
    rules_for(cast.resource_a)
    # At noon, so that the booking that began an hour ago lies inside today whenever the suite runs.
    noon = datetime.datetime.combine(timezone.localdate(), datetime.time(12))
    with time_machine.travel(timezone.make_aware(noon), tick=False):
        started = started_booking(cast)
        services.booking_mark(actor=cast.coord_a, booking=started, outcome="completed")
        today = timezone.localdate()
        response = client_for("coord_a").get(
            reverse("bookings:report"),
            {"group": "resource", "date_from": today.isoformat(), "date_to": today.isoformat()},
        )
    rows = response.context["rows"]
    assert len(rows) == 1 and rows[0].hours_used == 1
    assert rows[0].open_hours == 12 and rows[0].utilisation == Decimal("8.3")
    export = client_for("coord_a").get(reverse("bookings:report_export"), {"group": "agreement"})
    assert openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]["A1"].value


def test_rules_form_saves_opening_hours(cast, client_for):
    data = {
        "slot_minutes": 15,
        "max_booking_minutes": 60,
        "min_notice_hours": 0,
        "max_advance_days": 14,
        "cost_per_hour": "80.00",
        "opens_6": "09:00",
        "closes_6": "12:00",
    }
    response = client_for("coord_a").post(
        reverse("bookings:rules", args=[cast.resource_a.pk]), data
    )
    assert response.status_code == 302
    rules = cast.resource_a.booking_rules
    assert rules.opening_hours == {"6": ["09:00", "12:00"]} and not rules.approval_required


def test_slots_inside_the_notice_window_are_shown_as_not_bookable(cast, client_for):
    from urllib.parse import quote

    import time_machine

    # Wednesday 2 December 2026, 10:00 in Shanghai; 24 hours' notice.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)):
        rules_for(cast.resource_a, min_notice_hours=24, max_advance_days=60)
        url = reverse("bookings:calendar", args=[cast.resource_a.pk]) + "?week=2026-11-30"
        body = client_for("tutor_b").get(url).content.decode()
    soon = timezone.make_aware(datetime.datetime(2026, 12, 2, 14, 0))
    later = timezone.make_aware(datetime.datetime(2026, 12, 4, 14, 0))
    assert f"?start={quote(soon.isoformat(), safe='/')}" not in body
    assert f"?start={quote(later.isoformat(), safe='/')}" in body
    assert "Not bookable" in body and "Book at least 24 hours ahead." in body
