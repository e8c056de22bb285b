"""The solver is anytime and honest: the best checked schedule at the deadline, whatever runs.

Sub-solves are replaced by slow, silent or failing ones; the deadline still holds and the
incumbent found before is returned with a true bound. Timing margins are generous (busy
2-core CI machines); the product promise (+2 s for the whole command) is tested in test_cli.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from ortools.sat.python import cp_model

from tandem.residency.scheduling import decompose, hybrid, solver
from tandem.residency.scheduling.checker import check_schedule, recompute_objective
from tandem.residency.scheduling.decompose import PartResult
from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.instance import parse_instance
from tandem.residency.scheduling.solver import SolveOptions, solve
from tandem.residency.scheduling.tests.factories import example_instance
from tandem.residency.scheduling.tools.generate import generate_instance

HYBRID = SolveOptions(time_limit=6.0, engine="hybrid", explain_infeasible=False)
# Past the deadline: the stop grace, a thread switch, a checked schedule handed over.
LATE = 1.5


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test so that deliberately stuck sub-solves end too."""
    event = threading.Event()
    yield event
    event.set()


def _first_only_then(
    behaviour: Any,
) -> Any:
    """A ``solve_part`` that solves the first-schedule parts for real, then ``behaviour``."""
    real = decompose.solve_part

    def fake(instance: Any, part: Any, time_limit: float, **kwargs: Any) -> PartResult:
        if kwargs.get("first_only"):
            return real(instance, part, time_limit, **kwargs)
        return behaviour(instance, part, time_limit, **kwargs)

    return fake


def test_a_sub_solve_that_never_answers_still_gives_the_incumbent_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    def stuck(*args: Any, **kwargs: Any) -> PartResult:
        release.wait(60)  # ignores its time limit and every request to stop
        return PartResult(None, cp_model.UNKNOWN)

    monkeypatch.setattr(hybrid, "solve_part", _first_only_then(stuck))
    instance = generate_instance("pair", seed=3)
    started = time.monotonic()
    result = solve(instance, HYBRID)
    took = time.monotonic() - started
    solution = result.solution
    assert took <= HYBRID.time_limit + LATE
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert check_schedule(instance, solution).ok, check_schedule(instance, solution).problems
    assert result.first_solution_seconds is not None
    assert result.first_solution_seconds < HYBRID.time_limit


def test_a_failing_sub_solve_keeps_the_incumbent_and_says_what_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*args: Any, **kwargs: Any) -> PartResult:
        raise RuntimeError("HiGHS fell over")

    monkeypatch.setattr(hybrid, "solve_part", _first_only_then(failing))
    instance = generate_instance("pair", seed=3)
    result = solve(instance, replace(HYBRID, time_limit=4.0))
    solution = result.solution
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert check_schedule(instance, solution).ok
    assert any("HiGHS fell over" in note for note in result.notes)


def test_a_path_that_fails_before_any_schedule_falls_back_to_cp_sat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("no room for the LP")

    monkeypatch.setattr(solver, "_solve_hybrid", broken)
    instance = generate_instance("pair", seed=3)
    result = solve(instance, replace(HYBRID, time_limit=8.0))
    assert result.solution.status in ("FEASIBLE", "OPTIMAL")
    assert check_schedule(instance, result.solution).ok
    assert any("no room for the LP" in note for note in result.notes)


def test_cp_sat_stopped_at_a_short_deadline_returns_its_best_with_a_true_bound() -> None:
    instance = generate_instance("small", seed=2)
    options = SolveOptions(time_limit=8.0, engine="cp-sat", explain_infeasible=False)
    started = time.monotonic()
    solution = solve(instance, options).solution
    assert time.monotonic() - started <= options.time_limit + LATE
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert check_schedule(instance, solution).ok, check_schedule(instance, solution).problems
    assert solution.bound is None or solution.bound >= (solution.objective or 0)


def test_nothing_found_is_unknown_never_infeasible(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing(instance: Any, options: Any, store: IncumbentStore) -> None:
        store.tighten(10**6)

    monkeypatch.setattr(solver, "solve_cp_sat", nothing)
    instance = parse_instance(example_instance())
    solution = solve(instance, SolveOptions(time_limit=1.0, engine="cp-sat")).solution
    assert solution.status == "UNKNOWN"
    assert solution.assignments is None and solution.conflicts == ()
    assert solution.bound == 10**6


def test_store_refuses_a_schedule_that_breaks_a_rule_and_keeps_the_better_one() -> None:
    instance = parse_instance(example_instance())
    good = solve(instance, SolveOptions(time_limit=10.0)).solution
    assert good.assignments is not None and good.objective is not None
    now = time.monotonic()
    store = IncumbentStore(instance, started=now, deadline=now + 5)
    broken = {rid: tuple(row) for rid, row in good.assignments.items()}
    broken["R001"] = ("H1-WARD",) * instance.blocks  # works on leave, too much ward
    assert not store.offer(broken, "a buggy path")
    assert store.rows is None and store.rejected == 1
    assert store.offer(good.assignments, "CP-SAT")
    assert store.value == good.objective == recompute_objective(instance, good.assignments)
    assert not store.offer(good.assignments, "the same again")  # not better


def test_store_never_takes_a_bound_below_a_checked_schedule() -> None:
    instance = parse_instance(example_instance())
    good = solve(instance, SolveOptions(time_limit=10.0)).solution
    assert good.assignments is not None and good.objective is not None
    now = time.monotonic()
    store = IncumbentStore(instance, started=now, deadline=now + 5)
    store.offer(good.assignments, "CP-SAT")
    store.tighten(good.objective - 1)
    assert store.bound is None and store.errors
    assert not store.proved()
    store.tighten(good.objective)
    assert store.proved() and store.proved_seconds is not None


def test_stop_reaches_registered_solvers_even_after_the_deadline() -> None:
    instance = parse_instance(example_instance())
    now = time.monotonic()
    store = IncumbentStore(instance, started=now, deadline=now + 5)
    told: list[str] = []
    forget = store.on_stop(lambda: told.append("first"))
    store.on_stop(lambda: told.append("second"))
    forget()
    store.stop()
    assert told == ["second"] and store.remaining() == 0
    store.on_stop(lambda: told.append("late"))
    assert told == ["second", "late"]


def test_a_search_stopped_before_it_starts_claims_no_bound_it_has_not_proved() -> None:
    instance = generate_instance("small", seed=1)  # optimum 524 (docs/benchmarks.md)
    for limit in (0.05, 0.3, 1.0):
        solution = solve(instance, SolveOptions(time_limit=limit, engine="cp-sat")).solution
        assert solution.bound is None or solution.bound >= 524, (limit, solution.bound)
        if solution.assignments is not None:
            assert check_schedule(instance, solution).ok
        else:
            assert solution.status == "UNKNOWN"


def test_a_stop_request_ends_the_solve_at_once_with_the_last_schedule_it_kept(
    monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    def stuck(*args: Any, **kwargs: Any) -> PartResult:
        release.wait(60)  # would run to the deadline: only the stop request ends the solve
        return PartResult(None, cp_model.UNKNOWN)

    monkeypatch.setattr(hybrid, "solve_part", _first_only_then(stuck))
    instance = generate_instance("pair", seed=3)
    stop = threading.Event()
    kept: list[tuple[dict[str, tuple[str | None, ...]], int, int | None]] = []

    def keep(rows: Any, value: int, bound: int | None) -> None:
        kept.append((dict(rows), value, bound))
        stop.set()  # the coordinator presses "stop" as soon as there is a schedule

    options = replace(HYBRID, time_limit=60.0, on_schedule=keep, stop=stop)
    started = time.monotonic()
    result = solve(instance, options)
    took = time.monotonic() - started
    solution = result.solution
    assert took < 20.0  # the first schedule comes within seconds; the limit was 60 s
    assert kept, "the first schedule was handed to the listener"
    rows, value, _bound = kept[-1]
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert solution.assignments == rows and solution.objective == value
    assert recompute_objective(instance, rows) == value
    assert check_schedule(instance, solution).ok
    assert solution.bound is None or solution.bound >= value


def test_a_failing_schedule_listener_never_stops_the_solve() -> None:
    def broken(rows: Any, value: int, bound: int | None) -> None:
        raise RuntimeError("the database went away")

    instance = parse_instance(example_instance())
    result = solve(instance, SolveOptions(time_limit=10.0, on_schedule=broken))
    assert result.solution.status == "OPTIMAL"
    assert any("the database went away" in note for note in result.notes)
