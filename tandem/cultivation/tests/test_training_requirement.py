"""The tutor training requirement (decision 092): set by an institution's coordinator, checked
whenever a tutor takes on a new joint trainee, and tutors short of it listed for the coordinator."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import TutorProfile
from tandem.accounts.tests.factories import MembershipFactory, TutorProfileFactory, UserFactory
from tandem.core.models import AuditEvent
from tandem.cultivation import rules_training, selectors_training, services
from tandem.cultivation.models import (
    TutorAssignment,
    TutorChangeRequest,
    TutorTraining,
    TutorTrainingRequirement,
)
from tandem.cultivation.services_training import tutor_training_requirement_set
from tandem.cultivation.services_tutor import (
    tutor_assign,
    tutor_change_approve,
    tutor_change_request,
)
from tandem.cultivation.tests.factories import (
    JointCultivationFactory,
    TutorAssignmentFactory,
    cultivation_in,
)

pytestmark = pytest.mark.django_db
COURSE = "Supervising joint trainees"
NOW = datetime.datetime(2026, 10, 15, 9, 0, tzinfo=datetime.UTC)


def _require(cast, institution, *, actor=None, courses=(COURSE,), hours="8", months=12):
    return tutor_training_requirement_set(
        actor=actor or (cast.coord_a if institution == cast.inst_a else cast.coord_b),
        institution=institution,
        hours_per_period=hours,
        period_start_month=9,
        mandatory_courses="\n".join(courses),
        new_tutor_months=months,
    )


def _train(cast, tutor, course=COURSE, hours="4", date=datetime.date(2026, 9, 20)):
    return TutorTraining.objects.create(
        tutor=tutor, course=course, hours=Decimal(hours), date=date, recorded_by=cast.coord_a
    )


def _unpaired(cast):
    TutorProfile.objects.filter(user=cast.tutor_b).update(qualification="doctoral")
    return cultivation_in(cast, "approved", paired=False)


def _new_tutor_at_a(cast):
    user = UserFactory(username="tutor_new", full_name="Nina New")
    MembershipFactory(user=user, role="tutor", institution=cast.inst_a)
    TutorProfileFactory(user=user, qualification="doctoral")
    return user


def _message(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


# --- Setting the requirement ----------------------------------------------------------------


def test_coordinator_sets_the_requirement_and_it_is_audited(cast):
    requirement = _require(cast, cast.inst_a, courses=(COURSE, "  Research  ethics ", COURSE))
    assert requirement.hours_per_period == Decimal("8")
    assert requirement.course_list == [COURSE, "Research ethics"]
    event = AuditEvent.objects.get(action="cultivation.training_requirement_set")
    assert event.actor == cast.coord_a
    assert event.changes["hours_per_period"] == [None, "8.0"]
    _require(cast, cast.inst_a, courses=(COURSE, "Research ethics"), hours="12")
    assert TutorTrainingRequirement.objects.get(institution=cast.inst_a).hours_per_period == 12
    changed = (
        AuditEvent.objects.filter(action="cultivation.training_requirement_set")
        .order_by("id")
        .last()
    )
    assert changed.changes == {"hours_per_period": ["8.0", "12.0"]}


@pytest.mark.parametrize("actor", ["tutor_a", "trainee", "coord_b", "outsider"])
def test_only_the_institutions_coordinator_or_admin_sets_it(cast, actor):
    with pytest.raises(PermissionDenied):
        _require(cast, cast.inst_a, actor=cast.actor(actor))
    assert not TutorTrainingRequirement.objects.exists()
    _require(cast, cast.inst_a, actor=cast.admin)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("hours_per_period", {"hours_per_period": "-1"}),
        ("hours_per_period", {"hours_per_period": "many"}),
        ("hours_per_period", {"hours_per_period": "2.25"}),
        ("hours_per_period", {"hours_per_period": "NaN"}),
        ("period_start_month", {"period_start_month": 13}),
        ("new_tutor_months", {"new_tutor_months": 500}),
        ("mandatory_courses", {"mandatory_courses": "x" * 201}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, field, overrides):
    arguments = {
        "actor": cast.coord_a,
        "institution": cast.inst_a,
        "hours_per_period": "8",
        "period_start_month": 9,
        "mandatory_courses": COURSE,
        "new_tutor_months": 12,
    } | overrides
    with pytest.raises(ValidationError) as exc:
        tutor_training_requirement_set(**arguments)
    assert field in exc.value.message_dict
    assert not TutorTrainingRequirement.objects.exists()
    assert not AuditEvent.objects.filter(action="cultivation.training_requirement_set").exists()


# --- Taking on a new joint trainee ------------------------------------------------------------


def test_new_tutor_without_the_mandatory_course_is_refused_with_the_course_named(cast):
    _require(cast, cast.inst_b)
    cultivation = _unpaired(cast)
    with pytest.raises(ValidationError) as exc:
        tutor_assign(
            actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )
    message = _message(exc, "tutor")
    assert "Tess Tutor is a new tutor" in message and f"\u201c{COURSE}\u201d" in message
    assert not TutorAssignment.objects.filter(cultivation=cultivation).exists()


def test_the_refusal_reads_in_chinese(cast):
    _require(cast, cast.inst_b)
    cultivation = _unpaired(cast)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        tutor_assign(
            actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )
    message = _message(exc, "tutor")
    assert "的新导师" in message and "必修课程" in message and COURSE in message


def test_the_course_done_lets_the_new_tutor_take_the_trainee(cast):
    _require(cast, cast.inst_b)
    cultivation = _unpaired(cast)
    _train(cast, cast.tutor_b, course="supervising  JOINT trainees")  # matched whatever the case
    assignment = tutor_assign(
        actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
    )
    assert assignment.tutor == cast.tutor_b


def test_only_the_tutors_own_institution_requirement_applies(cast):
    _require(cast, cast.inst_a)  # tutor_b is a tutor at B, which sets nothing
    cultivation = _unpaired(cast)
    tutor_assign(
        actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
    )


def _earlier_trainee_of(cast, tutor, started_at):
    earlier = JointCultivationFactory(
        agreement=cast.agreement_ab,
        home=cast.inst_a,
        host=cast.inst_b,
        status="completed",
        quota_year=2024,
        planned_start=datetime.date(2024, 9, 1),
        planned_end=datetime.date(2025, 6, 30),
    )
    TutorAssignmentFactory(
        cultivation=earlier,
        tutor=tutor,
        institution=cast.inst_b,
        quota_year=2024,
        started_at=started_at,
        ended_at=started_at + datetime.timedelta(days=300),
    )


def test_a_tutor_is_no_longer_new_after_the_months_the_institution_sets(cast):
    with time_machine.travel(NOW, tick=False):
        _require(cast, cast.inst_b, months=12)
        _earlier_trainee_of(cast, cast.tutor_b, NOW - datetime.timedelta(days=400))
        cultivation = _unpaired(cast)
        tutor_assign(
            actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )


def test_a_tutor_whose_first_trainee_is_recent_is_still_new(cast):
    with time_machine.travel(NOW, tick=False):
        _require(cast, cast.inst_b, months=12)
        _earlier_trainee_of(cast, cast.tutor_b, NOW - datetime.timedelta(days=100))
        cultivation = _unpaired(cast)
        with pytest.raises(ValidationError):
            tutor_assign(
                actor=cast.coord_b,
                cultivation=cultivation,
                tutor=cast.tutor_b,
                role="experimental",
            )


def test_with_zero_months_only_a_tutor_who_never_tutored_is_new(cast):
    with time_machine.travel(NOW, tick=False):
        _require(cast, cast.inst_b, months=0)
        _earlier_trainee_of(cast, cast.tutor_b, NOW - datetime.timedelta(days=5))
        cultivation = _unpaired(cast)
        tutor_assign(
            actor=cast.coord_b, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )


def test_a_change_of_tutor_to_a_new_tutor_without_the_course_is_refused(cast):
    cultivation = cultivation_in(cast, "active")
    _require(cast, cast.inst_a)
    newcomer = _new_tutor_at_a(cast)
    with pytest.raises(ValidationError) as exc:
        tutor_change_request(
            actor=cast.coord_a,
            cultivation=cultivation,
            role="theoretical",
            new_tutor=newcomer,
            reason="Retirement",
        )
    assert COURSE in _message(exc, "new_tutor")
    assert not TutorChangeRequest.objects.exists()


def test_approving_a_change_checks_the_course_again_and_applies_nothing(cast):
    cultivation = cultivation_in(cast, "active")
    newcomer = _new_tutor_at_a(cast)
    change = tutor_change_request(
        actor=cast.coord_a,
        cultivation=cultivation,
        role="theoretical",
        new_tutor=newcomer,
        reason="Retirement",
    )
    _require(cast, cast.inst_a)  # set while the request waits
    tutor_change_approve(actor=cast.coord_a, change=change)
    with pytest.raises(ValidationError) as exc:
        tutor_change_approve(actor=cast.coord_b, change=change)
    assert "Nina New is a new tutor" in _message(exc, "new_tutor")
    change.refresh_from_db()
    assert change.status == "requested" and change.host_approved_by is None
    current = TutorAssignment.objects.get(
        cultivation=cultivation, role="theoretical", ended_at__isnull=True
    )
    assert current.tutor == cast.tutor_a
    _train(cast, newcomer)
    tutor_change_approve(actor=cast.coord_b, change=change)
    change.refresh_from_db()
    assert change.status == "approved"


def test_existing_trainees_are_unaffected(cast):
    cultivation = cultivation_in(cast, "approved")  # tutor_a is theoretical, new and untrained
    _require(cast, cast.inst_a)
    services.cultivation_decide(actor=cast.coord_a, cultivation=cultivation, action="activate")
    cultivation.refresh_from_db()
    assert cultivation.status == "active"
    assert TutorAssignment.objects.filter(
        cultivation=cultivation, tutor=cast.tutor_a, ended_at__isnull=True
    ).exists()
    # ...but the coordinator sees that tutor_a lacks the course.
    status = selectors_training.tutor_training_status(cast.inst_a)
    row = next(r for r in status["short"] if r["tutor"] == cast.tutor_a)
    assert row["missing_courses"] == [COURSE]


# --- Tutors short of the requirement ----------------------------------------------------------


def test_hours_count_in_the_current_academic_year_only(cast):
    with time_machine.travel(NOW, tick=False):
        _require(cast, cast.inst_a, courses=(), hours="8")
        _train(cast, cast.tutor_a, course="Old course", hours="10", date=datetime.date(2026, 8, 31))
        _train(cast, cast.tutor_a, course="Mentoring", hours="5", date=datetime.date(2026, 9, 1))
        status = selectors_training.tutor_training_status(cast.inst_a)
        assert status["period"] == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
        row = next(r for r in status["short"] if r["tutor"] == cast.tutor_a)
        assert row["hours"] == Decimal("5") and row["hours_short"] == Decimal("3")
        _train(cast, cast.tutor_a, course="Mentoring 2", hours="3", date=datetime.date(2026, 10, 1))
        status = selectors_training.tutor_training_status(cast.inst_a)
        assert cast.tutor_a not in [r["tutor"] for r in status["short"]]


def test_only_tutors_of_the_institution_are_listed(cast):
    _require(cast, cast.inst_a)
    listed = [r["tutor"] for r in selectors_training.tutor_training_status(cast.inst_a)["rows"]]
    assert cast.tutor_a in listed and cast.tutor_b not in listed


def test_period_bounds_and_months():
    assert rules_training.period_bounds(9, datetime.date(2027, 3, 1)) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 9, 1),
    )
    assert rules_training.period_bounds(1, datetime.date(2027, 3, 1))[0] == datetime.date(
        2027, 1, 1
    )
    moment = datetime.datetime(2026, 1, 31, tzinfo=datetime.UTC)
    assert rules_training.add_months(moment, 1).date() == datetime.date(2026, 2, 28)
    assert rules_training.add_months(moment, 13).date() == datetime.date(2027, 2, 28)


# --- Pages and API -----------------------------------------------------------------------------


def test_coordinator_page_lists_the_tutors_short_of_it(cast, client_for):
    _require(cast, cast.inst_a)
    body = client_for("coord_a").get(
        reverse("cultivation:training_requirement", args=[cast.inst_a.pk])
    )
    text = body.content.decode()
    assert "Tom Tutor" in text and COURSE in text


def test_coordinator_page_reads_in_chinese(cast, client_for):
    _require(cast, cast.inst_a)
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    text = client.get(
        reverse("cultivation:training_requirement", args=[cast.inst_a.pk])
    ).content.decode()
    assert "未达到要求的导师" in text and "新导师" in text


def test_dashboard_flags_the_tutors_short_of_it(cast, client_for):
    _require(cast, cast.inst_a)
    text = client_for("coord_a").get(reverse("dashboard")).content.decode()
    assert "1 tutor short of the requirement" in text


def test_form_sets_the_requirement_and_shows_bad_input(cast, client_for):
    url = reverse("cultivation:training_requirement_edit", args=[cast.inst_a.pk])
    client = client_for("coord_a")
    data = {
        "hours_per_period": "6",
        "period_start_month": "13",
        "mandatory_courses": COURSE,
        "new_tutor_months": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not TutorTrainingRequirement.objects.exists()
    response = client.post(url, data | {"period_start_month": "9"})
    assert response.status_code == 302
    assert TutorTrainingRequirement.objects.get(institution=cast.inst_a).course_list == [COURSE]


def test_api_sets_and_reads_the_requirement(cast, client_for):
    url = f"/api/v1/cultivation/institutions/{cast.inst_a.pk}/tutor-training"
    client = client_for("coord_a")
    assert client.get(url).status_code == 404  # none set yet
    body = {"hours_per_period": "8", "mandatory_courses": [COURSE], "new_tutor_months": 6}
    response = client.put(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    out = client.get(url).json()
    assert out["mandatory_courses"] == [COURSE] and out["new_tutor_months"] == 6
    assert cast.tutor_a.pk in [row["tutor_id"] for row in out["tutors_short"]]
    bad = client.put(
        url, data=json.dumps(body | {"period_start_month": 0}), content_type="application/json"
    )
    assert bad.status_code == 400 and "period_start_month" in json.dumps(bad.json())


def test_api_refuses_the_wrong_role(cast, client_for):
    url = f"/api/v1/cultivation/institutions/{cast.inst_a.pk}/tutor-training"
    body = {"hours_per_period": "8"}
    for actor in ("tutor_a", "coord_b", "outsider"):
        response = client_for(actor).put(
            url, data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 403


def test_api_refusal_of_a_new_tutor_names_the_course(cast, client_for):
    _require(cast, cast.inst_b)
    cultivation = _unpaired(cast)
    response = client_for("coord_b").post(
        f"/api/v1/cultivation/{cultivation.pk}/tutors",
        data=json.dumps({"tutor_id": cast.tutor_b.pk, "role": "experimental"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert COURSE in json.dumps(response.json())


def test_the_tutor_sees_where_they_stand_on_their_trainings_page(cast, client_for):
    with time_machine.travel(NOW, tick=False):
        _require(cast, cast.inst_a)
        _train(cast, cast.tutor_a, course="Mentoring", hours="5", date=datetime.date(2026, 9, 2))
        client = client_for("tutor_a")
        url = reverse("cultivation:trainings", args=[cast.tutor_a.pk])
        text = client.get(url).content.decode()
        assert "5 of 8 training hours this year" in text
        assert "do these mandatory courses before taking on a new joint trainee" in text
        assert COURSE in text
        client.cookies["django_language"] = "zh-hans"
        text = client.get(url).content.decode()
        assert "新导师" in text and "培训学时" in text


def _more_tutors_at_a(cast, count, start):
    for index in range(start, start + count):
        user = UserFactory(username=f"bulk_tutor_{index}", full_name=f"Bulk Tutor {index}")
        MembershipFactory(user=user, role="tutor", institution=cast.inst_a)
        _train(cast, user, course=f"Course {index}", hours="1")


def test_requirement_page_query_count_does_not_grow_with_tutors(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _require(cast, cast.inst_a)
    client = client_for("coord_a")
    url = reverse("cultivation:training_requirement", args=[cast.inst_a.pk])
    client.get(url)
    _more_tutors_at_a(cast, 2, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_tutors_at_a(cast, 15, 2)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url)
    assert "Bulk Tutor 16" in body.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_pairing_page_shows_the_refusal_in_both_languages(cast, client_for):
    _require(cast, cast.inst_b)
    cultivation = _unpaired(cast)
    url = reverse("cultivation:tutor_assign", args=[cultivation.pk])
    data = {"role": "experimental", "tutor": cast.tutor_b.pk}
    client = client_for("coord_b")
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"has not done the mandatory course \u201c{COURSE}\u201d" in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    response = client.post(url, data)
    assert "尚未完成必修课程" in response.content.decode()
    assert not TutorAssignment.objects.filter(cultivation=cultivation).exists()


def test_change_request_page_shows_the_refusal(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    _require(cast, cast.inst_a)
    newcomer = _new_tutor_at_a(cast)
    response = client_for("coord_a").post(
        reverse("cultivation:change_request", args=[cultivation.pk]),
        {"role": "theoretical", "new_tutor": newcomer.pk, "reason": "Retirement"},
    )
    assert response.status_code == 400
    assert "Nina New is a new tutor" in response.content.decode()
    assert not TutorChangeRequest.objects.exists()
