"""Solve an instance: CP-SAT for small instances and re-solves, HiGHS on parts for the rest.

``solve(instance, SolveOptions) -> SolveResult`` is the library's entry point. Two paths:

- CP-SAT (``cpsat.py``): one model of the whole instance. Small instances (CP-SAT proves them
  optimal within seconds), every re-solve near a previous schedule (hints, fewest changed
  cells), and the safety net when the hybrid path finds nothing (e.g. an infeasible instance,
  which CP-SAT then proves and ``explain.py`` explains).
- hybrid (``hybrid.py``): HiGHS on parts of the instance with an exact LP bound; for medium
  and large instances, where CP-SAT's own search is too slow (docs/benchmarks.md, decision
  010). A schedule of a mid-sized instance that stops short of the LP bound is handed to
  CP-SAT to prove optimal (or improve) in the time left.

Every reported bound is a true upper bound: CP-SAT's, or the LP bound recomputed exactly.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from tandem.residency.scheduling import mip
from tandem.residency.scheduling.cpsat import (
    identical_resident_groups,
    solve_cp_sat,
)
from tandem.residency.scheduling.evaluate import schedule_objective
from tandem.residency.scheduling.instance import Instance, Solution, Status
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.options import (
    DEFAULT_SUBSOLVERS,
    DEFAULT_WORKERS,
    ENGINES,
    Assignments,
    Progress,
    SolveOptions,
    SolveResult,
)

__all__ = [
    "DEFAULT_SUBSOLVERS",
    "DEFAULT_WORKERS",
    "ENGINES",
    "Assignments",
    "Progress",
    "SolveOptions",
    "SolveResult",
    "assignment_triples",
    "choose_engine",
    "identical_resident_groups",
    "solve",
]

# Up to this many (resident, rotation, block) triples the CP-SAT path proves optimality
# fastest (the small instance has 4,452; the medium one 17,991, where HiGHS is faster).
CP_SAT_TRIPLES = 8000
# Up to this many, a hybrid schedule short of the LP bound is handed to CP-SAT to prove or
# improve in the time left (beyond, CP-SAT's proof has no chance in the time of a solve).
PROVE_TRIPLES = 30000


def assignment_triples(instance: Instance) -> int:
    """How many assignment variables the model of ``instance`` has."""
    return sum(
        len(instance.program_of(res).allowed_rotations) * (instance.blocks - len(res.leave))
        for res in instance.residents
    )


def choose_engine(instance: Instance, options: SolveOptions) -> str:
    """The path ``solve`` takes: "cp-sat" or "hybrid"."""
    if options.engine not in ENGINES:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {options.engine!r}")
    if options.engine != "auto":
        return options.engine
    if options.previous is not None or assignment_triples(instance) <= CP_SAT_TRIPLES:
        return "cp-sat"
    return "hybrid"


def solve(instance: Instance, options: SolveOptions | None = None) -> SolveResult:
    """Best schedule within ``options.time_limit``; conflicts in words when there is none."""
    options = options or SolveOptions()
    started = time.monotonic()
    if choose_engine(instance, options) == "cp-sat" or options.previous is not None:
        return solve_cp_sat(instance, options, started)
    return _solve_hybrid(instance, options, started)


def _solve_hybrid(instance: Instance, options: SolveOptions, started: float) -> SolveResult:
    from tandem.residency.scheduling.hybrid import solve_by_parts

    def report(objective: int | None, bound: int | None) -> None:
        if options.progress is not None:
            options.progress(Progress(time.monotonic() - started, objective, bound))

    engine = "mip" if mip.available() else "cp-sat"
    result = solve_by_parts(
        instance, options.time_limit, started=started, engine=engine, seed=options.seed,
        workers=options.num_workers, report=report,
    )  # fmt: skip
    if result.rows is None or result.objective is None:
        # Nothing from the parts (an infeasible instance, or one whose sites cannot manage
        # alone): CP-SAT on the whole instance decides, with at least a few seconds.
        now = time.monotonic()
        return solve_cp_sat(instance, options, min(started, now - options.time_limit + 5.0))
    rows, value, bound = result.rows, result.objective, result.bound
    proved_at = None
    if bound is not None and value >= bound:
        proved_at = time.monotonic() - started
    elif assignment_triples(instance) <= PROVE_TRIPLES:
        rows, value, bound, proved_at = _prove(instance, options, started, rows, value, bound)
    status: Status = "OPTIMAL" if proved_at is not None else "FEASIBLE"
    if status == "OPTIMAL":
        bound = value
    wall = time.monotonic() - started
    solution = Solution(instance.name, status, value, bound, wall, rows)
    return SolveResult(solution, None, result.first_solution_seconds, proved_at)


def _prove(
    instance: Instance,
    options: SolveOptions,
    started: float,
    rows: Assignments,
    value: int,
    bound: int | None,
) -> tuple[Assignments, int, int | None, float | None]:
    """Ask CP-SAT for a schedule better than ``value`` in the time left; none proves it optimal.

    Returns (rows, value, bound, seconds when proved optimal or None).
    """
    remaining = options.time_limit - (time.monotonic() - started)
    if remaining < 1.0:
        return rows, value, bound, None
    built = ScheduleModel(instance)
    built.add_rules()
    objective = build_objective(built)
    built.model.add(objective >= value + 1)
    built.model.maximize(objective)
    for (ri, rot, t), var in built.x.items():
        built.model.add_hint(var, rows[instance.residents[ri].id][t] == rot)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    if options.num_workers == DEFAULT_WORKERS:
        solver.parameters.subsolvers.extend(DEFAULT_SUBSOLVERS)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return rows, value, value, time.monotonic() - started
    better_bound = solver.best_objective_bound
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = built.assignment_values(solver)
        found_value = schedule_objective(instance, found)
        if found_value > value:
            rows, value = found, found_value
    if math.isfinite(better_bound):
        # Every schedule better than the incumbent is in this model: its bound caps them.
        capped = max(value, math.floor(better_bound + 1e-6))
        bound = capped if bound is None else min(bound, capped)
    if status == cp_model.OPTIMAL or (bound is not None and value >= bound):
        return rows, value, value, time.monotonic() - started
    return rows, value, bound, None
