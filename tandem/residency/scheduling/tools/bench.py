"""``python -m tandem.residency.scheduling bench``: our solver against greedy, CBC and the LP bound.

Each method runs in its own subprocess so that its peak memory (``ru_maxrss`` of the process
and of the CBC process it starts) is measured alone. Every schedule is checked by ``check``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from tandem.residency.scheduling.tools import baselines

DEFAULT_LIMITS = {"tiny": 5.0, "small": 10.0, "medium": 60.0, "large": 120.0, "consortium": 300.0}
METHODS = ("cpsat", "greedy", "mip", "lp")
LABELS = {
    "cpsat": "Tandem (ours)",
    "greedy": "greedy (coordinator)",
    "mip": "MIP, PuLP + CBC",
    "lp": "LP relaxation (CBC)",
}
ENGINE_LABELS = {"cp-sat": "CP-SAT", "hybrid": "HiGHS parts + LP bound"}


def _run_method(method: str, size: str, seed: int, time_limit: float) -> dict[str, Any]:
    from tandem.residency.scheduling.checker import recompute_objective, rule_problems
    from tandem.residency.scheduling.solver import SolveOptions, choose_engine, solve
    from tandem.residency.scheduling.tools.generate import generate_instance

    instance = generate_instance(size, seed=seed)
    started = time.monotonic()
    engine = None
    note: str
    if method == "cpsat":
        result = solve(instance, SolveOptions(time_limit=time_limit, seed=seed))
        solution = result.solution
        assignments, objective, bound = solution.assignments, solution.objective, solution.bound
        first, optimal, note = (
            result.first_solution_seconds,
            result.optimal_seconds,
            solution.status,
        )
        engine = choose_engine(instance, SolveOptions(time_limit=time_limit, seed=seed))
    else:
        if method == "greedy":
            baseline = baselines.greedy_schedule(instance)
        else:
            baseline = baselines.mip_schedule(instance, time_limit, relax=method == "lp")
        assignments, objective, bound = baseline.assignments, baseline.objective, baseline.bound
        first, optimal, note = (
            baseline.first_solution_seconds,
            baseline.optimal_seconds,
            baseline.note,
        )
    wall = time.monotonic() - started
    broken = None
    if assignments is not None:
        broken = len(rule_problems(instance, assignments))
        assert objective == recompute_objective(instance, assignments), "objective mismatch"
    return {
        "method": method,
        "objective": objective,
        "bound": bound,
        "first": first,
        "optimal": optimal,
        "wall": wall,
        "broken": broken,
        "note": note,
        "engine": engine,
    }


def _measure(method: str, size: str, seed: int, time_limit: float) -> dict[str, Any]:
    """Run one method in a child process; add its peak memory in MB."""
    command = [
        sys.executable, "-m", "tandem.residency.scheduling", "bench", "--worker",
        method, size, str(seed), str(time_limit),
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    # wait4 reports the child's peak RSS including its waited-for children (CBC).
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not lines:
        return {"method": method, "error": f"exit {child.returncode}", "memory_mb": None}
    result: dict[str, Any] = json.loads(lines[-1])
    result["memory_mb"] = usage.ru_maxrss / 1024
    return result


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _row(size: str, result: dict[str, Any], best_bound: int | None) -> str:
    method = LABELS[result["method"]]
    if result.get("engine"):
        method = f"{method}: {ENGINE_LABELS[result['engine']]}"
    if "error" in result:
        return f"| {size} | {method} | failed ({result['error']}) | | | | | |"
    objective, bound = result["objective"], result["bound"]
    if objective is None:
        shown = "—" if result["method"] == "lp" else f"none ({result['note']})"
    elif result["broken"]:
        shown = f"{objective} (infeasible: {result['broken']} broken rules)"
    else:
        shown = str(objective)
    gap = "—"
    if objective is not None and not result["broken"] and best_bound is not None:
        gap = f"{100 * (best_bound - objective) / max(1, abs(best_bound)):.2f} %"
    memory = "—" if result["memory_mb"] is None else f"{result['memory_mb']:.0f} MB"
    bound_text = "—" if bound is None else str(bound)
    if result["method"] == "lp":
        return (
            f"| {size} | {method} | — | {bound_text} | — | — | {_seconds(result['optimal'])} (LP) "
            f"| {memory} |"
        )
    return (
        f"| {size} | {method} | {shown} | {bound_text} | {gap} | {_seconds(result['first'])} "
        f"| {_seconds(result['optimal'])} | {memory} |"
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tandem.residency.scheduling bench")
    parser.add_argument("--sizes", default="small,medium,large,consortium")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--time-limit", type=float, help="seconds per method and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        method, size, seed, limit = args.worker
        print(json.dumps(_run_method(method, size, int(seed), float(limit))))
        return 0
    methods = args.methods.split(",")
    if {"mip", "lp"} & set(methods) and not baselines.pulp_available():
        print(f"error: {baselines.PULP_MISSING}", file=sys.stderr)
        return 2
    print("| size | method | objective | proved bound | gap to best bound | first feasible "
          "| proved optimum | peak memory |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in args.sizes.split(","):
        limit = args.time_limit or DEFAULT_LIMITS.get(size, 60.0)
        results = [_measure(m, size, args.seed, limit) for m in methods]
        bounds = [r["bound"] for r in results if r.get("bound") is not None]
        best_bound = min(bounds) if bounds else None
        for result in results:
            print(_row(f"{size} ({limit:g} s)", result, best_bound), flush=True)
    return 0
