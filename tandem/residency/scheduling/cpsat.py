"""The CP-SAT path: one model of the whole instance, solved by a tuned 2-worker portfolio.

Used for small instances (CP-SAT proves them optimal within seconds), for re-solves near a
previous schedule (hints, fewest changed cells first) and as the safety net of the hybrid path.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.model import ScheduleModel, sum_expr
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.options import (
    DEFAULT_SUBSOLVERS,
    DEFAULT_WORKERS,
    Assignments,
    SolveOptions,
)


class CpSatWatcher(cp_model.CpSolverSolutionCallback):
    """Hands each improving CP-SAT solution to the incumbent store as soon as it arrives.

    Reading every assignment back costs time on a large model, so there a solution is read at
    most every ``READ_INTERVAL`` seconds (the solver's last one is read when it returns).
    """

    def __init__(self, built: ScheduleModel, store: IncumbentStore, source: str) -> None:
        super().__init__()
        self.built = built
        self.store = store
        self.source = source
        self.interval = READ_INTERVAL if len(built.x) > READ_EVERY_UP_TO else 0.0
        self.last_read = -math.inf

    def on_solution_callback(self) -> None:
        if self.store.stopped:
            self.stop_search()
            return
        now = time.monotonic()
        if now - self.last_read < self.interval:
            self.store.heard(round(self.objective_value))
            return
        self.last_read = now
        self.store.offer(self.built.assignment_values(self), self.source)


# A model with more assignment variables than this has its solutions read at most every
# READ_INTERVAL seconds inside the search (reading ~100,000 values takes a noticeable time).
READ_EVERY_UP_TO = 20000
READ_INTERVAL = 1.0


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


def solve_cp_sat(instance: Instance, options: SolveOptions, store: IncumbentStore) -> None:
    """One CP-SAT model of the whole instance (also: re-solves near a previous schedule).

    Every improving solution goes to ``store``; so do CP-SAT's bounds, and its proof of
    infeasibility with the conflicts explained in the time left.
    """
    built = ScheduleModel(instance)
    built.add_rules()
    objective = build_objective(built)
    previous = options.previous
    changes = built.changed_assignments(previous) if previous is not None else None
    if previous is not None:
        _add_hints(built, previous)
    elif options.symmetry_breaking:
        _break_symmetry(built)

    if options.minimize_changes and changes is not None and not isinstance(changes, int):
        # Phase 1: fewest changed cells. Phase 2 keeps that number and maximises the points.
        built.model.minimize(changes)
        solver = cp_model.CpSolver()
        _parameters(solver, options, store.time_for(len(built.x)) / 2)
        status = _run(solver, built, store, CpSatWatcher(built, store, "CP-SAT, fewest changes"))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if status != cp_model.OPTIMAL:
                store.optimality_claimable = False
            store.offer(built.assignment_values(solver), "CP-SAT, fewest changes")
            built.model.add(changes <= round(solver.objective_value))
            _hint_from(built, solver)
        elif status == cp_model.INFEASIBLE:
            _infeasible(instance, options, store)
            return
        else:
            store.optimality_claimable = False
    if store.stopped:
        return
    built.model.maximize(objective)
    solver = cp_model.CpSolver()
    _parameters(solver, options, store.time_for(len(built.x)))
    solver.best_bound_callback = lambda bound: store.tighten(_floor_bound(bound))
    status = _run(solver, built, store, CpSatWatcher(built, store, "CP-SAT"))
    if status == cp_model.INFEASIBLE:
        _infeasible(instance, options, store)
        return
    if status == cp_model.MODEL_INVALID:  # a bug in the model, never the user's fault
        raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        store.offer(built.assignment_values(solver), "CP-SAT")
        # Only then: a search stopped early (UNKNOWN) can answer a meaningless bound (0).
        store.tighten(_floor_bound(solver.best_objective_bound))


def _run(
    solver: cp_model.CpSolver, built: ScheduleModel, store: IncumbentStore, watcher: CpSatWatcher
) -> int:
    """``solver.solve`` that stops at the store's deadline."""
    forget = store.on_stop(solver.stop_search)
    try:
        return int(solver.solve(built.model, watcher))
    finally:
        forget()


def _infeasible(instance: Instance, options: SolveOptions, store: IncumbentStore) -> None:
    """Proved infeasible: explain why in the time left (the deadline wins over the words)."""
    store.prove_infeasible()
    if not options.explain_infeasible:
        return
    from tandem.residency.scheduling.explanation import explain_infeasibility

    limit = min(options.explain_time_limit, store.remaining() - 0.2)
    if limit > 0.1:
        store.conflicts = tuple(explain_infeasibility(instance, time_limit=limit))


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
