import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.cultivation.tests.factories import JointCultivationFactory, TutorAssignmentFactory
from tandem.plans import selectors, services
from tandem.plans.models import PlanCourse, PlanMilestone, TrainingPlan
from tandem.plans.tests.factories import (
    cast_cultivation,
    draft_plan,
    evidence_file,
    signed_plan,
)


def test_outsider_and_resident_get_404_on_the_plan_and_record(cast, client_for):
    plan = signed_plan(cast)
    for actor in ("outsider", "resident"):
        client = client_for(actor)
        for name in ("plans:plan", "plans:record", "plans:record_json"):
            assert client.get(reverse(name, args=[plan.cultivation_id])).status_code == 404


def test_coordinator_gets_403_when_writing_the_plan(cast, client_for):
    plan = draft_plan(cast)
    response = client_for("coord_a").post(
        reverse("plans:draft_edit", args=[plan.cultivation_id]), {"research_topic": "Hijack"}
    )
    assert response.status_code == 403
    assert plan.versions.get().research_topic == "Tumour immunology"


def test_bad_course_input_is_shown_on_the_field_with_status_400(cast, client_for):
    plan = draft_plan(cast)
    response = client_for("trainee").post(
        reverse("plans:course_add", args=[plan.cultivation_id]),
        {
            "title": "Advanced immunology",
            "credits": "2",
            "kind": "elective",
            "institution": cast.inst_a.pk,
        },
    )
    assert response.status_code == 400
    assert "This course is already in the plan." in response.content.decode()
    assert PlanCourse.objects.count() == 1


def test_milestone_out_of_period_names_the_field(cast, client_for):
    plan = draft_plan(cast)
    response = client_for("tutor_b").post(
        reverse("plans:milestone_add", args=[plan.cultivation_id]),
        {"kind": "other", "title": "Conference", "earliest": "2025-01-01", "latest": "2025-02-01"},
    )
    assert response.status_code == 400
    assert "planned period" in response.content.decode()
    assert not PlanMilestone.objects.filter(custom_title="Conference").exists()


def test_signing_with_too_few_credits_shows_the_message_without_the_field_code(cast, client_for):
    plan = draft_plan(cast, credits="4")
    client = client_for("tutor_a")
    response = client.post(reverse("plans:sign", args=[plan.cultivation_id]), follow=True)
    body = response.content.decode()
    assert "The courses total 4 credits" in body  # not "4.0"
    assert "credits:" not in body


def test_both_tutors_sign_through_the_pages(cast, client_for):
    plan = draft_plan(cast)
    url = reverse("plans:sign", args=[plan.cultivation_id])
    assert client_for("tutor_a").post(url).status_code == 302
    assert client_for("tutor_b").post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.current_version.number == 1
    body = client_for("trainee").get(reverse("plans:record", args=[plan.cultivation_id]))
    assert "signed by both tutors" in body.content.decode()


def test_start_button_shown_to_writers_only(cast, client_for):
    cultivation = cast_cultivation(cast)
    url = reverse("plans:plan", args=[cultivation.pk])
    assert "Start the plan" in client_for("trainee").get(url).content.decode()
    assert "Start the plan" not in client_for("coord_a").get(url).content.decode()


def test_submit_with_evidence_and_download_it(cast, client_for):
    plan = signed_plan(cast)
    milestone = plan.milestones.get(kind="proposal")
    client = client_for("trainee")
    response = client.post(
        reverse("plans:milestone_submit", args=[plan.cultivation_id, milestone.pk]),
        {"files": [evidence_file("a.pdf", b"first"), evidence_file("b.png", b"second")]},
    )
    assert response.status_code == 302
    evidence = milestone.submissions.get().evidence.order_by("name")
    assert [e.name for e in evidence] == ["a.pdf", "b.png"]
    url = reverse(
        "plans:evidence_download", args=[plan.cultivation_id, milestone.pk, evidence[0].pk]
    )
    download = client_for("coord_b").get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"first"
    assert client_for("outsider").get(url).status_code == 404


def test_submit_without_files_names_the_field(cast, client_for):
    plan = signed_plan(cast)
    milestone = plan.milestones.get(kind="proposal")
    response = client_for("trainee").post(
        reverse("plans:milestone_submit", args=[plan.cultivation_id, milestone.pk]), {}
    )
    assert response.status_code == 400
    assert "Attach at least one evidence file." in response.content.decode()


def test_home_list_htmx_returns_the_partial(cast, client_for):
    signed_plan(cast)
    response = client_for("coord_a").get(
        reverse("plans:home"), {"state": "signed"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in response.content
    assert b"Tina Trainee" in response.content


def _more_cultivations(cast, count):
    for _index in range(count):
        trainee = UserFactory()
        MembershipFactory(user=trainee, role="trainee", institution=cast.inst_a)
        cultivation = JointCultivationFactory(
            trainee=trainee,
            agreement=cast.agreement_ab,
            home=cast.inst_a,
            host=cast.inst_b,
            proposed_by=cast.coord_a,
            status="active",
        )
        TutorAssignmentFactory(
            cultivation=cultivation,
            tutor=cast.tutor_a,
            role="experimental",
            institution=cast.inst_a,
        )
        plan = services.plan_start(actor=cast.tutor_a, cultivation=cultivation)
        version = plan.versions.get()
        services.plan_milestone_add(
            actor=trainee,
            version=version,
            kind="proposal",
            title="",
            earliest=datetime.date(2026, 9, 10),
            latest=datetime.date(2026, 9, 20),
        )
        PlanMilestone.objects.filter(plan=plan).update(
            earliest=datetime.date(2026, 9, 10), latest=datetime.date(2026, 9, 20)
        )


@pytest.mark.parametrize("name", ["plans:home", "plans:overdue"])
@pytest.mark.parametrize("actor", ["coord_a", "admin"])
def test_list_query_count_does_not_grow_with_rows(cast, client_for, name, actor):
    client = client_for(actor)
    client.get(reverse(name))
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)):
        _more_cultivations(cast, 3)
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse(name)).status_code == 200
        _more_cultivations(cast, 12)
        with CaptureQueriesContext(connection) as large:
            response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(small) == len(large)


def test_record_page_query_count_does_not_grow_with_versions_and_milestones(cast, client_for):
    plan = signed_plan(cast)
    client = client_for("coord_a")
    url = reverse("plans:record", args=[plan.cultivation_id])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(3):
        version = services.plan_revise(actor=cast.tutor_a, plan=plan, reason=f"Change {index}")
        services.plan_milestone_add(
            actor=cast.tutor_a,
            version=version,
            kind="other",
            title=f"Extra {index}",
            earliest=datetime.date(2027, 1, 1),
            latest=datetime.date(2027, 2, 1),
        )
        services.plan_version_sign(actor=cast.tutor_a, version=version)
        services.plan_version_sign(actor=cast.tutor_b, version=version)
        plan.refresh_from_db()
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


@time_machine.travel(datetime.datetime(2027, 1, 20, 9, tzinfo=datetime.UTC))
def test_dashboard_lists_overdue_milestones_for_the_people_concerned(cast):
    signed_plan(cast)
    for actor in ("trainee", "tutor_a", "coord_b"):
        data = selectors.plans_dashboard(getattr(cast, actor))
        assert data["overdue_count"] == 1
        html = render_to_string("plans/_dashboard.html", {"plans": data})
        assert "Research proposal" in html
    assert selectors.plans_dashboard(cast.outsider)["overdue_count"] == 0


@time_machine.travel(datetime.datetime(2027, 1, 20, 9, tzinfo=datetime.UTC))
def test_overdue_milestone_is_flagged_on_the_plan_page(cast, client_for):
    plan = signed_plan(cast)
    body = client_for("tutor_b").get(reverse("plans:plan", args=[plan.cultivation_id]))
    assert "Overdue" in body.content.decode()


def test_record_json_has_no_database_ids(cast, client_for):
    plan = signed_plan(cast)
    response = client_for("coord_a").get(reverse("plans:record_json", args=[plan.cultivation_id]))
    data = json.loads(response.content)
    assert data["format"] == "tandem-joint-record/1"

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    assert not [k for k in keys(data) if k == "id" or k.endswith("_id") or k == "pk"][1:]
    assert TrainingPlan.objects.count() == 1


def test_sign_button_is_gone_once_the_tutor_has_signed(cast, client_for):
    plan = draft_plan(cast)
    url = reverse("plans:plan", args=[plan.cultivation_id])
    client = client_for("tutor_a")
    assert "Sign version 1" in client.get(url).content.decode()
    client.post(reverse("plans:sign", args=[plan.cultivation_id]))
    assert "Sign version 1" not in client.get(url).content.decode()
    assert "Sign version 1" in client_for("tutor_b").get(url).content.decode()
