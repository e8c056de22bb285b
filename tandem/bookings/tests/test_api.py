"""The API: same scoping and refusals as the pages."""

import pytest

from tandem.bookings.models import Booking
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import requested_booking, rules_for

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=body, content_type="application/json")


def test_outsider_gets_404_and_partner_without_agreement_cannot_book(cast, client_for):
    booking = requested_booking(cast)
    assert client_for("outsider").get(f"/api/v1/bookings/{booking.pk}").status_code == 404
    rules_for(cast.resource_b_closed)
    start, end = slot(3, 10)
    response = _post(
        client_for("trainee"),
        "/api/v1/bookings/",
        {
            "resource_id": cast.resource_b_closed.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    assert response.status_code == 404
    assert Booking.objects.count() == 1


def test_wrong_role_gets_403(cast, client_for):
    booking = requested_booking(cast)
    response = _post(client_for("trainee"), f"/api/v1/bookings/{booking.pk}/approve", {})
    assert response.status_code == 403


def test_bad_input_names_the_field_and_saves_nothing(cast, client_for):
    rules_for(cast.resource_a)
    start, end = slot(3, 10)
    response = _post(
        client_for("trainee"),
        "/api/v1/bookings/",
        {"resource_id": cast.resource_a.pk, "start": end.isoformat(), "end": start.isoformat()},
    )
    assert response.status_code == 400 and "end" in response.json()["errors"]
    assert not Booking.objects.exists()


def test_week_hides_who_booked_from_other_bookers(cast, client_for):
    booking = requested_booking(cast)
    week = slot(3, 14)[0].date().isoformat()
    url = f"/api/v1/bookings/resources/{cast.resource_a.pk}/week?week={week}"
    taken = client_for("tutor_b").get(url).json()["taken"]
    assert taken == [
        {
            "start": taken[0]["start"],
            "end": taken[0]["end"],
            "status": "requested",
            "booking_id": None,
        }
    ]
    assert client_for("coord_a").get(url).json()["taken"][0]["booking_id"] == booking.pk


def test_usage_report_is_for_coordinators(cast, client_for):
    assert client_for("trainee").get("/api/v1/bookings/reports/usage").status_code == 403
    response = client_for("coord_a").get("/api/v1/bookings/reports/usage?group=nonsense")
    assert response.status_code == 400 and "group" in response.json()["errors"]
