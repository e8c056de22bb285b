"""The leave and swap requests page: decision forms only for those who may decide; residents see
the status and the decision note of their own requests; blocks numbered from 1 with dates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.residency.models import LeaveRequest, RequestStatus, SwapRequest
from tandem.residency.tests.factories import build_world, publish

URL = reverse("residency:request_list")


@pytest.fixture
def world(cast):
    world = build_world(cast)
    publish(world)
    return world


def _leave(world, *, index=3, **fields):
    block = world.calendar.blocks.get(index=index)
    return LeaveRequest.objects.create(member=world.member, block=block, reason="Exam", **fields)


def _swap(world, *, index=3):
    block = world.calendar.blocks.get(index=index)
    return SwapRequest.objects.create(member=world.member, other=world.member2, block=block)


def test_training_office_gets_a_decision_form_per_pending_request(world, client_for):
    leave, swap = _leave(world), _swap(world)
    body = client_for("coord_a").get(URL).content.decode()
    assert reverse("residency:leave_decide", args=[leave.pk]) in body
    assert reverse("residency:swap_decide", args=[swap.pk]) in body
    assert f'<label for="leave-{leave.pk}-decision">' in body  # labelled for screen readers


def test_resident_sees_no_decision_form_on_their_own_requests(world, client_for):
    leave, swap = _leave(world), _swap(world)
    body = client_for("resident").get(URL).content.decode()
    assert "Exam" in body  # their request is listed
    assert 'name="decision"' not in body
    assert reverse("residency:leave_decide", args=[leave.pk]) not in body
    assert reverse("residency:swap_decide", args=[swap.pk]) not in body
    assert "Waiting for the training office." in body


def test_resident_sees_the_status_and_note_of_a_decided_request(world, client_for):
    _leave(
        world,
        status=RequestStatus.REFUSED,
        decided_by=world.cast.coord_a,
        decided_at=timezone.now(),
        decision_note="Block 4 is exam month",
    )
    body = client_for("resident").get(URL).content.decode()
    assert "Refused" in body
    assert "Block 4 is exam month" in body
    assert f"Decided by {world.cast.coord_a}" in body


def test_a_decided_request_has_no_form_even_for_the_training_office(world, client_for):
    leave = _leave(
        world,
        status=RequestStatus.APPROVED,
        decided_by=world.cast.coord_a,
        decided_at=timezone.now(),
    )
    body = client_for("coord_a").get(URL).content.decode()
    assert reverse("residency:leave_decide", args=[leave.pk]) not in body


def test_blocks_are_numbered_from_one_with_their_dates(world, client_for):
    leave = _leave(world, index=0)
    body = client_for("resident").get(URL).content.decode()
    start = date_format(leave.block.start_date, "MONTH_DAY_FORMAT")
    end = date_format(leave.block.end_date, "MONTH_DAY_FORMAT")
    assert f'<td>1 <span class="muted">({start} – {end})</span></td>' in body


def test_the_page_reads_in_chinese(world, client_for):
    _leave(world)
    client = client_for("resident")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL).content.decode()
    assert "等待住培办公室处理。" in body and "Waiting for" not in body


def test_outsider_gets_404_deciding_a_request(world, client_for):
    leave = _leave(world)
    response = client_for("outsider").post(
        reverse("residency:leave_decide", args=[leave.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    leave.refresh_from_db()
    assert leave.status == RequestStatus.PENDING


def test_resident_gets_403_deciding_their_own_request(world, client_for):
    swap = _swap(world)
    response = client_for("resident").post(
        reverse("residency:swap_decide", args=[swap.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    swap.refresh_from_db()
    assert swap.status == RequestStatus.PENDING


def test_query_count_does_not_grow_with_requests(world, client_for):
    client = client_for("coord_a")
    _leave(world)
    _swap(world)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    for index in range(3):
        _leave(world, index=index)
        _swap(world, index=index)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(small) == len(large)
