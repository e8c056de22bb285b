"""A department's capacity per block: the service, the solver's instance built from it, and the
checks of a published schedule against the capacities it was made with."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.core.models import AuditEvent
from tandem.institutions.models import Unit, UnitKind
from tandem.residency import capacity, cohort_instance, instancing, services, services_schedule
from tandem.residency.models import (
    CapacityOverride,
    LeaveRequest,
    ProposalStatus,
    SwapRequest,
)
from tandem.residency.scheduling import parse_instance
from tandem.residency.tests.factories import (
    build_world,
    make_base_director,
    make_proposal,
    publish,
)


@pytest.fixture
def world(cast):
    return build_world(cast)


def _set(world, rows, department=None, actor=None, calendar=None):
    return capacity.capacity_set(
        actor=actor or world.cast.coord_a,
        department=department or world.a1,
        calendar=calendar or world.calendar,
        rows=rows,
    )


def _stored(world, department=None):
    return {
        (o.block.index): (o.min_per_block, o.max_per_block)
        for o in capacity.override_list(department or world.a1, world.calendar)
    }


def _rotation(instance, department):
    return next(r for r in instance["rotations"] if r["id"] == f"D{department.pk}")


def _instance(world):
    return cohort_instance.instance_for_cohort(world.cohort, name="t")


# --------------------------------------------------------------------------- the service


def test_training_office_sets_blocks_and_sends_them_back_to_the_department(world):
    _set(world, {0: (None, 1), 2: (2, 3)})
    assert _stored(world) == {0: (None, 1), 2: (2, 3)}
    rows = capacity.capacity_by_block(world.a1, world.calendar)
    assert [(r.number, r.min_per_block, r.max_per_block) for r in rows] == [
        (1, 0, 1),
        (2, 0, 3),
        (3, 2, 3),
        (4, 0, 3),
    ]
    _set(world, {0: None, 2: (None, None), 3: (1, None)})
    assert _stored(world) == {3: (1, None)}


def test_every_change_is_audited_on_the_department_in_words(world):
    _set(world, {1: (None, 1)})
    event = AuditEvent.objects.get(action="department.capacity_set")
    assert event.target_id == str(world.a1.pk) and event.actor == world.cast.coord_a
    assert event.changes == {"2026/27, block 2 — max_per_block": [3, 1]}
    _set(world, {1: (2, None)})
    event = AuditEvent.objects.filter(action="department.capacity_set").latest("pk")
    assert event.changes == {
        "2026/27, block 2 — min_per_block": [0, 2],
        "2026/27, block 2 — max_per_block": [1, 3],
    }
    _set(world, {1: (2, None)})  # nothing changes: nothing to record
    assert AuditEvent.objects.filter(action="department.capacity_set").count() == 2


def test_base_director_sets_their_own_base_only(world, cast):
    _set(world, {0: (None, 2)}, actor=make_base_director(world))
    surgery = Unit.objects.create(
        institution=cast.inst_a,
        name="Surgery base A",
        kind=UnitKind.TRAINING_BASE,
        specialty="surgery",
    )
    other = UserFactory(username="director_surgery")
    Membership.objects.create(
        user=other, role=Role.BASE_DIRECTOR, institution=cast.inst_a, unit=surgery
    )
    with pytest.raises(PermissionDenied):
        _set(world, {1: (None, 0)}, actor=other)
    with pytest.raises(PermissionDenied):
        _set(world, {1: (None, 0)}, actor=cast.coord_b)  # a partner's training office
    assert _stored(world) == {0: (None, 2)}


def test_one_bad_row_saves_nothing_and_every_problem_names_its_block(world):
    with pytest.raises(ValidationError) as exc:
        _set(world, {0: (None, 1), 1: (3, 1), 3: (5, None), 6: (0, 1)})
    messages = exc.value.message_dict["rows"]
    assert any(m.startswith("Block 2:") and "(3)" in m and "(1)" in m for m in messages)
    assert any(m.startswith("Block 4:") and "at most (3)" in m for m in messages)
    assert "Block 7 is not in this calendar." in messages
    assert not any(m.startswith("Block 1") for m in messages)
    assert not CapacityOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="department.capacity_set").exists()


def test_a_most_below_the_departments_least_is_refused(world):
    services.department_update(actor=world.cast.coord_a, department=world.a1, min_per_block=1)
    with pytest.raises(ValidationError) as exc:
        _set(world, {2: (None, 0)})
    assert exc.value.message_dict["rows"][0].startswith("Block 3:")
    _set(world, {2: (0, 0)})  # a ward closed for renovation: none, and none needed
    assert _stored(world) == {2: (0, 0)}


@pytest.mark.parametrize("value", [-1, 40000, True, "2"])
def test_numbers_out_of_range_are_refused(world, value):
    with pytest.raises(ValidationError) as exc:
        _set(world, {0: (None, value)})
    assert "Block 1" in exc.value.messages[0]


def test_calendar_of_another_hospital_is_refused(world, cast):
    b_calendar = services.calendar_create(
        actor=cast.coord_b,
        name="B only",
        training_year=2026,
        kind="four_weeks",
        block_count=4,
        institution=cast.inst_b,
        start_date=datetime.date(2026, 8, 31),
    )
    with pytest.raises(ValidationError) as exc:
        _set(world, {0: (None, 1)}, calendar=b_calendar)
    assert "calendar" in exc.value.message_dict
    assert (
        not capacity.calendar_list_for_department(cast.coord_b, world.a1)
        .filter(pk=b_calendar.pk)
        .exists()
    )


def test_the_database_keeps_least_at_most_the_most(world):
    block = world.calendar.blocks.get(index=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityOverride.objects.create(
            department=world.a1, block=block, min_per_block=3, max_per_block=1
        )


def test_department_numbers_that_contradict_a_block_are_found(world):
    _set(world, {1: (None, 1)})
    with pytest.raises(ValidationError) as exc:
        capacity.check_department_numbers(world.a1, 2, 4)
    assert "block 2" in exc.value.messages[0]
    capacity.check_department_numbers(world.a1, 1, 4)


def test_a_department_update_that_contradicts_a_block_saves_nothing(world, cast):
    _set(world, {1: (None, 1)})
    with pytest.raises(ValidationError) as exc:
        services.department_update(
            actor=cast.coord_a, department=world.a1, min_per_block=2, max_per_block=4
        )
    assert set(exc.value.message_dict) == {"max_per_block"}
    world.a1.refresh_from_db()
    assert world.a1.min_per_block != 2


# --------------------------------------------------------------------------- the instance


def test_instance_keeps_plain_numbers_without_overrides(world):
    rotation = _rotation(_instance(world), world.a1)
    assert rotation["min"] == 0 and rotation["max"] == 3


def test_instance_gives_per_block_lists_where_a_department_has_overrides(world):
    _set(world, {1: (2, 2), 3: (None, 1)})
    _set(world, {0: (1, 1)}, department=world.b1, actor=world.cast.coord_b)
    data = _instance(world)
    a1, a2, b1 = (_rotation(data, d) for d in (world.a1, world.a2, world.b1))
    assert a1["min"] == [0, 2, 0, 0] and a1["max"] == [3, 2, 3, 1]
    assert a2["min"] == 0 and a2["max"] == 3  # no override: as before
    assert b1["min"] == [0, 0, 0, 0]  # B's own residents cover B's minimum
    assert b1["max"] == [1, 2, 2, 2]
    parsed = parse_instance(data).rotation(f"D{world.a1.pk}")
    assert parsed.max_per_block == (3, 2, 3, 1)


def test_places_taken_by_other_schedules_come_off_the_blocks_numbers(world):
    _set(world, {1: (2, 2)})
    data = cohort_instance.instance_for_cohort(world.cohort, name="t")
    again = cohort_instance._with_capacity_by_block(
        data, world.cohort, [world.a1, world.a2, world.b1], {(world.a1.pk, 1): 1}
    )
    assert _rotation(again, world.a1)["min"] == [0, 1, 0, 0]
    assert _rotation(again, world.a1)["max"] == [3, 1, 3, 3]


def test_overrides_on_another_calendar_do_not_apply(world, cast):
    other = services.calendar_create(
        actor=cast.admin,
        name="2027/28",
        training_year=2027,
        kind="four_weeks",
        block_count=4,
        start_date=datetime.date(2027, 8, 30),
    )
    _set(world, {0: (None, 0)}, calendar=other)
    assert _rotation(_instance(world), world.a1)["max"] == 3


def _a1_per_block(world, proposal):
    key = f"D{world.a1.pk}"
    rows = proposal.solution["assignments"].values()
    return [sum(1 for row in rows if row[t] == key) for t in range(4)]


def _solve(world):
    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=10, enqueue=False
    )
    proposal = services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert proposal.status == ProposalStatus.DONE, proposal.error
    result = instancing.checked(
        instancing.stored_instance(proposal.instance), instancing.stored_rows(proposal.solution)
    )
    assert result.report.findings == []
    return proposal


def test_the_solver_keeps_to_lowered_and_raised_capacities(world):
    for member in (world.member, world.member2):  # both want as much of A1 as they may have
        services.member_update(
            actor=world.cast.coord_a,
            member=member,
            preferences=[{"department": world.a1.pk, "points": 5}],
        )
    assert _a1_per_block(world, _solve(world))[0] == 2  # left alone, both start on A1
    _set(world, {0: (None, 0), 1: (None, 1)})
    _set(world, {3: (2, None)}, department=world.a2)
    proposal = _solve(world)
    load = _a1_per_block(world, proposal)
    assert load[0] == 0 and load[1] <= 1
    a2 = f"D{world.a2.pk}"
    assert all(row[3] == a2 for row in proposal.solution["assignments"].values())


# --------------------------------------------------------------------------- after publishing


@pytest.mark.parametrize("raised", [False, True])
def test_leave_is_checked_against_the_blocks_own_minimum(world, raised):
    if raised:
        _set(world, {1: (2, None)})  # both residents are on A1 in block 2: it needs them
    publish(world)
    if not raised:
        services_schedule.leave_request(
            actor=world.cast.resident, member=world.member, block=1, reason="Exam"
        )
        assert LeaveRequest.objects.count() == 1
        return
    with pytest.raises(ValidationError) as exc:
        services_schedule.leave_request(
            actor=world.cast.resident, member=world.member, block=1, reason="Exam"
        )
    assert "it needs at least 2" in str(exc.value)
    assert not LeaveRequest.objects.exists()


def test_a_schedule_that_overfills_a_lowered_block_is_not_published(world):
    _set(world, {1: (None, 1)})  # the hand-made schedule has both residents on A1 in block 2
    proposal = make_proposal(world)
    with pytest.raises(ValidationError) as exc:
        services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    assert "it takes at most 1" in str(exc.value)


def test_swaps_are_checked_against_the_stored_per_block_capacities(world):
    """A swap inside one block moves no one between departments, so it cannot overfill one;
    it is still checked against the stored instance with its per-block lists."""
    _set(world, {1: (2, 3), 3: (None, 1)})
    schedule = publish(world)
    assert isinstance(_rotation(schedule.instance, world.a1)["max"], list)
    with pytest.raises(ValidationError):  # three blocks of A1 in a row for the second resident
        services_schedule.swap_request(
            actor=world.cast.resident, member=world.member, other=world.member2, block=2
        )
    swap = services_schedule.swap_request(
        actor=world.cast.resident, member=world.member, other=world.member2, block=3
    )
    services_schedule.swap_consent(actor=world.resident2, request_obj=swap, accept=True)
    swap.refresh_from_db()
    services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)
    schedule.refresh_from_db()
    assert schedule.solution["assignments"][world.member2.key][3] == f"D{world.b1.pk}"
    assert SwapRequest.objects.get().status == "approved"
