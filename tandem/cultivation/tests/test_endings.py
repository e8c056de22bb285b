"""Two-sided endings (decision 086): one side asks, the other confirms or declines; a one-sided
suspension lapses unless confirmed in time."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from tandem.cultivation import services, services_ending
from tandem.cultivation.tests.factories import cultivation_in

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC)


def _ask(cast, cultivation, action, actor=None, ground="other"):
    services.cultivation_decide(
        actor=actor or cast.coord_a,
        cultivation=cultivation,
        action=action,
        reason="Because",
        ground=ground,
    )
    return cultivation.ending_requests.get(status="requested")


def test_termination_waits_for_the_other_side(cast):
    cultivation = cultivation_in(cast, "active")
    ending = _ask(cast, cultivation, "terminate", ground="trainee_withdrew")
    cultivation.refresh_from_db()
    assert cultivation.status == "active"
    with pytest.raises(PermissionDenied):  # the asking side cannot confirm itself
        services_ending.ending_confirm(actor=cast.coord_a, ending=ending)
    services_ending.ending_confirm(actor=cast.coord_b, ending=ending)
    cultivation.refresh_from_db()
    assert cultivation.status == "terminated"


def test_decline_needs_a_reason_and_keeps_the_cultivation(cast):
    cultivation = cultivation_in(cast, "active")
    ending = _ask(cast, cultivation, "complete", ground="plan_completed")
    with pytest.raises(ValidationError) as error:
        services_ending.ending_decline(actor=cast.coord_b, ending=ending, reason="")
    assert "reason" in error.value.message_dict
    services_ending.ending_decline(actor=cast.coord_b, ending=ending, reason="Thesis not done")
    cultivation.refresh_from_db()
    ending.refresh_from_db()
    assert (cultivation.status, ending.status) == ("active", "declined")


def test_ground_must_fit_the_kind(cast):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(ValidationError) as error:
        _ask(cast, cultivation, "complete", ground="misconduct")
    assert "ground" in error.value.message_dict
    assert not cultivation.ending_requests.exists()


def test_admin_cannot_ask_alone(cast):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(PermissionDenied):
        _ask(cast, cultivation, "terminate", actor=cast.admin)


def test_one_open_request_at_a_time(cast):
    cultivation = cultivation_in(cast, "active")
    _ask(cast, cultivation, "complete", ground="plan_completed")
    with pytest.raises(ValidationError):
        _ask(cast, cultivation, "terminate", actor=cast.coord_b)


@override_settings(SUSPENSION_CONFIRM_DAYS=10)
def test_unconfirmed_suspension_lapses_after_the_deadline(cast):
    cultivation = cultivation_in(cast, "active")
    with time_machine.travel(T0, tick=False):
        ending = _ask(cast, cultivation, "suspend", ground="health")
        cultivation.refresh_from_db()
        assert cultivation.status == "suspended"
    with time_machine.travel(T0 + datetime.timedelta(days=9), tick=False):
        assert services_ending.suspensions_lapse() == 0
    with time_machine.travel(T0 + datetime.timedelta(days=10, hours=1), tick=False):
        assert services_ending.suspensions_lapse() == 1
    cultivation.refresh_from_db()
    ending.refresh_from_db()
    assert (cultivation.status, ending.status) == ("active", "lapsed")
    assert cultivation.decisions.last().kind == "resume"


@override_settings(SUSPENSION_CONFIRM_DAYS=10)
def test_confirmed_suspension_stands_past_the_deadline(cast):
    cultivation = cultivation_in(cast, "active")
    with time_machine.travel(T0, tick=False):
        ending = _ask(cast, cultivation, "suspend", ground="safety")
        services_ending.ending_confirm(actor=cast.coord_b, ending=ending)
    with time_machine.travel(T0 + datetime.timedelta(days=30), tick=False):
        assert services_ending.suspensions_lapse() == 0
    cultivation.refresh_from_db()
    assert cultivation.status == "suspended"


def test_declined_suspension_resumes(cast):
    cultivation = cultivation_in(cast, "active")
    ending = _ask(cast, cultivation, "suspend", ground="health")
    services_ending.ending_decline(actor=cast.coord_b, ending=ending, reason="Not urgent")
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_other_side_answers_on_the_page(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    url = reverse("cultivation:decide", args=[cultivation.pk, "terminate"])
    response = client_for("coord_a").post(url, {"ground": "other", "reason": "Lab closed"})
    assert response.status_code == 302
    detail = reverse("cultivation:detail", args=[cultivation.pk])
    assert "Send the answer" not in client_for("coord_a").get(detail).content.decode()
    page = client_for("coord_b").get(detail).content.decode()
    assert "Send the answer" in page and "Lab closed" in page
    ending = cultivation.ending_requests.get()
    answer = reverse("cultivation:ending_answer", args=[cultivation.pk, ending.pk])
    assert client_for("coord_a").post(answer, {"answer": "confirm"}).status_code == 403
    assert client_for("outsider").post(answer, {"answer": "confirm"}).status_code == 404
    # A termination is confirmed on its preview (decision 098).
    preview = reverse("cultivation:termination_preview", args=[cultivation.pk, ending.pk])
    response = client_for("coord_b").post(answer, {"answer": "confirm"})
    assert response.status_code == 302 and response["Location"] == preview
    cultivation.refresh_from_db()
    assert cultivation.status == "active"
    fingerprint = client_for("coord_b").get(preview).context["plan"].fingerprint
    client_for("coord_b").post(preview, {"fingerprint": fingerprint})
    cultivation.refresh_from_db()
    assert cultivation.status == "terminated"
