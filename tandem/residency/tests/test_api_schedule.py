"""The residency schedule API: proposals, publishing, a resident's own schedule, and leave and
swap requests, on top of the world of tests/factories.py (A's resident `member` rotates once to
B1 at the partner hospital B; `member2` stays at A)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.residency.models import (
    LeaveRequest,
    PartnerApproval,
    PublishedSchedule,
    RequestStatus,
    ScheduleProposal,
    SwapRequest,
)
from tandem.residency.tests.factories import (
    build_world,
    good_rows,
    make_proposal,
    make_resident,
    publish,
)

API = "/api/v1/residency"


def send(client, method, url, data=None):
    body = json.dumps(data if data is not None else {})
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.fixture
def world(cast):
    return build_world(cast)


@pytest.fixture
def published(world):
    publish(world)
    return world


def _key(department):
    return f"D{department.pk}"


# --------------------------------------------------------------------------- access


def test_outsider_gets_404(published, client_for):
    world = published
    client = client_for("outsider")
    proposal = make_proposal(world, approved=False)
    assert client.get(f"{API}/proposals/{proposal.pk}/").status_code == 404
    assert (
        send(
            client,
            "post",
            f"{API}/proposals/{proposal.pk}/pins/",
            {"resident": world.member.key, "block": 0},
        ).status_code
        == 404
    )
    assert send(client, "post", f"{API}/proposals/{proposal.pk}/approve/").status_code == 404
    assert send(client, "post", f"{API}/proposals/{proposal.pk}/publish/").status_code == 404
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/schedule/").status_code == 404
    assert (
        send(
            client,
            "post",
            f"{API}/my/{world.member.pk}/leave-requests/",
            {"block": 3, "reason": "Exam"},
        ).status_code
        == 404
    )
    leave = LeaveRequest.objects.create(
        member=world.member, block=world.calendar.blocks.get(index=3), reason="Exam"
    )
    assert (
        send(
            client, "post", f"{API}/leave-requests/{leave.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert client.get(f"{API}/leave-requests/").json()["items"] == []
    assert PartnerApproval.objects.get(proposal=proposal).approved_at is None
    assert LeaveRequest.objects.get(pk=leave.pk).status == RequestStatus.PENDING


def test_wrong_role_gets_403(published, client_for):
    world = published
    pending = make_proposal(world, approved=False)
    partner = client_for("coord_b")
    assert (
        send(
            partner,
            "post",
            f"{API}/proposals/{pending.pk}/pins/",
            {"resident": world.member.key, "block": 0},
        ).status_code
        == 403
    )
    assert send(partner, "post", f"{API}/proposals/{pending.pk}/resolve/").status_code == 403
    assert send(partner, "post", f"{API}/proposals/{pending.pk}/publish/").status_code == 403
    assert (
        send(client_for("coord_a"), "post", f"{API}/proposals/{pending.pk}/approve/").status_code
        == 403
    )
    leave = LeaveRequest.objects.create(
        member=world.member, block=world.calendar.blocks.get(index=3), reason="Exam"
    )
    resident = client_for("resident")
    assert (
        send(
            resident, "post", f"{API}/leave-requests/{leave.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )
    assert ScheduleProposal.objects.filter(cohort=world.cohort).count() == 2
    assert LeaveRequest.objects.get(pk=leave.pk).status == RequestStatus.PENDING


# --------------------------------------------------------------------------- proposals


def test_training_office_sees_the_whole_proposal(published, client_for):
    world = published
    proposal = make_proposal(world)
    body = client_for("coord_a").get(f"{API}/proposals/{proposal.pk}/").json()
    assert body["instance"]["name"] == proposal.instance["name"]
    assert body["solution"]["assignments"] == good_rows(world)
    assert body["pins"] == {}
    assert {row["key"]: row["cells"] for row in body["rows"]} == good_rows(world)
    assert body["approvals"][0]["institution_id"] == world.cast.inst_b.pk


def test_partner_sees_only_the_residents_sent_to_it(published, client_for):
    world = published
    proposal = make_proposal(world, approved=False)
    client = client_for("coord_b")
    body = client.get(f"{API}/proposals/{proposal.pk}/").json()
    assert (body["instance"], body["solution"], body["pins"]) == (None, None, None)
    assert [row["key"] for row in body["rows"]] == [world.member.key]
    assert body["rows"][0]["resident_id"] == world.cast.resident.pk
    approved = send(client, "post", f"{API}/proposals/{proposal.pk}/approve/")
    assert approved.status_code == 200
    assert [row["key"] for row in approved.json()["rows"]] == [world.member.key]
    assert approved.json()["approvals"][0]["approved_by_id"] == world.cast.coord_b.pk
    again = send(client, "post", f"{API}/proposals/{proposal.pk}/approve/")
    assert again.status_code == 400
    assert "status" in again.json()["errors"]
    # and the published schedule's whole record stays with the training office
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/schedule/").status_code == 403


def test_pin_then_solve_again_carries_the_pin(published, client_for):
    world = published
    proposal = make_proposal(world)
    client = client_for("coord_a")
    pinned = send(
        client,
        "post",
        f"{API}/proposals/{proposal.pk}/pins/",
        {"resident": world.member2.key, "block": 1, "department": _key(world.a2)},
    )
    assert pinned.status_code == 200, pinned.content
    assert pinned.json()["pins"] == {world.member2.key: {"1": _key(world.a2)}}
    again = send(client, "post", f"{API}/proposals/{proposal.pk}/resolve/", {"time_limit": 7})
    assert again.status_code == 201, again.content
    assert (again.json()["previous_id"], again.json()["status"]) == (proposal.pk, "queued")
    new = ScheduleProposal.objects.get(pk=again.json()["id"])
    assert (new.pins, new.time_limit) == ({world.member2.key: {"1": _key(world.a2)}}, 7)


@pytest.mark.parametrize(
    ("data", "field", "status"),
    [
        ({"department": "D999999"}, "department", 400),
        ({"resident": "R999999"}, "resident", 400),
        ({"block": 30}, "block", 422),
    ],
)
def test_pin_bad_input_names_the_field_and_keeps_the_pins(
    published, client_for, data, field, status
):
    world = published
    proposal = make_proposal(world)
    payload = {"resident": world.member.key, "block": 0, "department": _key(world.a1), **data}
    response = send(client_for("coord_a"), "post", f"{API}/proposals/{proposal.pk}/pins/", payload)
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert ScheduleProposal.objects.get(pk=proposal.pk).pins == {}


def test_resolve_with_a_time_limit_out_of_range_is_400(published, client_for):
    proposal = make_proposal(published)
    response = send(
        client_for("coord_a"), "post", f"{API}/proposals/{proposal.pk}/resolve/", {"time_limit": 0}
    )
    assert response.status_code == 400
    assert "time_limit" in response.json()["errors"]
    assert ScheduleProposal.objects.filter(previous=proposal).count() == 0


def test_generate_from_a_proposal_of_another_cohort_is_400_naming_previous(world, cast, client_for):
    from tandem.residency import services

    other = services.cohort_create(
        actor=cast.coord_a, institution=cast.inst_a, calendar=world.calendar, name="Other"
    )
    services.member_add(
        actor=cast.coord_a,
        cohort=other,
        resident=make_resident(cast, "resident.other"),
        program=world.program,
    )
    foreign = make_proposal(world)
    response = send(
        client_for("coord_a"),
        "post",
        f"{API}/cohorts/{other.pk}/proposals/",
        {"previous_id": foreign.pk},
    )
    assert response.status_code == 400
    assert "previous" in response.json()["errors"]
    assert not ScheduleProposal.objects.filter(cohort=other).exists()


def test_publish_after_partner_approval(world, client_for):
    pending = make_proposal(world, approved=False)
    client = client_for("coord_a")
    refused = send(client, "post", f"{API}/proposals/{pending.pk}/publish/")
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]
    assert not PublishedSchedule.objects.exists()
    assert (
        send(client_for("coord_b"), "post", f"{API}/proposals/{pending.pk}/approve/").status_code
        == 200
    )
    published = send(client, "post", f"{API}/proposals/{pending.pk}/publish/")
    assert published.status_code == 200, published.content
    assert (published.json()["proposal_id"], published.json()["solution"]["assignments"]) == (
        pending.pk,
        good_rows(world),
    )
    schedule = client.get(f"{API}/cohorts/{world.cohort.pk}/schedule/").json()
    assert schedule["proposal_id"] == pending.pk


def test_proposal_list_query_count_does_not_grow(published, client_for):
    client = client_for("coord_a")
    make_proposal(published)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{API}/proposals/").status_code == 200
    for _index in range(6):
        make_proposal(published)
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{API}/proposals/").json()["count"] == 8
    assert len(small) == len(large)


# --------------------------------------------------------------------------- my schedule


def test_a_resident_sees_their_own_rows(published, client_for):
    world = published
    body = client_for("resident").get(f"{API}/my/schedule/").json()
    assert [m["member_id"] for m in body] == [world.member.pk]
    cells = body[0]["cells"]
    assert [c["block_number"] for c in cells] == [1, 2, 3, 4]
    assert [c["department_id"] for c in cells] == [
        world.a1.pk,
        world.a1.pk,
        world.a2.pk,
        world.b1.pk,
    ]
    assert cells[3]["institution_id"] == world.cast.inst_b.pk
    assert cells[0]["start_date"] == "2026-08-31"
    assert client_for("coord_a").get(f"{API}/my/schedule/").json() == []


# --------------------------------------------------------------------------- leave and swaps


def test_leave_request_and_approval_changes_the_schedule(published, client_for):
    world = published
    created = send(
        client_for("resident"),
        "post",
        f"{API}/my/{world.member.pk}/leave-requests/",
        {"block": 3, "reason": "Exam"},
    )
    assert created.status_code == 201, created.content
    assert (created.json()["status"], created.json()["block_number"]) == ("pending", 4)
    pk = created.json()["id"]
    coord = client_for("coord_a")
    assert [
        r["id"] for r in coord.get(f"{API}/leave-requests/?status=pending").json()["items"]
    ] == [pk]
    decided = send(
        coord, "post", f"{API}/leave-requests/{pk}/decide/", {"decision": "approve", "note": "Fine"}
    )
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["decided_by_id"]) == (
        "approved",
        world.cast.coord_a.pk,
    )
    schedule = PublishedSchedule.objects.get(cohort=world.cohort)
    assert schedule.solution["assignments"][world.member.key][3] is None
    twice = send(coord, "post", f"{API}/leave-requests/{pk}/decide/", {"decision": "refuse"})
    assert twice.status_code == 400
    assert "status" in twice.json()["errors"]


@pytest.mark.parametrize(
    ("data", "field", "status"),
    [
        ({"reason": "  "}, "reason", 400),
        ({"block": 30}, "block", 422),
        ({"reason": None}, "reason", 422),
    ],
)
def test_leave_bad_input_names_the_field_and_saves_nothing(
    published, client_for, data, field, status
):
    payload = {"block": 3, "reason": "Exam", **data}
    response = send(
        client_for("resident"), "post", f"{API}/my/{published.member.pk}/leave-requests/", payload
    )
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not LeaveRequest.objects.exists()


def test_nobody_asks_for_leave_on_someone_elses_schedule(published, client_for):
    response = send(
        client_for("resident"),
        "post",
        f"{API}/my/{published.member2.pk}/leave-requests/",
        {"block": 3, "reason": "Exam"},
    )
    assert response.status_code == 404
    assert not LeaveRequest.objects.exists()


def test_swap_request_consent_and_approval_swaps_the_cells(published, client_for):
    world = published
    created = send(
        client_for("resident"),
        "post",
        f"{API}/my/{world.member.pk}/swap-requests/",
        {"other_id": world.member2.pk, "block": 3, "reason": "Family"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["other_resident_id"] == world.resident2.pk
    assert created.json()["consent"] == "asked"
    early = send(
        client_for("coord_a"),
        "post",
        f"{API}/swap-requests/{created.json()['id']}/decide/",
        {"decision": "approve"},
    )
    assert early.status_code == 400 and "status" in early.json()["errors"]
    other = Client()
    other.force_login(world.resident2)
    answered = send(
        other, "post", f"{API}/swap-requests/{created.json()['id']}/answer/", {"answer": "accept"}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["consent"] == "accepted"
    decided = send(
        client_for("coord_a"),
        "post",
        f"{API}/swap-requests/{created.json()['id']}/decide/",
        {"decision": "approve"},
    )
    assert decided.status_code == 200, decided.content
    rows = PublishedSchedule.objects.get(cohort=world.cohort).solution["assignments"]
    assert (rows[world.member.key][3], rows[world.member2.key][3]) == (
        _key(world.a2),
        _key(world.b1),
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"other_id": "self"}, "other"),
        ({"other_id": 999999}, "other"),
        ({"block": 0}, "block"),  # member2 would be on A1 three blocks running
    ],
)
def test_swap_bad_input_names_the_field_and_saves_nothing(published, client_for, data, field):
    world = published
    payload = {"other_id": world.member2.pk, "block": 3, **data}
    if payload["other_id"] == "self":
        payload["other_id"] = world.member.pk
    response = send(
        client_for("resident"), "post", f"{API}/my/{world.member.pk}/swap-requests/", payload
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not SwapRequest.objects.exists()


def test_request_lists_are_scoped(published, client_for):
    world = published
    block = world.calendar.blocks.get(index=3)
    SwapRequest.objects.create(member=world.member2, other=world.member, block=block)
    LeaveRequest.objects.create(member=world.member2, block=block, reason="Exam")
    assert client_for("resident").get(f"{API}/swap-requests/").json()["count"] == 1  # named
    assert client_for("resident").get(f"{API}/leave-requests/").json()["count"] == 0
    assert client_for("coord_a").get(f"{API}/leave-requests/").json()["count"] == 1
    assert client_for("coord_b").get(f"{API}/swap-requests/").json()["count"] == 0
