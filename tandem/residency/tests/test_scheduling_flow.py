"""Residency: building instances, solving in a task, partners, publishing and changes."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from tandem.accounts.models import Membership, Role
from tandem.accounts.services_feed import calendar_feed_rotate
from tandem.accounts.tests.factories import UserFactory
from tandem.core.models import AuditEvent
from tandem.residency import instancing, selectors, services, services_schedule
from tandem.residency.models import (
    Assignment,
    Department,
    LeaveRequest,
    ProposalStatus,
    RequestStatus,
    ScheduleProposal,
    SwapRequest,
)
from tandem.residency.scheduling import parse_instance
from tandem.residency.tests.factories import build_world, make_proposal, publish

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(cast):
    return build_world(cast)


def test_build_instance_applies_quotas_partner_minimums_and_external_load():
    data = instancing.build_instance(
        name="x",
        blocks=2,
        home_site="h",
        departments=[
            instancing.DepartmentData(1, "h", 1, 3),
            instancing.DepartmentData(2, "p", 2, 4),
        ],
        programs=[
            instancing.ProgramData(
                7,
                False,
                (instancing.RequirementData((1,), 1, 2), instancing.RequirementData((2,), 0, 1)),
            )
        ],
        members=[instancing.MemberData(5, 7, "h", leave=(1,))],
        quotas=[],
        external_load={(2, 0): 3},
        pins={"R5": {"0": "D1"}},
    )
    instance = parse_instance(data)
    partner = instance.rotation("D2")
    assert partner.min_per_block == (0, 0)  # the partner's own residents cover its minimum
    assert partner.max_per_block == (1, 4)  # 3 places taken in block 0 by another schedule
    assert instance.exchange[0].max_per_block == 0  # no quota: nobody goes
    assert instance.residents[0].fixed == {0: "D1"}


def test_generate_solves_in_a_task_and_asks_the_partner(world, settings):
    settings.TASKS = IMMEDIATE
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        proposal = services_schedule.proposal_generate(
            actor=world.cast.coord_a, cohort=world.cohort, time_limit=5
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE
    assert proposal.incumbent is not None and proposal.objective == proposal.incumbent
    rows = proposal.solution["assignments"]
    assert set(rows) == {world.member.key, world.member2.key}
    partners = {a.institution_id for a in proposal.partner_approvals.all()}
    went_to_b = any(c == f"D{world.b1.pk}" for row in rows.values() for c in row)
    assert partners == ({world.cast.inst_b.pk} if went_to_b else set())
    assert AuditEvent.objects.filter(action="proposal.done").exists()


def test_infeasible_rules_are_explained_with_names(world, client_for):
    world.a1.min_per_block = 3
    world.a1.save()
    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=5, enqueue=False
    )
    proposal = services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert proposal.status == ProposalStatus.INFEASIBLE
    assert proposal.solution["conflicts"]
    body = (
        client_for("coord_a")
        .get(reverse("residency:proposal_detail", args=[proposal.pk]))
        .content.decode()
    )
    assert "A1 ward" in body and reverse("residency:department_edit", args=[world.a1.pk]) in body


def test_pin_and_resolve_keeps_the_pin_and_counts_changes(world):
    proposal = make_proposal(world, approved=None)
    b1 = f"D{world.b1.pk}"
    services_schedule.proposal_pin(
        actor=world.cast.coord_a,
        proposal=proposal,
        resident=world.member2.key,
        block=0,
        department=b1,
    )
    again = services_schedule.proposal_generate(
        actor=world.cast.coord_a,
        cohort=world.cohort,
        time_limit=5,
        previous=proposal,
        enqueue=False,
    )
    again = services_schedule.proposal_solve(proposal_id=again.pk)
    assert again.status == ProposalStatus.DONE
    assert again.solution["assignments"][world.member2.key][0] == b1
    assert again.changed_count is not None and again.changed_count >= 1


def test_pin_names_the_bad_field_and_saves_nothing(world):
    proposal = make_proposal(world, approved=None)
    with pytest.raises(ValidationError) as exc:
        services_schedule.proposal_pin(
            actor=world.cast.coord_a,
            proposal=proposal,
            resident=world.member.key,
            block=0,
            department="D999",
        )
    assert "department" in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.pins == {}


def test_publish_needs_the_partners_approval(world):
    proposal = make_proposal(world, approved=False)
    with pytest.raises(ValidationError):
        services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services_schedule.proposal_approve(actor=world.cast.coord_a, proposal=proposal)
    services_schedule.proposal_approve(actor=world.cast.coord_b, proposal=proposal)
    schedule = services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    assert Assignment.objects.filter(schedule=schedule).count() == 8
    assert AuditEvent.objects.filter(action="schedule.publish").exists()


def test_partner_sees_only_the_residents_sent_to_them(world, client_for):
    publish(world)
    body = (
        client_for("coord_b")
        .get(reverse("residency:schedule_detail", args=[world.cohort.pk]))
        .content.decode()
    )
    assert str(world.cast.resident) in body  # goes to B in block 3
    assert "Second Resident" not in body
    body = (
        client_for("coord_a")
        .get(reverse("residency:schedule_detail", args=[world.cohort.pk]))
        .content.decode()
    )
    assert "Second Resident" in body


def test_outsider_sees_nothing_of_a(world, client_for):
    publish(world)
    outsider = world.cast.outsider
    assert not selectors.cohort_list_visible_to(outsider).exists()
    assert not selectors.department_list_visible_to(outsider).exists()
    assert (
        client_for("outsider")
        .get(reverse("residency:cohort_detail", args=[world.cohort.pk]))
        .status_code
        == 404
    )


def test_base_director_edits_only_their_own_base(world):
    director = UserFactory(username="director_a")
    Membership.objects.create(
        user=director, role=Role.BASE_DIRECTOR, institution=world.cast.inst_a, unit=world.base_a
    )
    services.department_update(actor=director, department=world.a1, max_per_block=5)
    with pytest.raises(PermissionDenied):
        services.department_update(actor=director, department=world.b1, max_per_block=5)
    with pytest.raises(PermissionDenied):
        services.department_create(actor=director, base=world.base_b, name="X", code="x")


def test_department_capacity_order_names_the_field(world):
    with pytest.raises(ValidationError) as exc:
        services.department_create(
            actor=world.cast.coord_a,
            base=world.base_a,
            name="Bad",
            code="bad",
            min_per_block=3,
            max_per_block=1,
        )
    assert "max_per_block" in exc.value.message_dict
    assert not Department.objects.filter(code="bad").exists()


def test_bad_sequence_rules_name_the_field(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:program_rules", args=[world.program.pk]),
        {"rules": json.dumps({"max_consecutive": [{"rotations": ["D999"], "blocks": 2}]})},
    )
    assert response.status_code == 400
    assert b"D999" in response.content
    world.program.refresh_from_db()
    assert "D999" not in json.dumps(world.program.rules)


def test_calendar_of_months_has_calendar_month_blocks(cast):
    cal = services.calendar_create(
        actor=cast.admin,
        name="m",
        training_year=2026,
        kind="months",
        start_date=datetime.date(2026, 9, 1),
        block_count=12,
    )
    blocks = list(cal.blocks.all())
    assert blocks[0].end_date == datetime.date(2026, 9, 30)
    assert blocks[4].start_date == datetime.date(2027, 1, 1)


def test_a_swap_that_breaks_a_rule_is_refused_with_the_reason(world):
    publish(world)
    with pytest.raises(ValidationError) as exc:
        services_schedule.swap_request(
            actor=world.cast.resident, member=world.member, other=world.member2, block=2
        )
    assert "consecutive" in str(exc.value)
    assert not SwapRequest.objects.exists()


def test_an_approved_swap_changes_the_schedule_with_history(world):
    schedule = publish(world)
    request_obj = services_schedule.swap_request(
        actor=world.cast.resident, member=world.member, other=world.member2, block=3
    )
    services_schedule.swap_consent(actor=world.resident2, request_obj=request_obj, accept=True)
    request_obj.refresh_from_db()
    services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=request_obj, approve=True)
    schedule.refresh_from_db()
    assert schedule.solution["assignments"][world.member2.key][3] == f"D{world.b1.pk}"
    assert Assignment.objects.get(member=world.member2, block__index=3).department == world.b1
    assert AuditEvent.objects.filter(action="schedule.swap").exists()
    assert request_obj.status == RequestStatus.APPROVED


def test_leave_that_breaks_a_requirement_is_refused(world):
    publish(world)
    with pytest.raises(ValidationError) as exc:
        services_schedule.leave_request(
            actor=world.cast.resident, member=world.member, block=2, reason="Exam"
        )
    assert "at least 1" in str(exc.value)
    assert not LeaveRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        services_schedule.leave_request(
            actor=world.cast.coord_a, member=world.member, block=3, reason="x"
        )


def test_resident_rotations_reach_the_calendar_feed(world, client_for):
    publish(world)
    _feed, token = calendar_feed_rotate(actor=world.cast.resident, scopes=["rotations"])
    response = client_for("anonymous").get(reverse("calendar_feed", args=[token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 4
    assert {str(e["summary"]) for e in events} == {"A1 ward", "A2 clinic", "B1 ward"}
    assert all(not isinstance(e.decoded("dtstart"), datetime.datetime) for e in events)


def test_excel_and_json_exports(world, client_for):
    publish(world)
    client = client_for("coord_a")
    response = client.get(reverse("residency:schedule_xlsx", args=[world.cohort.pk]))
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.max_column == 5
    response = client.get(
        reverse("residency:schedule_download", args=[world.cohort.pk, "instance"])
    )
    parse_instance(json.loads(response.content))


def test_department_list_query_count_does_not_grow(world, client_for):
    client = client_for("coord_a")
    url = reverse("residency:department_list")
    client.get(url)

    def add(n):
        for i in range(n):
            services.department_create(
                actor=world.cast.coord_a,
                base=world.base_a,
                name=f"Extra {len(str(i))}-{i}-{n}",
                code=f"x{n}-{i}",
            )

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_dashboard_counts(world):
    proposal = make_proposal(world, approved=False)
    assert selectors.residency_dashboard(world.cast.coord_b)["pending_approvals"] == 1
    assert ScheduleProposal.objects.filter(pk=proposal.pk).exists()
