"""The tutor workspace shows each trainee's next milestone and last progress report."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import User
from tandem.alerts.tests.factories import active_cultivation, evaluate
from tandem.cultivation import demo as cultivation_demo
from tandem.cultivation.selectors import cultivation_dashboard
from tandem.cultivation.tests.factories import cultivation_in, joint_trainee
from tandem.meetings import demo as meetings_demo
from tandem.meetings.models import ProgressReport
from tandem.plans import demo as plans_demo
from tandem.plans import services as plan_services
from tandem.plans.models import PlanMilestone
from tandem.plans.selectors import next_milestone
from tandem.portal import demo as portal_demo
from tandem.portal.selectors import workspace_rows


@pytest.mark.django_db
def test_workspace_rows_carry_next_milestone_and_last_report():
    portal_demo.load_demo()
    cultivation_demo.load_demo()
    plans_demo.load_demo()
    meetings_demo.load_demo()
    tutor = User.objects.get(username="tutor.li")
    rows = {row["trainee"].username: row for row in workspace_rows(tutor)}
    zhang = rows["trainee.zhang"]
    assert zhang["next_milestone"] == next_milestone(zhang["cultivation"])
    assert zhang["next_milestone"] is not None
    latest = ProgressReport.objects.filter(trainee=zhang["trainee"]).latest("submitted_at")
    assert zhang["last_progress_report"] == latest

    client = Client()
    client.force_login(tutor)
    html = client.get("/cultivation/workspace/").content.decode()
    assert zhang["next_milestone"].title in html
    api = client.get("/api/v1/cultivation/workspace").json()
    row = next(r for r in api if r["trainee_id"] == zhang["trainee"].pk)
    assert row["next_milestone"]["title"] == zhang["next_milestone"].title
    assert row["last_progress_report_at"] is not None


def _make(cast, count, start):
    for index in range(start, start + count):
        cultivation_in(
            cast, "active", trainee=joint_trainee(cast, f"bulk{index}"), signed=index % 2 == 0
        )


@pytest.mark.django_db
def test_workspace_and_dashboard_query_counts_are_constant(cast, client_for):
    client = client_for("tutor_a")
    client.get(reverse("portal:workspace"))
    cultivation_dashboard(cast.tutor_a)  # warm the per-user tenancy cache
    _make(cast, 2, 0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("portal:workspace"))
        cultivation_dashboard(cast.tutor_a)
    _make(cast, 8, 2)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("portal:workspace"))
        cultivation_dashboard(cast.tutor_a)
    assert len(small) == len(large)
    rows = workspace_rows(cast.tutor_a)
    assert len(rows) == 10 and all(row["next_milestone"] is None for row in rows)


@pytest.mark.django_db
def test_the_first_tutor_in_charge_sees_what_is_theirs_to_start(cast, client_for):
    cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1))
    pair = {a.is_first_in_charge: a.tutor for a in cultivation.tutor_assignments.all()}
    first, second = pair[True], pair[False]
    name = {cast.tutor_a.pk: "tutor_a", cast.tutor_b.pk: "tutor_b"}

    def duties(user):
        [row] = [r for r in workspace_rows(user) if r["cultivation"].pk == cultivation.pk]
        return [duty["code"] for duty in row["to_start"]]

    assert duties(first) == ["plan", "responsibilities"]
    assert duties(second) == []  # the other tutor is told who starts, not asked

    plan = plan_services.plan_start(actor=first, cultivation=cultivation)
    PlanMilestone.objects.create(plan=plan, key="opening", kind="opening", status="submitted")
    evaluate()  # no contact between the tutors since June: a warning
    assert duties(first) == ["responsibilities", "milestones", "warnings"]

    page = client_for(name[first.pk]).get(reverse("portal:workspace")).content.decode()
    assert "Sign off 1 milestone" in page and reverse("plans:plan", args=[cultivation.pk]) in page
    other = client_for(name[second.pk]).get(reverse("portal:workspace")).content.decode()
    assert "Sign off 1 milestone" not in other and "starts these, as first in charge" in other
    api = client_for(name[first.pk]).get("/api/v1/cultivation/workspace").json()
    [row] = [r for r in api if r["cultivation_id"] == cultivation.pk]
    assert row["is_first_in_charge"] is True
    assert [d["code"] for d in row["to_start"]] == ["responsibilities", "milestones", "warnings"]
