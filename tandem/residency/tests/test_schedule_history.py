"""A published schedule's record: re-solves keep the blocks that have started and approved
leave and swaps; publishing over it shows every changed cell and needs that confirmed; a swap
needs the other resident's consent; no leave or swap for a block that has ended.

The world's calendar (tests/factories.py) has four blocks of four weeks from Monday 31 August
2026: block 1 ends on 27 September, block 2 runs from 28 September to 25 October."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.alerts.models import Notification, NotificationKind
from tandem.alerts.texts import notification_text
from tandem.residency import services_schedule
from tandem.residency.models import (
    LeaveRequest,
    ProposalStatus,
    PublishedSchedule,
    RequestStatus,
    SwapConsent,
    SwapRequest,
)
from tandem.residency.tests.factories import build_world, good_rows, make_proposal, publish

UTC = datetime.UTC
IN_BLOCK_2 = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # block 1 over, block 2 current


@pytest.fixture
def world(cast):
    return build_world(cast)


def _keys(world):
    return tuple(f"D{d.pk}" for d in (world.a1, world.a2, world.b1))


def _rows(world):
    return PublishedSchedule.objects.get(cohort=world.cohort).solution["assignments"]


def _solve_again(world, *, pins=None):
    """Generate from a proposal carrying `pins` (as a coordinator's re-solve does) and solve."""
    previous = make_proposal(world, approved=None)
    previous.pins = pins or {}
    previous.save()
    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a,
        cohort=world.cohort,
        time_limit=5,
        previous=previous,
        enqueue=False,
    )
    return services_schedule.proposal_solve(proposal_id=proposal.pk)


def _with_rows(world, rows):
    proposal = make_proposal(world, approved=True)
    proposal.solution = {**proposal.solution, "assignments": rows}
    proposal.save()
    return proposal


def _approved_swap_and_leave(world):
    """Swap block 4 (member: B1 -> A2, member2: A2 -> B1), then leave for member2 in block 4."""
    swap = services_schedule.swap_request(
        actor=world.cast.resident, member=world.member, other=world.member2, block=3
    )
    services_schedule.swap_consent(actor=world.resident2, request_obj=swap, accept=True)
    swap.refresh_from_db()
    services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)
    leave = services_schedule.leave_request(
        actor=world.resident2, member=world.member2, block=3, reason="Exam"
    )
    services_schedule.leave_decide(actor=world.cast.coord_a, request_obj=leave, approve=True)


# --------------------------------------------------------------------------- re-solving


def test_resolve_keeps_the_started_blocks_whatever_the_pins(world):
    publish(world)
    published = _rows(world)
    a1, a2, b1 = _keys(world)
    with time_machine.travel(IN_BLOCK_2, tick=False):
        proposal = _solve_again(world, pins={world.member.key: {"0": a2, "1": b1}})
    assert proposal.status == ProposalStatus.DONE, proposal.error
    for key, row in proposal.solution["assignments"].items():
        assert row[:2] == published[key][:2]


def test_resolve_keeps_approved_leave_and_swaps(world):
    publish(world)
    _approved_swap_and_leave(world)
    a1, a2, b1 = _keys(world)
    proposal = _solve_again(world, pins={world.member2.key: {"3": a2}, world.member.key: {"3": a1}})
    assert proposal.status == ProposalStatus.DONE, proposal.error
    rows = proposal.solution["assignments"]
    assert rows[world.member.key][3] == a2  # the swap holds
    assert rows[world.member2.key][3] is None  # the leave holds


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.integers(min_value=0, max_value=120),
    pins=st.dictionaries(
        st.sampled_from(["member", "member2"]),
        st.dictionaries(st.integers(0, 3), st.integers(0, 2), max_size=4),
        max_size=2,
    ),
)
def test_any_resolve_keeps_the_past_and_approved_requests(world, day, pins):
    if not PublishedSchedule.objects.filter(cohort=world.cohort).exists():
        publish(world)
        _approved_swap_and_leave(world)
    published = _rows(world)
    keys = _keys(world)
    asked = {
        getattr(world, who).key: {str(t): keys[d] for t, d in cells.items()}
        for who, cells in pins.items()
    }
    today = datetime.datetime(2026, 8, 17, 9, tzinfo=UTC) + datetime.timedelta(days=day)
    with time_machine.travel(today, tick=False):
        proposal = _solve_again(world, pins=asked)
        started = services_schedule.started_blocks(world.calendar.pk)
    if proposal.status != ProposalStatus.DONE:
        return  # the pins may ask for something impossible; nothing is then proposed
    rows = proposal.solution["assignments"]
    for key, row in rows.items():
        assert [row[t] for t in sorted(started)] == [published[key][t] for t in sorted(started)]
    assert rows[world.member.key][3] == published[world.member.key][3]  # the swap
    assert rows[world.member2.key][3] is None  # the leave


# --------------------------------------------------------------------------- publishing


def _other_rows(world):
    a1, a2, b1 = _keys(world)
    return {world.member.key: [a2, a1, a1, a2], world.member2.key: [a1, a1, a2, b1]}


def test_publish_over_a_schedule_needs_the_confirmation_of_its_changes(world):
    publish(world)
    proposal = _with_rows(world, _other_rows(world))
    changes, token = services_schedule.proposal_publish_changes(proposal)
    assert [(c.resident, c.block) for c in changes] == [
        (world.member.key, 0),
        (world.member.key, 2),
        (world.member.key, 3),
        (world.member2.key, 0),
        (world.member2.key, 2),
        (world.member2.key, 3),
    ]
    for confirm in ("", "0" * 32):
        with pytest.raises(ValidationError) as exc:
            services_schedule.proposal_publish(
                actor=world.cast.coord_a, proposal=proposal, confirm=confirm
            )
        assert "confirm" in exc.value.message_dict
        assert _rows(world) == good_rows(world)
    services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal, confirm=token)
    assert _rows(world) == _other_rows(world)


def test_a_confirmation_for_an_older_diff_is_refused(world):
    publish(world)
    proposal = _with_rows(world, _other_rows(world))
    _changes, token = services_schedule.proposal_publish_changes(proposal)
    leave = services_schedule.leave_request(
        actor=world.cast.resident, member=world.member, block=3, reason="Exam"
    )
    services_schedule.leave_decide(actor=world.cast.coord_a, request_obj=leave, approve=True)
    with pytest.raises(ValidationError) as exc:
        services_schedule.proposal_publish(
            actor=world.cast.coord_a, proposal=proposal, confirm=token
        )
    assert "status" in exc.value.message_dict  # the approved leave is not in the proposal


def test_publish_refuses_a_proposal_that_rewrites_a_started_block(world):
    publish(world)
    proposal = _with_rows(world, _other_rows(world))
    with time_machine.travel(IN_BLOCK_2, tick=False):
        _changes, token = services_schedule.proposal_publish_changes(proposal)
        with pytest.raises(ValidationError) as exc:
            services_schedule.proposal_publish(
                actor=world.cast.coord_a, proposal=proposal, confirm=token
            )
    message = " ".join(exc.value.message_dict["status"])
    assert f"{world.cast.resident} in block 1" in message
    assert _rows(world) == good_rows(world)


def test_the_proposal_page_lists_each_changed_cell_and_publishes_on_confirmation(world, client_for):
    publish(world)
    proposal = _with_rows(world, _other_rows(world))
    client = client_for("coord_a")
    body = client.get(reverse("residency:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Publishing changes 6 cells of the published schedule" in body
    assert "B1 ward" in body and "Second Resident" in body
    url = reverse("residency:proposal_publish", args=[proposal.pk])
    refused = client.post(url)
    assert refused.status_code == 400
    assert "review the changed cells" in refused.content.decode()
    _changes, token = services_schedule.proposal_publish_changes(proposal)
    assert f'value="{token}"' in body
    assert client.post(url, {"confirm": token}).status_code == 302
    assert _rows(world) == _other_rows(world)


def test_the_api_gives_the_changes_and_needs_their_confirmation(world, client_for):
    publish(world)
    proposal = _with_rows(world, _other_rows(world))
    client = client_for("coord_a")
    api = f"/api/v1/residency/proposals/{proposal.pk}"
    found = client.get(f"{api}/publish-changes/").json()
    assert found["replaces_schedule"] is True and len(found["changes"]) == 6
    assert found["changes"][0]["block_number"] == 1
    assert found["changes"][0]["before_name"] == "A1 ward"
    refused = client.post(f"{api}/publish/", data="{}", content_type="application/json")
    assert refused.status_code == 400 and "confirm" in refused.json()["errors"]
    done = client.post(
        f"{api}/publish/",
        data=json.dumps({"confirm": found["confirm"]}),
        content_type="application/json",
    )
    assert done.status_code == 200, done.content


# --------------------------------------------------------------------------- swap consent


@pytest.fixture
def swap(world):
    publish(world)
    return services_schedule.swap_request(
        actor=world.cast.resident,
        member=world.member,
        other=world.member2,
        block=3,
        reason="Family",
    )


def test_a_swap_is_not_approved_before_the_other_resident_accepts(world, swap):
    with pytest.raises(ValidationError) as exc:
        services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)
    assert "Second Resident has not agreed" in str(exc.value)
    swap.refresh_from_db()
    assert swap.status == RequestStatus.PENDING
    assert _rows(world) == good_rows(world)


def test_only_the_other_resident_answers_a_swap(world, swap):
    for actor in (world.cast.resident, world.cast.coord_a):
        with pytest.raises(PermissionDenied):
            services_schedule.swap_consent(actor=actor, request_obj=swap, accept=True)
    swap.refresh_from_db()
    assert swap.consent == SwapConsent.ASKED


def test_a_declined_swap_ends_and_cannot_be_approved(world, swap):
    services_schedule.swap_consent(
        actor=world.resident2, request_obj=swap, accept=False, note="I need the ward block"
    )
    swap.refresh_from_db()
    assert (swap.consent, swap.status) == (SwapConsent.DECLINED, RequestStatus.REFUSED)
    with pytest.raises(ValidationError):
        services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)


def test_the_database_refuses_an_approved_swap_without_consent(world, swap):
    with pytest.raises(IntegrityError), transaction.atomic():
        SwapRequest.objects.filter(pk=swap.pk).update(status=RequestStatus.APPROVED)


def test_the_other_resident_sees_the_swap_and_answers_it_on_the_pages(world, swap):
    client = Client()
    client.force_login(world.resident2)
    body = client.get(reverse("residency:my_schedule")).content.decode()
    assert "asks to swap block 4 with you" in body
    body = client.get(reverse("residency:request_list")).content.decode()
    assert reverse("residency:swap_answer", args=[swap.pk]) in body
    response = client.post(reverse("residency:swap_answer", args=[swap.pk]), {"answer": "accept"})
    assert response.status_code == 302
    swap.refresh_from_db()
    assert swap.consent == SwapConsent.ACCEPTED
    services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)
    assert _rows(world)[world.member2.key][3] == f"D{world.b1.pk}"


# --------------------------------------------------------------------------- ended blocks


def test_leave_for_a_block_that_has_ended_is_refused(world):
    publish(world)
    with time_machine.travel(IN_BLOCK_2, tick=False), pytest.raises(ValidationError) as exc:
        services_schedule.leave_request(
            actor=world.cast.resident, member=world.member, block=0, reason="Ill"
        )
    assert "block" in exc.value.message_dict
    assert "Block 1 ended on" in str(exc.value)
    assert not LeaveRequest.objects.exists()


def test_leave_asked_in_time_is_not_approved_once_its_block_has_ended(world):
    publish(world)
    leave = services_schedule.leave_request(
        actor=world.cast.resident, member=world.member, block=3, reason="Exam"
    )
    after_the_calendar = datetime.datetime(2026, 12, 21, 9, tzinfo=UTC)
    with time_machine.travel(after_the_calendar, tick=False), pytest.raises(ValidationError):
        services_schedule.leave_decide(actor=world.cast.coord_a, request_obj=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == RequestStatus.PENDING
    assert _rows(world) == good_rows(world)


# --------------------------------------------------------------------------- overlapping cohorts


def _cohort_on(world, name, start):
    from tandem.residency import services

    calendar = services.calendar_create(
        actor=world.cast.admin,
        name=name,
        training_year=2026,
        kind="four_weeks",
        block_count=4,
        start_date=start,
    )
    return services.cohort_create(
        actor=world.cast.coord_a,
        institution=world.cast.inst_a,
        calendar=calendar,
        name=f"A residents {name}",
    )


def test_a_resident_is_not_put_in_two_cohorts_whose_calendars_overlap(world):
    from tandem.residency import services
    from tandem.residency.models import CohortMember

    overlapping = _cohort_on(world, "autumn", datetime.date(2026, 10, 5))
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=world.cast.coord_a,
            cohort=overlapping,
            resident=world.cast.resident,
            program=world.program,
        )
    message = " ".join(exc.value.message_dict["resident"])
    assert "already in A residents 2026" in message and "shares days" in message
    assert not CohortMember.objects.filter(cohort=overlapping).exists()
    later = _cohort_on(world, "next year", datetime.date(2027, 1, 4))
    services.member_add(
        actor=world.cast.coord_a, cohort=later, resident=world.cast.resident, program=world.program
    )


def test_my_rotations_show_each_cohort_under_its_own_heading(world, client_for):
    from tandem.residency import services
    from tandem.residency.models import Assignment

    publish(world)
    later = _cohort_on(world, "next year", datetime.date(2027, 1, 4))
    member = services.member_add(
        actor=world.cast.coord_a, cohort=later, resident=world.cast.resident, program=world.program
    )
    proposal = make_proposal(world, approved=None)
    schedule = PublishedSchedule.objects.create(
        cohort=later,
        proposal=proposal,
        instance=proposal.instance,
        solution={"assignments": {member.key: [None] * 4}},
        published_by=world.cast.coord_a,
    )
    for block in later.calendar.blocks.all():
        Assignment.objects.create(
            schedule=schedule, member=member, block=block, department=world.a2
        )
    body = client_for("resident").get(reverse("residency:my_schedule")).content.decode()
    assert body.count('<h2 id="cohort-') == 2
    assert body.index("A residents 2026") < body.index("My rotations in A residents 2026")
    assert "A residents next year" in body
    assert ">leave<" not in body


# --------------------------------------------------------------------------- words


def test_sequence_rules_are_entered_as_rows_without_json(world, client_for):
    a1, a2, b1 = _keys(world)
    client = client_for("coord_a")
    url = reverse("residency:program_rules", args=[world.program.pk])
    page = client.get(reverse("residency:program_detail", args=[world.program.pk]))
    assert 'name="rule-0-kind"' in page.content.decode()
    rows = {
        "rule-TOTAL_FORMS": "3",
        "rule-INITIAL_FORMS": "0",
        "rule-0-kind": "precedences",
        "rule-0-first": [a1],
        "rule-0-second": [a2],
        "rule-1-kind": "max_consecutive",
        "rule-1-first": [a1],
        "rule-1-blocks": "2",
        "rule-2-kind": "",
    }
    assert client.post(url, rows).status_code == 302
    world.program.refresh_from_db()
    assert world.program.rules == {
        "precedences": [{"before": [a1], "after": [a2]}],
        "max_consecutive": [{"rotations": [a1], "blocks": 2}],
    }
    bad = client.post(url, {**rows, "rule-1-blocks": ""})
    assert bad.status_code == 400
    assert "Give the number of blocks." in bad.content.decode()
    world.program.refresh_from_db()
    assert len(world.program.rules) == 2


def test_a_coordinator_reads_penalty_points_not_solver_terms(world, client_for):
    proposal = make_proposal(world, approved=None)
    proposal.incumbent = proposal.objective = 76
    proposal.bound = 0
    proposal.save()
    client = client_for("coord_a")
    body = client.get(reverse("residency:proposal_detail", args=[proposal.pk])).content.decode()
    assert "76 penalty points (fewer is better)" in body
    assert "Best possible" not in body
    body = client.get(reverse("residency:cohort_detail", args=[world.cohort.pk])).content.decode()
    assert "76 penalty points" in body and "objective" not in body


def test_schedule_grids_name_the_departments_behind_their_codes(world, client_for):
    publish(world)
    body = (
        client_for("coord_a")
        .get(reverse("residency:schedule_detail", args=[world.cohort.pk]))
        .content.decode()
    )
    assert 'class="legend"' in body
    assert "<dt" in body and ">a1</dt><dd>A1 ward</dd>" in body


# --------------------------------------------------------------------------- solving now


def test_solve_now_is_limited_by_the_service_and_audited_with_who_asked(world):
    from tandem.core.models import AuditEvent

    slow = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=120, enqueue=False
    )
    with pytest.raises(ValidationError) as exc:
        services_schedule.proposal_solve_now(actor=world.cast.coord_a, proposal=slow)
    assert "at most 60 residents and 30 seconds" in str(exc.value)
    slow.refresh_from_db()
    assert slow.status == ProposalStatus.QUEUED
    with pytest.raises(PermissionDenied):
        services_schedule.proposal_solve_now(actor=world.cast.coord_b, proposal=slow)
    quick = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=5, enqueue=False
    )
    services_schedule.proposal_solve_now(actor=world.cast.admin, proposal=quick)
    event = AuditEvent.objects.get(action="proposal.done")
    assert event.actor == world.cast.admin


def test_a_solve_in_the_background_is_audited_with_who_generated_it(world):
    from tandem.core.models import AuditEvent

    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=5, enqueue=False
    )
    services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert AuditEvent.objects.get(action="proposal.done").actor == world.cast.coord_a


def test_the_other_resident_is_notified_of_the_swap_asked_of_them(world, swap):
    notes = Notification.objects.filter(kind=NotificationKind.SWAP_ASKED)
    assert [n.user_id for n in notes] == [world.resident2.pk]
    assert notes[0].url == reverse("residency:my_schedule")
    assert "asks to swap block 4 of the rotation schedule with you" in notification_text(notes[0])
    with translation.override("zh-hans"):
        assert "第 4 段" in notification_text(notes[0])
