"""A trainee's insurance on file, and the stay at the host that cannot start without it when the
agreement says so (decision 093)."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tandem.agreements.models import Agreement
from tandem.core.models import AuditEvent
from tandem.cultivation import services
from tandem.cultivation.models import TraineeInsurance
from tandem.cultivation.services_training import trainee_insurance_record
from tandem.cultivation.tests.factories import cultivation_in

pytestmark = pytest.mark.django_db
# The cast's cultivation stays at the host B from 2026-09-01 until 2027-08-31.
BEFORE_THE_STAY = datetime.datetime(2026, 8, 20, 9, 0, tzinfo=datetime.UTC)


def _requires(cast, *, may_start_uninsured=False):
    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(
        insurance_required=True, stay_may_start_uninsured=may_start_uninsured
    )


def _insure(cast, cultivation, start, end, actor=None):
    return trainee_insurance_record(
        actor=actor or cast.coord_a,
        cultivation=cultivation,
        insurer="Ping An Health",
        policy_number="PA-2026-0042",
        valid_from=start,
        valid_until=end,
    )


def _activate(cast, cultivation):
    return services.cultivation_decide(
        actor=cast.coord_b, cultivation=cultivation, action="activate"
    )


@pytest.fixture
def frozen():
    with time_machine.travel(BEFORE_THE_STAY, tick=False):
        yield


def test_a_stay_without_the_required_insurance_is_refused(cast, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    with pytest.raises(ValidationError) as exc:
        _activate(cast, cultivation)
    message = " ".join(exc.value.messages)
    assert "requires insurance before a stay at the host starts" in message
    assert "Tina Trainee" in message and "2026-09-01" in message
    cultivation.refresh_from_db()
    assert cultivation.status == "approved"
    assert not AuditEvent.objects.filter(action="cultivation.activate").exists()


def test_the_refusal_reads_in_chinese(cast, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _activate(cast, cultivation)
    assert "请先备案保险" in " ".join(exc.value.messages)


def test_insurance_valid_on_the_first_day_lets_the_stay_start(cast, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    _insure(cast, cultivation, datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    _activate(cast, cultivation)
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)),  # ended the day before
        (datetime.date(2026, 9, 2), datetime.date(2027, 8, 31)),  # starts the day after
    ],
)
def test_insurance_is_checked_by_its_dates(cast, frozen, start, end):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    _insure(cast, cultivation, start, end)
    with pytest.raises(ValidationError):
        _activate(cast, cultivation)


def test_a_stay_already_under_way_needs_insurance_valid_today(cast):
    _requires(cast)
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC), tick=False):
        cultivation = cultivation_in(cast, "approved")
        _insure(cast, cultivation, datetime.date(2026, 10, 1), datetime.date(2027, 8, 31))
        _activate(cast, cultivation)  # no insurance on 1 September, but the stay starts now


def test_the_agreement_may_let_the_stay_start_without_it(cast, frozen):
    _requires(cast, may_start_uninsured=True)
    cultivation = cultivation_in(cast, "approved")
    _activate(cast, cultivation)
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_an_agreement_that_requires_nothing_is_unaffected(cast, frozen):
    cultivation = cultivation_in(cast, "approved")
    _activate(cast, cultivation)
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_recording_insurance_is_audited_outside_the_joint_records_history(cast):
    cultivation = cultivation_in(cast, "active")
    insurance = _insure(
        cast,
        cultivation,
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
        actor=cast.trainee,
    )
    assert insurance.trainee == cast.trainee and insurance.recorded_by == cast.trainee
    event = AuditEvent.objects.get(action="cultivation.insurance_record")
    assert event.target_id == str(insurance.pk)
    assert event.changes["policy_number"] == [None, "PA-2026-0042"]


@pytest.mark.parametrize("actor", ["tutor_a", "tutor_b", "outsider", "resident"])
def test_only_the_trainee_and_the_coordinators_record_it(cast, actor):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(PermissionDenied):
        _insure(
            cast,
            cultivation,
            datetime.date(2026, 9, 1),
            datetime.date(2027, 8, 31),
            actor=cast.actor(actor),
        )
    assert not TraineeInsurance.objects.exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("insurer", {"insurer": "  "}),
        ("policy_number", {"policy_number": ""}),
        ("valid_from", {"valid_from": None}),
        ("valid_until", {"valid_until": datetime.date(2026, 8, 31)}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, field, overrides):
    cultivation = cultivation_in(cast, "active")
    arguments = {
        "actor": cast.coord_a,
        "cultivation": cultivation,
        "insurer": "Ping An Health",
        "policy_number": "PA-1",
        "valid_from": datetime.date(2026, 9, 1),
        "valid_until": datetime.date(2027, 8, 31),
    } | overrides
    with pytest.raises(ValidationError) as exc:
        trainee_insurance_record(**arguments)
    assert field in exc.value.message_dict
    assert not TraineeInsurance.objects.exists()


# --- Pages and API -----------------------------------------------------------------------------


def test_detail_page_warns_before_activation_and_links_the_insurance(cast, client_for, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    text = client_for("coord_a").get(reverse("cultivation:detail", args=[cultivation.pk]))
    body = text.content.decode()
    assert "Record the insurance first" in body
    assert reverse("cultivation:insurance", args=[cultivation.pk]) in body
    # The tutors see the joint record, not the trainee's policies.
    body = client_for("tutor_a").get(reverse("cultivation:detail", args=[cultivation.pk]))
    assert reverse("cultivation:insurance", args=[cultivation.pk]) not in body.content.decode()


def test_activation_page_shows_the_refusal(cast, client_for, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    response = client_for("coord_b").post(
        reverse("cultivation:decide", args=[cultivation.pk, "activate"]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Record the insurance first" in response.content.decode()
    cultivation.refresh_from_db()
    assert cultivation.status == "approved"


def test_insurance_form_records_and_shows_bad_input(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    url = reverse("cultivation:insurance_add", args=[cultivation.pk])
    data = {
        "insurer": "Ping An Health",
        "policy_number": "PA-9",
        "valid_from": "2026-09-01",
        "valid_until": "2026-08-01",
    }
    client = client_for("trainee")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The policy must end on or after the day it starts." in response.content.decode()
    assert not TraineeInsurance.objects.exists()
    response = client.post(url, data | {"valid_until": "2027-08-31"})
    assert response.status_code == 302
    body = client.get(reverse("cultivation:insurance", args=[cultivation.pk])).content.decode()
    assert "PA-9" in body


def test_insurance_page_reads_in_chinese(cast, client_for, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("cultivation:insurance", args=[cultivation.pk])).content.decode()
    assert "没有已备案的保险" in body and "请先备案保险" in body


def test_api_records_and_lists_the_insurance(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    url = f"/api/v1/cultivation/{cultivation.pk}/insurance"
    body = {
        "insurer": "Ping An Health",
        "policy_number": "PA-7",
        "valid_from": "2026-09-01",
        "valid_until": "2027-08-31",
    }
    client = client_for("coord_b")
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert [i["policy_number"] for i in client.get(url).json()] == ["PA-7"]
    bad = client.post(url, data=json.dumps(body | {"insurer": ""}), content_type="application/json")
    assert bad.status_code == 400 and "insurer" in json.dumps(bad.json())
    assert client_for("tutor_a").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def test_api_activation_refusal_is_a_clear_400(cast, client_for, frozen):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    response = client_for("coord_b").post(
        f"/api/v1/cultivation/{cultivation.pk}/decide/activate",
        data=json.dumps({"reason": ""}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "insurance" in json.dumps(response.json())
