"""Every way a stay at the host comes to start on a running record checks the insurance its
agreement requires (decision 094): resuming, adding a stay, changing a stay's dates; later
host stays are flagged ahead by the early warning so the coordinators can act first."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.agreements.models import Agreement
from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification, Rule, WarningStatus
from tandem.alerts.texts import warning_text
from tandem.core.models import AuditEvent
from tandem.cultivation import services, services_stays
from tandem.cultivation.models import JointCultivation, Stay, TraineeInsurance
from tandem.cultivation.services_training import trainee_insurance_record
from tandem.cultivation.tests.factories import cultivation_in

pytestmark = pytest.mark.django_db
# The cast's record: home A → host B, planned 2026-09-01 – 2028-06-30, one host stay
# 2026-09-01 – 2027-08-31. Today is during that stay.
TODAY = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)
API = "/api/v1/cultivation"
SECOND = {"start": datetime.date(2027, 10, 1), "end": datetime.date(2028, 6, 30)}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def _requires(cast):
    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(
        insurance_required=True, stay_may_start_uninsured=False
    )


def _insure(cast, cultivation, start, end):
    return trainee_insurance_record(
        actor=cast.coord_a,
        cultivation=cultivation,
        insurer="Ping An Health",
        policy_number="PA-2026-0042",
        valid_from=start,
        valid_until=end,
    )


def _running(cast, status="active"):
    """Active (or `status`) with the first host stay insured; the agreement requires it."""
    _requires(cast)
    cultivation = cultivation_in(cast, status)
    _insure(cast, cultivation, datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    return cultivation


def _add_second(cast, cultivation, actor=None, **overrides):
    return services_stays.stay_add(
        actor=actor or cast.coord_a,
        cultivation=cultivation,
        **{"institution": cast.inst_b, **SECOND, **overrides},
    )


# --- adding and changing stays --------------------------------------------------------------


def test_a_second_host_stay_without_insurance_is_refused_and_nothing_saved(cast):
    cultivation = _running(cast)
    with pytest.raises(ValidationError) as exc:
        _add_second(cast, cultivation)
    message = " ".join(exc.value.message_dict["start"])
    assert "requires insurance before a stay at the host starts" in message
    assert "2027-10-01" in message
    assert cultivation.stays.count() == 1
    assert not AuditEvent.objects.filter(action="cultivation.stay_add").exists()


def test_a_second_host_stay_with_insurance_covering_its_first_day_is_added(cast):
    cultivation = _running(cast)
    _insure(cast, cultivation, datetime.date(2027, 9, 1), datetime.date(2028, 8, 31))
    stay = _add_second(cast, cultivation)
    assert stay.institution == cast.inst_b and cultivation.stays.count() == 2
    event = AuditEvent.objects.get(action="cultivation.stay_add")
    assert event.target_id == str(cultivation.pk) and event.changes["stays"][0] is None


def test_a_stay_at_home_needs_no_insurance(cast):
    cultivation = _running(cast)
    stay = _add_second(cast, cultivation, institution=cast.inst_a)
    assert stay.institution == cast.inst_a


def test_before_activation_a_stay_is_planned_freely_and_checked_when_it_starts(cast):
    _requires(cast)
    cultivation = cultivation_in(cast, "approved")
    _add_second(cast, cultivation)
    assert cultivation.stays.count() == 2


def test_moving_a_host_stay_past_the_end_of_its_insurance_is_refused(cast):
    cultivation = _running(cast)
    stay = cultivation.stays.get()
    with pytest.raises(ValidationError) as exc:
        services_stays.stay_change(
            actor=cast.coord_b,
            stay=stay,
            start=datetime.date(2027, 9, 1),
            end=datetime.date(2028, 6, 30),
        )
    assert "start" in exc.value.message_dict
    stay.refresh_from_db()
    assert stay.start == datetime.date(2026, 9, 1) and stay.end == datetime.date(2027, 8, 31)
    # Shortening it keeps its first day covered.
    services_stays.stay_change(
        actor=cast.coord_b, stay=stay, start=stay.start, end=datetime.date(2027, 6, 30)
    )
    stay.refresh_from_db()
    assert stay.end == datetime.date(2027, 6, 30)
    assert AuditEvent.objects.filter(action="cultivation.stay_change").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start": datetime.date(2027, 3, 1)}, "start"),  # overlaps the first stay
        ({"end": datetime.date(2028, 12, 31)}, "start"),  # beyond the planned period
        ({"end": datetime.date(2027, 9, 1)}, "end"),  # ends before it starts
        ({"institution": None}, "institution"),
        ({"start": None}, "start"),
    ],
)
def test_bad_stays_name_the_field(cast, overrides, field):
    cultivation = _running(cast)
    _insure(cast, cultivation, datetime.date(2027, 1, 1), datetime.date(2028, 12, 31))
    with pytest.raises(ValidationError) as exc:
        _add_second(cast, cultivation, **overrides)
    assert field in exc.value.message_dict
    assert cultivation.stays.count() == 1


@pytest.mark.parametrize("actor", ["tutor_a", "tutor_b", "trainee", "outsider"])
def test_only_those_who_manage_the_record_plan_stays(cast, actor):
    cultivation = _running(cast)
    with pytest.raises(PermissionDenied):
        _add_second(cast, cultivation, actor=cast.actor(actor))


def test_a_finished_record_keeps_its_stays(cast):
    cultivation = _running(cast)
    JointCultivation.objects.filter(pk=cultivation.pk).update(status="completed")
    with pytest.raises(ValidationError):
        _add_second(cast, cultivation)


# --- resuming -------------------------------------------------------------------------------


def test_resuming_into_a_host_stay_without_insurance_is_refused(cast):
    _requires(cast)
    cultivation = cultivation_in(cast, "suspended")
    with pytest.raises(ValidationError) as exc:
        services.cultivation_decide(
            actor=cast.coord_a, cultivation=cultivation, action="resume", reason="Back"
        )
    assert "requires insurance before a stay at the host starts" in " ".join(exc.value.messages)
    cultivation.refresh_from_db()
    assert cultivation.status == "suspended"
    _insure(cast, cultivation, datetime.date(2026, 9, 15), datetime.date(2027, 8, 31))
    services.cultivation_decide(
        actor=cast.coord_a, cultivation=cultivation, action="resume", reason="Back"
    )
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_resuming_between_stays_needs_no_insurance_yet(cast):
    _requires(cast)
    cultivation = cultivation_in(cast, "suspended")
    Stay.objects.filter(cultivation=cultivation).update(
        start=datetime.date(2027, 1, 1), end=datetime.date(2027, 8, 31)
    )
    services.cultivation_decide(
        actor=cast.coord_a, cultivation=cultivation, action="resume", reason="Back"
    )
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


# --- the early warning ----------------------------------------------------------------------


def _second_stay_uninsured(cast):
    cultivation = _running(cast)
    _insure(cast, cultivation, datetime.date(2027, 9, 1), datetime.date(2028, 8, 31))
    stay = _add_second(cast, cultivation)
    # The second policy turns out to start later (corrected at the insurer's): the stay is
    # now uninsured on its first day.
    TraineeInsurance.objects.filter(valid_from=datetime.date(2027, 9, 1)).update(
        valid_from=datetime.date(2027, 11, 1)
    )
    return cultivation, stay


def test_a_host_stay_starting_soon_without_insurance_is_flagged_then_closes(cast, frozen):
    cultivation, stay = _second_stay_uninsured(cast)
    evaluate()
    assert not EarlyWarning.objects.filter(rule=Rule.STAY_UNINSURED).exists()  # a year away
    frozen.move_to(datetime.datetime(2027, 9, 20, 9, 0, tzinfo=datetime.UTC))
    evaluate()
    warning = EarlyWarning.objects.get(rule=Rule.STAY_UNINSURED)
    assert warning.subject_id == stay.pk and not warning.is_urgent
    assert "starts on 2027-10-01" in warning_text(warning)
    told = set(Notification.objects.filter(warning=warning).values_list("user_id", flat=True))
    assert {cast.trainee.pk, cast.coord_a.pk, cast.coord_b.pk} <= told
    evaluate()
    assert EarlyWarning.objects.filter(rule=Rule.STAY_UNINSURED).count() == 1
    frozen.move_to(datetime.datetime(2027, 10, 2, 9, 0, tzinfo=datetime.UTC))
    evaluate()
    begun = EarlyWarning.objects.get(rule=Rule.STAY_UNINSURED, status=WarningStatus.OPEN)
    assert begun.is_urgent and "began on 2027-10-01" in warning_text(begun)
    _insure(cast, cultivation, datetime.date(2027, 10, 1), datetime.date(2028, 8, 31))
    evaluate()
    assert not EarlyWarning.objects.filter(
        rule=Rule.STAY_UNINSURED, status=WarningStatus.OPEN
    ).exists()


def test_no_warning_when_the_agreement_lets_the_stay_start_uninsured(cast, frozen):
    _second_stay_uninsured(cast)
    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(stay_may_start_uninsured=True)
    frozen.move_to(datetime.datetime(2027, 9, 20, 9, 0, tzinfo=datetime.UTC))
    evaluate()
    assert not EarlyWarning.objects.filter(rule=Rule.STAY_UNINSURED).exists()


# --- pages and the API ----------------------------------------------------------------------


def test_the_record_warns_the_coordinators_of_a_later_uninsured_host_stay(cast, client_for):
    cultivation, _stay = _second_stay_uninsured(cast)
    url = reverse("cultivation:detail", args=[cultivation.pk])
    assert "2027-10-01" in client_for("coord_b").get(url).content.decode()
    assert "requires insurance" not in client_for("tutor_a").get(url).content.decode()


def test_the_api_refuses_an_uninsured_host_stay_naming_the_field(cast, client_for):
    cultivation = _running(cast)
    client = client_for("coord_b")
    body = {"institution_id": cast.inst_b.pk, "start": "2027-10-01", "end": "2028-06-30"}
    url = f"{API}/{cultivation.pk}/stays"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "start" in refused.json()["errors"]
    _insure(cast, cultivation, datetime.date(2027, 9, 1), datetime.date(2028, 8, 31))
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["start"] == "2027-10-01"
    stay_id = made.json()["id"]
    moved = client.put(
        f"{url}/{stay_id}",
        {"start": "2027-10-01", "end": "2028-09-30"},
        content_type="application/json",
    )
    assert moved.status_code == 400 and "start" in moved.json()["errors"]
    outsider = client_for("outsider").post(url, body, content_type="application/json")
    assert outsider.status_code == 404
