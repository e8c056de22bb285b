"""A solve started from the page, the API or the task keeps its promises: the service's time
limit holds whatever the solver does, the coordinator can stop it and keep the best schedule so
far, and a solve whose worker is lost ends as interrupted with what it had saved."""

import datetime
import threading
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.residency import instancing, services_schedule
from tandem.residency.models import ProposalStatus, ScheduleProposal
from tandem.residency.scheduling import Progress, Solution, SolveResult, check_rows
from tandem.residency.tests.factories import build_world, good_rows, make_proposal

API = "/api/v1/residency"


@pytest.fixture
def world(cast):
    return build_world(cast)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test so that deliberately stuck fake solves end too."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def quick(monkeypatch):
    """Ticks five times a second, so the tests take little time."""
    monkeypatch.setattr(services_schedule, "PROGRESS_INTERVAL", 0.2)


def _queued(world, time_limit=5):
    return services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=time_limit, enqueue=False
    )


def _kept(world, proposal) -> tuple[dict[str, tuple], int]:
    """A schedule that breaks no rule and its objective, as the solver's store would hand it."""
    rows = {key: tuple(row) for key, row in good_rows(world).items()}
    report = check_rows(instancing.stored_instance(proposal.instance), rows)
    assert not report.findings and report.objective is not None
    return rows, report.objective


def _fake_solver(rows, value, *, honour_stop: bool, release: threading.Event, seen: dict):
    """A solve that hands over one schedule at once, then runs until told to stop (or, when it
    does not honour stop requests, until the test ends)."""

    def fake(instance: Any, options: Any) -> SolveResult:
        seen["time_limit"] = options.time_limit
        options.on_schedule(rows, value, None)
        options.progress(_progress(value))
        if honour_stop:
            options.stop.wait(60)
        else:
            release.wait(60)
        solution = Solution(instance.name, "FEASIBLE", value, None, 1.0, rows)
        return SolveResult(solution, None, 0.1, None)

    return fake


def _progress(value):
    return Progress(0.1, value, None)


# --------------------------------------------------------------------------- the time limit


def test_the_task_solves_with_at_most_the_services_limit_whatever_the_row_says(
    world, monkeypatch, quick
):
    proposal = _queued(world)
    rows, value = _kept(world, proposal)
    ScheduleProposal.objects.filter(pk=proposal.pk).update(time_limit=5000)  # not by the service
    seen: dict = {}
    fake = _fake_solver(rows, value, honour_stop=True, release=threading.Event(), seen=seen)

    def returns_at_once(instance, options):
        options.stop.set()
        return fake(instance, options)

    monkeypatch.setattr(services_schedule, "solve", returns_at_once)
    done = services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert seen["time_limit"] == services_schedule.MAX_TIME_LIMIT
    assert done.status == ProposalStatus.DONE


def test_a_solver_that_overruns_its_limit_is_not_waited_for(world, monkeypatch, quick, release):
    monkeypatch.setattr(services_schedule, "OVERRUN_SECONDS", 1.0)
    proposal = _queued(world, time_limit=2)
    rows, value = _kept(world, proposal)
    seen: dict = {}
    fake = _fake_solver(rows, value, honour_stop=False, release=release, seen=seen)
    monkeypatch.setattr(services_schedule, "solve", fake)
    started = time.monotonic()
    done = services_schedule.proposal_solve(proposal_id=proposal.pk)
    took = time.monotonic() - started
    assert took <= 2 + 1.0 + 1.5  # the limit, the overrun allowed, a tick and a thread switch
    assert done.status == ProposalStatus.DONE
    assert instancing.stored_rows(done.solution) == rows
    assert done.solution["status"] == "FEASIBLE" and done.objective == value


def test_a_solver_that_overruns_with_nothing_found_fails_in_words(
    world, monkeypatch, quick, release
):
    monkeypatch.setattr(services_schedule, "OVERRUN_SECONDS", 0.5)
    proposal = _queued(world, time_limit=1)

    def silent(instance, options):
        release.wait(60)

    monkeypatch.setattr(services_schedule, "solve", silent)
    done = services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert done.status == ProposalStatus.FAILED
    assert "did not answer within its time limit" in done.error


@pytest.mark.parametrize("limit", [0, 301])
def test_the_api_refuses_a_time_limit_out_of_range_naming_it(world, client_for, limit):
    client = client_for("coord_a")
    response = client.post(
        f"{API}/cohorts/{world.cohort.pk}/proposals/",
        {"time_limit": limit},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "time_limit" in response.json()["errors"]
    assert not ScheduleProposal.objects.exists()


# --------------------------------------------------------------------------- stop


def test_stop_ends_the_solve_with_the_best_schedule_so_far_audited_with_who_asked(
    world, monkeypatch, quick
):
    proposal = _queued(world, time_limit=60)
    rows, value = _kept(world, proposal)
    seen: dict = {}
    monkeypatch.setattr(
        services_schedule,
        "solve",
        _fake_solver(rows, value, honour_stop=True, release=threading.Event(), seen=seen),
    )
    real = services_schedule._solve_in_thread
    saved_while_running: list = []

    def the_coordinator_presses_stop(instance, kwargs, on_tick):
        def tick(t):
            answer = on_tick(t)
            row = ScheduleProposal.objects.get(pk=proposal.pk)
            if row.solution and row.stop_requested_at is None:
                saved_while_running.append((row.status, row.solution, row.heartbeat_at))
                # The request comes between two ticks, from the page or the API.
                services_schedule.proposal_stop(actor=world.cast.admin, proposal=row)
            return answer

        return real(instance, kwargs, tick)

    monkeypatch.setattr(services_schedule, "_solve_in_thread", the_coordinator_presses_stop)
    started = time.monotonic()
    done = services_schedule.proposal_solve(proposal_id=proposal.pk)
    assert time.monotonic() - started < 10  # not the 60 s of the limit
    # The schedule was on the row while the solve ran, with a heartbeat.
    status, solution, heartbeat = saved_while_running[0]
    assert status == ProposalStatus.SOLVING and heartbeat is not None
    assert instancing.stored_rows(solution) == rows
    # It ends as a finished proposal with that schedule, FEASIBLE with its bound.
    assert done.status == ProposalStatus.DONE
    assert instancing.stored_rows(done.solution) == rows
    assert done.solution["status"] == "FEASIBLE" and done.objective == value
    assert done.stop_requested_by == world.cast.admin
    stop = AuditEvent.objects.get(action="proposal.stop")
    assert stop.actor == world.cast.admin
    assert AuditEvent.objects.get(action="proposal.done").actor == world.cast.admin


def test_stop_is_for_the_training_office_and_a_running_solve_only(world):
    running = make_proposal(world, approved=False, status=ProposalStatus.SOLVING)
    with pytest.raises(PermissionDenied):
        services_schedule.proposal_stop(actor=world.cast.coord_b, proposal=running)
    services_schedule.proposal_stop(actor=world.cast.coord_a, proposal=running)
    with pytest.raises(ValidationError) as again:
        services_schedule.proposal_stop(actor=world.cast.coord_a, proposal=running)
    assert "status" in again.value.message_dict
    finished = make_proposal(world)
    with pytest.raises(ValidationError) as done:
        services_schedule.proposal_stop(actor=world.cast.coord_a, proposal=finished)
    assert "status" in done.value.message_dict
    assert AuditEvent.objects.filter(action="proposal.stop").count() == 1


def test_the_progress_bar_offers_stop_to_the_training_office_only(world, client_for):
    running = make_proposal(world, approved=False, status=ProposalStatus.SOLVING)
    ScheduleProposal.objects.filter(pk=running.pk).update(
        started_at=timezone.now(), heartbeat_at=timezone.now(), time_limit=60
    )
    url = reverse("residency:proposal_progress", args=[running.pk])
    stop_url = reverse("residency:proposal_stop", args=[running.pk])
    office = client_for("coord_a").get(url).content.decode()
    assert stop_url in office and "<progress" in office and "of 60 seconds" in office
    partner = client_for("coord_b").get(url).content.decode()
    assert stop_url not in partner
    # Without JavaScript: a plain form, then the page again.
    response = client_for("coord_a").post(stop_url)
    assert response.status_code == 302
    page = client_for("coord_a").get(response["Location"]).content.decode()
    assert "Stopping: the best schedule found so far is kept in a moment." in page
    assert stop_url not in page  # asked once


def test_stop_over_the_api(world, client_for):
    running = make_proposal(world, approved=False, status=ProposalStatus.SOLVING)
    response = client_for("coord_a").post(f"{API}/proposals/{running.pk}/stop/")
    assert response.status_code == 200
    assert response.json()["stop_requested_at"] is not None
    again = client_for("coord_a").post(f"{API}/proposals/{running.pk}/stop/")
    assert again.status_code == 400 and "status" in again.json()["errors"]


# --------------------------------------------------------------------------- a lost worker


class WorkerKilled(BaseException):
    """Stands for the process being killed: nothing after it runs, no handler catches it."""


def _killed_after_saving(world, monkeypatch, proposal):
    rows, value = _kept(world, proposal)
    monkeypatch.setattr(
        services_schedule,
        "solve",
        _fake_solver(rows, value, honour_stop=True, release=threading.Event(), seen={}),
    )
    real = services_schedule._solve_in_thread

    def killed(instance, kwargs, on_tick):
        def tick(t):
            on_tick(t)
            if ScheduleProposal.objects.get(pk=proposal.pk).solution:
                raise WorkerKilled
            return False

        return real(instance, kwargs, tick)

    monkeypatch.setattr(services_schedule, "_solve_in_thread", killed)
    with pytest.raises(WorkerKilled):
        services_schedule.proposal_solve(proposal_id=proposal.pk)
    return rows, value


def _silent_for(proposal, seconds):
    ScheduleProposal.objects.filter(pk=proposal.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def test_a_killed_worker_ends_as_interrupted_with_what_it_saved(
    world, monkeypatch, quick, client_for
):
    proposal = _queued(world, time_limit=20)
    rows, value = _killed_after_saving(world, monkeypatch, proposal)
    left = ScheduleProposal.objects.get(pk=proposal.pk)
    assert left.status == ProposalStatus.SOLVING  # what a killed worker leaves behind
    page_url = reverse("residency:proposal_detail", args=[proposal.pk])
    # Within its limit and the margin, it may still be working: nothing changes.
    _silent_for(proposal, 20 + services_schedule.LOST_MARGIN_SECONDS - 5)
    assert client_for("coord_a").get(page_url).status_code == 200
    assert ScheduleProposal.objects.get(pk=proposal.pk).status == ProposalStatus.SOLVING
    # Silent for longer: the page load ends it as interrupted, keeping the saved schedule.
    _silent_for(proposal, 20 + services_schedule.LOST_MARGIN_SECONDS + 5)
    page = client_for("coord_a").get(page_url).content.decode()
    ended = ScheduleProposal.objects.get(pk=proposal.pk)
    assert ended.status == ProposalStatus.INTERRUPTED
    assert instancing.stored_rows(ended.solution) == rows and ended.objective == value
    assert "Interrupted" in page and "the best schedule it had found is kept" in page
    event = AuditEvent.objects.get(action="proposal.interrupted")
    assert event.actor is None
    # It can be solved again from there.
    assert reverse("residency:proposal_resolve", args=[proposal.pk]) in page


def test_the_sweep_interrupts_lost_solves_and_leaves_live_ones(world, client_for):
    lost = make_proposal(world, approved=None, status=ProposalStatus.SOLVING)
    live = make_proposal(world, approved=None, status=ProposalStatus.SOLVING)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ScheduleProposal.objects.filter(pk=lost.pk).update(
        started_at=long_ago, heartbeat_at=None, solution=None
    )
    ScheduleProposal.objects.filter(pk=live.pk).update(
        started_at=long_ago, heartbeat_at=timezone.now()
    )
    out = StringIO()
    call_command("sweep_lost_solves", stdout=out)
    assert "1 lost solves interrupted" in out.getvalue()
    lost.refresh_from_db()
    live.refresh_from_db()
    assert lost.status == ProposalStatus.INTERRUPTED
    assert "before it found a schedule" in lost.error
    assert live.status == ProposalStatus.SOLVING
    call_command("sweep_lost_solves", stdout=out)  # idempotent
    assert AuditEvent.objects.filter(action="proposal.interrupted").count() == 1
    # The API reads a lost solve as interrupted too.
    ScheduleProposal.objects.filter(pk=live.pk).update(heartbeat_at=long_ago)
    response = client_for("coord_a").get(f"{API}/proposals/{live.pk}/")
    assert response.json()["status"] == ProposalStatus.INTERRUPTED
