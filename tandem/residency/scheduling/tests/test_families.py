"""Families of generated instances (shape parameters) and the benchmark that runs them."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from tandem.residency.scheduling.checker import check_schedule
from tandem.residency.scheduling.instance import instance_to_dict, parse_instance
from tandem.residency.scheduling.solver import SolveOptions, solve
from tandem.residency.scheduling.tools import families
from tandem.residency.scheduling.tools.families import FAMILIES, cpu_hog, run_once, summarize
from tandem.residency.scheduling.tools.generate import generate_instance


def test_sizes_without_a_shape_are_the_instances_of_before() -> None:
    instance = generate_instance("small", seed=1)
    assert instance.name == "small-1" and instance.fairness_weight == 3
    assert len(instance.residents) == 30 and instance.blocks == 13


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ({"blocks": 52, "residents": 12}, lambda i: i.blocks == 52),
        ({"capacity": "tight", "residents": 12}, lambda i: len(i.residents) == 12),
        ({"duration": 3, "stint_share": 1.0, "residents": 12},
         lambda i: i.rotation("H1-CARD").duration == 3),
        ({"extra_rotations": 10, "residents": 12}, lambda i: len(i.rotations) == 30),
        ({"idle_share": 0.5, "residents": 12}, lambda i: any(p.may_idle for p in i.programs)),
        ({"programs": "many", "residents": 12}, lambda i: len(i.programs) == 16),
        ({"hospitals": 2, "residents": 12, "exchange_slack": 3}, lambda i: i.exchange),
        ({"fairness": 0, "leave": "none", "pins": 1.0, "residents": 12},
         lambda i: i.fairness_weight == 0),
    ],
)  # fmt: skip
def test_every_shape_is_feasible_by_construction(shape: dict, expected: object) -> None:
    instance = generate_instance("medium", seed=5, **shape)
    assert callable(expected) and expected(instance)
    assert parse_instance(instance_to_dict(instance)) == instance  # a valid instance file
    result = solve(instance, SolveOptions(time_limit=20.0, explain_infeasible=False))
    assert result.solution.status in ("OPTIMAL", "FEASIBLE")  # planted: never infeasible
    assert check_schedule(instance, result.solution).ok


def test_a_shape_outside_the_generator_names_the_parameter() -> None:
    with pytest.raises(ValueError, match="blocks: expected 13 to 52, got 60"):
        generate_instance("small", blocks=60)
    with pytest.raises(ValueError, match="idle_share: this size has no program"):
        generate_instance("small", idle_share=0.3)


def test_every_family_generates() -> None:
    for name, (size, shape) in FAMILIES.items():
        if shape.get("residents", 0) > 400 or size == "consortium":
            continue  # the largest take long to plant; same code as the others
        assert generate_instance(size, seed=1, **shape).residents, name


def test_summary_counts_runs_past_the_deadline_and_gaps_to_the_best_bound() -> None:
    runs = [
        {"family": "f", "seed": 1, "load": "idle", "residents": 10, "wall": 5.0, "ok": True,
         "status": "OPTIMAL", "objective": 100, "bound": 100, "first": 1.0},
        {"family": "f", "seed": 1, "load": "hog", "residents": 10, "wall": 8.5, "ok": True,
         "status": "FEASIBLE", "objective": 98, "bound": 110, "first": 3.0},
    ]  # fmt: skip
    table = summarize(runs, {"f": 6.0})
    idle, hog = table[2], table[3]
    assert "| idle |" in idle and "0.00 %" in idle and "| 0/1 |" in idle
    # gap against the best bound of the instance (100, proved in the idle run), not its own
    assert "| hog |" in hog and "2.00 %" in hog and "| 1/1 |" in hog


def test_cpu_hog_keeps_every_core_busy_and_ends_its_processes() -> None:
    before = set(multiprocessing.active_children())
    with cpu_hog(2):
        spinning = set(multiprocessing.active_children()) - before
        assert len(spinning) == 2 and all(p.is_alive() for p in spinning)
    assert not any(p.is_alive() for p in spinning)


def test_a_run_is_timed_from_outside_and_its_schedule_checked(tmp_path: Path) -> None:
    instance = generate_instance("medium", seed=2, residents=10)
    path = tmp_path / "i.json"
    path.write_text(json.dumps(instance_to_dict(instance)), encoding="utf-8")
    run = run_once(path, 8.0)
    assert run["ok"] and run["status"] in ("OPTIMAL", "FEASIBLE")
    assert run["wall"] <= 8.0 + families.OVERRUN
    assert run["first"] is not None and run["first"] <= run["wall"]
