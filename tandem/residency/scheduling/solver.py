"""Solve an instance: CP-SAT for small instances and re-solves, HiGHS on parts for the rest.

``solve(instance, SolveOptions) -> SolveResult`` is the library's entry point. Two paths:

- CP-SAT (``cpsat.py``): one model of the whole instance. Small instances (CP-SAT proves them
  optimal within seconds), every re-solve near a previous schedule (hints, fewest changed
  cells), and the safety net when the hybrid path finds nothing (e.g. an infeasible instance,
  which CP-SAT then proves and ``explanation.py`` explains).
- hybrid (``hybrid.py``): HiGHS on parts of the instance with an exact LP bound; for medium
  and large instances, where CP-SAT's own search is too slow (docs/benchmarks.md, decision
  010). A schedule of a mid-sized instance that stops short of the LP bound is handed to
  CP-SAT to prove optimal (or improve) in the time left.

Every reported bound is a true upper bound: CP-SAT's, or the LP bound recomputed exactly.

Anytime: every path hands each schedule to one ``IncumbentStore`` (``incumbent.py``) as soon
as it has it, and ``solve`` answers from the store at the deadline, whatever still runs or has
failed (decision 010).
"""

from __future__ import annotations

import math
import threading
import time

from ortools.sat.python import cp_model

from tandem.residency.scheduling import mip
from tandem.residency.scheduling.cpsat import (
    CpSatWatcher,
    count_changes,
    identical_resident_groups,
    solve_cp_sat,
)
from tandem.residency.scheduling.findings import Finding
from tandem.residency.scheduling.incumbent import IncumbentStore, Rank, Rows
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


# After the deadline, a sub-solve that was told to stop gets this long to hand over its last
# schedule; then ``solve`` answers from the store whether or not the thread has finished.
STOP_GRACE = 0.5
# Progress lines at least this often while nothing new happens (the first seconds more often).
HEARTBEAT_SECONDS = 5.0
EARLY_HEARTBEAT_SECONDS = 1.0
# How often a caller's stop request (``SolveOptions.stop``) is looked at.
STOP_POLL_SECONDS = 0.1


def solve(instance: Instance, options: SolveOptions | None = None) -> SolveResult:
    """Best schedule within ``options.time_limit``; conflicts in words when there is none.

    The paths run on a worker thread and hand every schedule to an ``IncumbentStore``; this
    thread waits for them until the deadline, then answers from the store: the best checked
    schedule with its proved bound, whatever is still running.
    """
    options = options or SolveOptions()
    engine = choose_engine(instance, options)
    started = time.monotonic()
    last_report = [started]

    def report(objective: int | None, bound: int | None) -> None:
        last_report[0] = time.monotonic()
        if options.progress is not None:
            options.progress(Progress(time.monotonic() - started, objective, bound))

    store = IncumbentStore(
        instance,
        started=started,
        deadline=started + max(0.0, options.time_limit),
        report=report,
        rank=_rank(instance, options),
        keep=options.on_schedule,
    )
    report(None, None)  # a first progress line at once
    done = threading.Event()

    def work() -> None:
        try:
            _run_paths(instance, options, store, engine)
        finally:
            done.set()

    threading.Thread(target=work, name="rotation-solve", daemon=True).start()
    stop = options.stop
    while not done.is_set():
        left = store.remaining()
        if left <= 0 or (stop is not None and stop.is_set()):
            break
        quiet = time.monotonic() - last_report[0]
        every = EARLY_HEARTBEAT_SECONDS if store.elapsed() < 5.0 else HEARTBEAT_SECONDS
        if quiet >= every:
            report(store.value, store.bound)
            quiet = 0.0
        wait = min(left, every - quiet)
        if stop is not None:
            wait = min(wait, STOP_POLL_SECONDS)
        done.wait(wait)
    store.stop()
    done.wait(STOP_GRACE)
    return _result(instance, options, store)


def _rank(instance: Instance, options: SolveOptions) -> Rank | None:
    previous = options.previous
    if not options.minimize_changes or previous is None:
        return None

    def fewest_changes_first(value: int, rows: Rows) -> tuple[int, ...]:
        return (-count_changes(instance, rows, previous), value)

    return fewest_changes_first


def _run_paths(
    instance: Instance, options: SolveOptions, store: IncumbentStore, engine: str
) -> None:
    """The chosen path; on an exception, CP-SAT on the whole instance if nothing was found."""
    try:
        if options.previous is not None:
            # The previous schedule is the first incumbent when its rules still hold.
            store.offer(options.previous, "previous schedule", trial=True)
        if engine == "cp-sat" or options.previous is not None:
            if options.previous is None:
                _first_schedule_beside(instance, store)
            solve_cp_sat(instance, options, store)
        else:
            _solve_hybrid(instance, options, store)
    except Exception as exc:  # noqa: BLE001 - whatever fails, the store keeps what was found
        store.note_error(f"{type(exc).__name__}: {exc}")
        if store.rows is not None or store.infeasible or store.remaining() < 1.0:
            return
        try:
            solve_cp_sat(instance, options, store)
        except Exception as again:  # noqa: BLE001
            store.note_error(f"CP-SAT safety net: {type(again).__name__}: {again}")


def _first_schedule_beside(instance: Instance, store: IncumbentStore) -> None:
    """HiGHS stopped at its first schedule, on a thread beside CP-SAT: on a busy machine
    CP-SAT's first solution can take seconds, HiGHS's LP-guided one usually does not."""
    if not mip.available():
        return
    from tandem.residency.scheduling.decompose import Part, solve_part

    everyone = Part("everyone", tuple(range(len(instance.residents))))

    def run() -> None:
        try:
            found = solve_part(instance, everyone, store.remaining(), store=store, first_only=True)
        except Exception as exc:  # noqa: BLE001 - CP-SAT goes on regardless
            store.note_error(f"first schedule (HiGHS): {type(exc).__name__}: {exc}")
            return
        if found.rows is not None:
            store.offer(found.rows, "first schedule (HiGHS)")

    threading.Thread(target=run, name="rotation-first", daemon=True).start()


def _result(instance: Instance, options: SolveOptions, store: IncumbentStore) -> SolveResult:
    wall = store.elapsed()
    notes = tuple(store.errors)
    rows, value = store.rows, store.value
    if rows is None or value is None:
        if store.infeasible:
            conflicts = store.conflicts or (Finding("conflict_unexplained").english(),)
            solution = Solution(instance.name, "INFEASIBLE", None, None, wall, None, conflicts)
        else:
            solution = Solution(instance.name, "UNKNOWN", None, store.bound, wall, None)
        return SolveResult(solution, None, None, None, notes)
    optimal = store.proved()
    status: Status = "OPTIMAL" if optimal else "FEASIBLE"
    bound = value if optimal else store.bound
    changed = None
    if options.previous is not None:
        changed = count_changes(instance, rows, options.previous)
    solution = Solution(instance.name, status, value, bound, wall, rows)
    proved_at = store.proved_seconds if optimal else None
    return SolveResult(solution, changed, store.first_seconds, proved_at, notes)


def _solve_hybrid(instance: Instance, options: SolveOptions, store: IncumbentStore) -> None:
    from tandem.residency.scheduling.hybrid import solve_by_parts

    engine = "mip" if mip.available() else "cp-sat"
    solve_by_parts(instance, store, engine=engine, seed=options.seed, workers=options.num_workers)
    if store.rows is None:
        # Nothing from the parts (an infeasible instance, or one whose sites cannot manage
        # alone): CP-SAT on the whole instance decides in the time left.
        if store.remaining() > 0.5:
            solve_cp_sat(instance, options, store)
        return
    if not store.proved() and assignment_triples(instance) <= PROVE_TRIPLES:
        _prove(instance, options, store)


def _prove(instance: Instance, options: SolveOptions, store: IncumbentStore) -> None:
    """Ask CP-SAT for a schedule better than the incumbent in the time left.

    None exists: the incumbent is optimal. Any it finds goes to the store as it arrives.
    """
    if store.remaining() < 1.0 or store.rows is None or store.value is None:
        return
    rows, value = store.rows, store.value
    built = ScheduleModel(instance)
    built.add_rules()
    objective = build_objective(built)
    built.model.add(objective >= value + 1)
    built.model.maximize(objective)
    for (ri, rot, t), var in built.x.items():
        built.model.add_hint(var, rows[instance.residents[ri].id][t] == rot)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, store.time_for(len(built.x)))
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    if options.num_workers == DEFAULT_WORKERS:
        solver.parameters.subsolvers.extend(DEFAULT_SUBSOLVERS)

    def capped(bound: float) -> None:
        # Every schedule better than ``value`` is in this model: its bound caps them.
        if math.isfinite(bound):
            store.tighten(max(value, math.floor(bound + 1e-6)))

    solver.best_bound_callback = capped
    forget = store.on_stop(solver.stop_search)
    try:
        status = solver.solve(built.model, CpSatWatcher(built, store, "CP-SAT proof step"))
    finally:
        forget()
    if status == cp_model.INFEASIBLE:
        store.tighten(value)  # nothing better than the incumbent exists
    elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        store.offer(built.assignment_values(solver), "CP-SAT proof step")
        # Not for UNKNOWN: a search stopped early can answer a meaningless bound.
        capped(
            solver.objective_value if status == cp_model.OPTIMAL else solver.best_objective_bound
        )
