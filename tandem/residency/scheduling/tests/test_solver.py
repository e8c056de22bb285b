"""Solver behaviour: valid schedules, proved optima, infeasibility explained, minimal change."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.residency.scheduling.checker import check_schedule, recompute_objective, rule_problems
from tandem.residency.scheduling.instance import Instance, parse_instance
from tandem.residency.scheduling.solver import Progress, SolveOptions, solve
from tandem.residency.scheduling.tests.factories import example_instance, random_tiny_instance
from tandem.residency.scheduling.tools.generate import generate_instance

FAST = SolveOptions(time_limit=10.0, num_workers=2, explain_time_limit=5.0)
Rows = Mapping[str, Sequence[str | None]]


def _all_schedules(instance: Instance) -> Iterator[dict[str, tuple[str | None, ...]]]:
    """Every schedule whose rows each obey the resident's own rules (brute force)."""
    choices = [None, *(r.id for r in instance.rotations)]
    per_resident = []
    for res in instance.residents:
        alone = replace(instance, residents=(res,))
        rows = [
            row
            for row in itertools.product(choices, repeat=instance.blocks)
            if not [p for p in rule_problems(alone, {res.id: row}) if not p.startswith("block ")]
        ]
        per_resident.append(rows)
    for combination in itertools.product(*per_resident):
        yield {res.id: row for res, row in zip(instance.residents, combination, strict=True)}


def _brute_force_best(instance: Instance) -> int | None:
    best = None
    for rows in _all_schedules(instance):
        if not rule_problems(instance, rows):
            value = recompute_objective(instance, rows)
            best = value if best is None else max(best, value)
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**6))
def test_proved_optimum_matches_brute_force(seed: int) -> None:
    instance = parse_instance(random_tiny_instance(seed))
    result = solve(instance, FAST)
    solution = result.solution
    best = _brute_force_best(instance)
    if solution.status == "INFEASIBLE":
        assert best is None
        assert solution.conflicts
        return
    assert solution.status == "OPTIMAL"
    assert check_schedule(instance, solution).ok, check_schedule(instance, solution).problems
    assert solution.objective == best == solution.bound


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=10**6))
def test_planted_instances_are_never_called_infeasible(seed: int) -> None:
    instance = generate_instance("tiny", seed=seed)
    result = solve(instance, replace(FAST, time_limit=3.0))
    assert result.solution.status in ("OPTIMAL", "FEASIBLE")
    report = check_schedule(instance, result.solution)
    assert report.ok, report.problems


def test_example_instance_solves_to_a_checked_optimum() -> None:
    instance = parse_instance(example_instance())
    result = solve(instance, FAST)
    assert result.solution.status == "OPTIMAL"
    assert check_schedule(instance, result.solution).ok


def _understaffed() -> dict[str, Any]:
    data = example_instance()
    data["rotations"][0]["min"] = 3  # H1-ICU needs 3 in every block; there are 2 residents
    return data


def test_infeasible_instance_names_the_understaffed_block() -> None:
    result = solve(parse_instance(_understaffed()), FAST)
    solution = result.solution
    assert solution.status == "INFEASIBLE"
    assert solution.assignments is None
    assert len(solution.conflicts) == 1
    assert (
        "H1-ICU needs at least 3 residents, but only 2 residents whose programs allow it"
        in (solution.conflicts[0])
    )


def test_infeasible_requirements_are_explained_in_words() -> None:
    data = example_instance()
    data["programs"][0]["requirements"][1]["max"] = 3  # too few blocks to fill the year
    data["programs"][0]["requirements"][2]["max"] = 0
    solution = solve(parse_instance(data), FAST).solution
    assert solution.status == "INFEASIBLE"
    assert solution.conflicts
    text = " ".join(solution.conflicts)
    assert "at most 3 blocks on H1-WARD" in text
    assert "Traceback" not in text and "(" in text
    assert not any("rule (" in c for c in solution.conflicts)  # no raw rule keys


def test_pinned_block_on_leave_is_a_conflict() -> None:
    data = example_instance()
    data["residents"][0]["fixed"] = {"6": "H1-WARD"}  # block 6 is leave
    solution = solve(parse_instance(data), FAST).solution
    assert solution.status == "INFEASIBLE"
    assert any("pinned to H1-WARD in block 6, but is on leave" in c for c in solution.conflicts)


def _changes(a: Rows, b: Rows) -> int:
    return sum(x != y for rid in a for x, y in zip(a[rid], b[rid], strict=True))


def test_minimize_changes_after_a_new_pin_changes_no_more_than_needed() -> None:
    instance = parse_instance(random_tiny_instance(7, residents=2, blocks=4))
    seed = 7
    while solve(instance, FAST).solution.status != "OPTIMAL":
        seed += 1
        instance = parse_instance(random_tiny_instance(seed, residents=2, blocks=4))
    first = solve(instance, FAST).solution
    assert first.assignments is not None
    # Pin the first resident's first working block to another rotation, where that is feasible.
    for res in instance.residents:
        for t, current in enumerate(first.assignments[res.id]):
            for other in instance.program_of(res).allowed_rotations:
                if other == current or t in res.leave:
                    continue
                pinned_res = replace(res, fixed={**res.fixed, t: other})
                pinned = replace(
                    instance,
                    residents=tuple(
                        pinned_res if r.id == res.id else r for r in instance.residents
                    ),
                )
                needed = min(
                    (
                        _changes(rows, first.assignments)
                        for rows in _all_schedules(pinned)
                        if not rule_problems(pinned, rows)
                    ),
                    default=None,
                )
                if needed is None:
                    continue
                options = replace(FAST, previous=first.assignments, minimize_changes=True)
                result = solve(pinned, options)
                assert result.solution.assignments is not None
                assert result.solution.assignments[res.id][t] == other
                assert result.changed_assignments == needed
                assert result.changed_assignments >= 1
                assert check_schedule(pinned, result.solution).ok
                plain = solve(pinned, replace(FAST, previous=first.assignments))
                assert plain.changed_assignments is not None
                assert plain.changed_assignments >= needed
                return
    raise AssertionError("no feasible pin found")


def test_progress_reports_incumbents_and_bounds() -> None:
    seen: list[Progress] = []
    instance = generate_instance("tiny", seed=3)
    solve(instance, replace(FAST, time_limit=3.0, progress=seen.append))
    assert any(p.objective is not None for p in seen)
    assert any(p.bound is not None for p in seen)
