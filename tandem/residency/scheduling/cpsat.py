"""The CP-SAT path: one model of the whole instance, solved by a tuned 2-worker portfolio.

Used for small instances (CP-SAT proves them optimal within seconds), for re-solves near a
previous schedule (hints, fewest changed cells first) and as the safety net of the hybrid path.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from tandem.residency.scheduling.evaluate import schedule_objective
from tandem.residency.scheduling.findings import Finding
from tandem.residency.scheduling.instance import Instance, Solution, Status
from tandem.residency.scheduling.model import ScheduleModel, sum_expr
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.options import (
    DEFAULT_SUBSOLVERS,
    DEFAULT_WORKERS,
    Assignments,
    Progress,
    SolveOptions,
    SolveResult,
)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records when incumbents arrive and forwards them (and bound moves) to ``progress``."""

    def __init__(self, started: float, progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self.started = started
        self.progress = progress
        self.first_solution: float | None = None

    def on_solution_callback(self) -> None:
        now = time.monotonic() - self.started
        if self.first_solution is None:
            self.first_solution = now
        if self.progress is not None:
            bound = self.best_objective_bound
            self.progress(Progress(now, round(self.objective_value), _floor_bound(bound)))

    def on_bound(self, bound: float) -> None:
        if self.progress is not None:
            self.progress(Progress(time.monotonic() - self.started, None, _floor_bound(bound)))


def _floor_bound(bound: float) -> int | None:
    if not math.isfinite(bound):
        return None
    # The objective is integral, so a fractional bound can be rounded down.
    return math.floor(bound + 1e-6)


def identical_resident_groups(instance: Instance) -> list[list[int]]:
    """Residents who are interchangeable in every rule and in the objective."""
    groups: dict[object, list[int]] = defaultdict(list)
    for ri, res in enumerate(instance.residents):
        key = (
            res.program,
            res.site,
            res.leave,
            tuple(sorted(res.fixed.items())),
            res.preferences,
            res.site_change_points,
            res.gap_points,
        )
        groups[key].append(ri)
    return [g for g in groups.values() if len(g) > 1]


def _break_symmetry(built: ScheduleModel) -> None:
    """Order interchangeable residents by their rotation in the first block they work.

    Sorting any schedule's interchangeable residents by that index gives a schedule with the
    same objective, so the constraint removes only duplicates.
    """
    inst = built.instance
    rotation_index = {r.id: i + 1 for i, r in enumerate(inst.rotations)}
    for group in identical_resident_groups(inst):
        res = inst.residents[group[0]]
        open_blocks = [t for t in built.blocks if t not in res.leave and t not in res.fixed]
        if not open_blocks:
            continue
        t = open_blocks[0]
        indices = [
            sum_expr(
                rotation_index[rot] * built.x[ri, rot, t]
                for rot in built.rotations_of[ri]
                if (ri, rot, t) in built.x
            )
            for ri in group
        ]
        for a, b in zip(indices, indices[1:], strict=False):
            if not isinstance(a, int) or not isinstance(b, int):
                built.model.add(a <= b)


def _parameters(solver: cp_model.CpSolver, options: SolveOptions, time_limit: float) -> None:
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit)
    params.random_seed = options.seed
    params.num_workers = options.num_workers
    if options.num_workers == DEFAULT_WORKERS and "subsolvers" not in options.extra_parameters:
        params.subsolvers.extend(DEFAULT_SUBSOLVERS)
    for name, value in options.extra_parameters.items():
        if isinstance(value, (list, tuple)):
            getattr(params, name).extend(value)  # repeated fields, e.g. subsolvers
        else:
            setattr(params, name, value)


_STATUS: dict[int, Status] = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
}


def solve_cp_sat(instance: Instance, options: SolveOptions, started: float) -> SolveResult:
    """One CP-SAT model of the whole instance (also: re-solves near a previous schedule)."""
    built = ScheduleModel(instance)
    built.add_rules()
    objective = build_objective(built)
    previous = options.previous
    changes = built.changed_assignments(previous) if previous is not None else None
    if previous is not None:
        _add_hints(built, previous)
    elif options.symmetry_breaking:
        _break_symmetry(built)

    watcher = _Watcher(started, options.progress)
    phase_one_optimal = True
    if options.minimize_changes and changes is not None and not isinstance(changes, int):
        # Phase 1: fewest changed cells. Phase 2 keeps that number and maximises the points.
        built.model.minimize(changes)
        solver = cp_model.CpSolver()
        _parameters(solver, options, options.time_limit / 2)
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            phase_one_optimal = status == cp_model.OPTIMAL
            built.model.add(changes <= round(solver.objective_value))
            _hint_from(built, solver)
        elif status == cp_model.INFEASIBLE:
            return infeasible_result(instance, options, started, None)
    built.model.maximize(objective)
    solver = cp_model.CpSolver()
    remaining = options.time_limit - (time.monotonic() - started)
    _parameters(solver, options, remaining)
    solver.best_bound_callback = watcher.on_bound
    status = solver.solve(built.model, watcher)
    wall = time.monotonic() - started

    if status == cp_model.INFEASIBLE:
        return infeasible_result(instance, options, started, watcher.first_solution)
    if status == cp_model.MODEL_INVALID:  # a bug in the model, never the user's fault
        raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
    bound = _floor_bound(solver.best_objective_bound)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = Solution(instance.name, "UNKNOWN", None, bound, wall, None)
        return SolveResult(solution, None, None, None)
    assignments = built.assignment_values(solver)
    value = schedule_objective(instance, assignments)
    final_status: Status = _STATUS[status] if phase_one_optimal else "FEASIBLE"
    if status == cp_model.OPTIMAL:
        bound = value
    changed = None
    if previous is not None:
        changed = count_changes(instance, assignments, previous)
    solution = Solution(instance.name, final_status, value, bound, wall, assignments)
    optimal_at = wall if final_status == "OPTIMAL" else None
    return SolveResult(solution, changed, watcher.first_solution, optimal_at)


def infeasible_result(
    instance: Instance, options: SolveOptions, started: float, first: float | None
) -> SolveResult:
    conflicts: tuple[str, ...] = ()
    if options.explain_infeasible:
        from tandem.residency.scheduling.explain import explain_infeasibility

        conflicts = tuple(explain_infeasibility(instance, time_limit=options.explain_time_limit))
    if not conflicts:
        conflicts = (Finding("conflict_unexplained").english(),)
    wall = time.monotonic() - started
    return SolveResult(
        Solution(instance.name, "INFEASIBLE", None, None, wall, None, conflicts), None, first, None
    )


def _add_hints(built: ScheduleModel, previous: Assignments) -> None:
    for ri, res in enumerate(built.instance.residents):
        row = previous.get(res.id)
        if row is None or len(row) != built.instance.blocks:
            continue
        for rot in built.rotations_of[ri]:
            for t in built.blocks:
                var = built.x.get((ri, rot, t))
                if var is not None:
                    built.model.add_hint(var, row[t] == rot)


def _hint_from(built: ScheduleModel, solver: cp_model.CpSolver) -> None:
    built.model.clear_hints()
    for var in built.x.values():
        built.model.add_hint(var, solver.boolean_value(var))
    for var in built.starts.values():
        built.model.add_hint(var, solver.boolean_value(var))


def count_changes(instance: Instance, assignments: Assignments, previous: Assignments) -> int:
    changed = 0
    for res in instance.residents:
        before = previous.get(res.id)
        if before is None or len(before) != instance.blocks:
            continue
        changed += sum(1 for a, b in zip(assignments[res.id], before, strict=True) if a != b)
    return changed
