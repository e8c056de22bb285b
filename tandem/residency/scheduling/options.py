"""What a caller passes to ``solve`` and gets back (the solver's public types)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tandem.residency.scheduling.instance import Solution

Assignments = Mapping[str, Sequence[str | None]]
# (rows, objective recomputed by the checker, proved bound or None): each checked schedule the
# solve keeps as its best, as soon as it keeps it (called from a solver's thread).
OnSchedule = Callable[[Mapping[str, tuple[str | None, ...]], int, int | None], None]

# Measured on the 2-core bench machine (docs/benchmarks.md): the default 8-worker portfolio
# time-slices too many subsolvers over 2 cores and its bound stalls one point above the optimum;
# two workers, one on the full LP relaxation ("max_lp") and one restarting search
# ("quick_restart"), prove the small instance optimal several times faster.
DEFAULT_WORKERS = 2
DEFAULT_SUBSOLVERS = ("max_lp", "quick_restart")

ENGINES = ("auto", "cp-sat", "hybrid")


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: int | None  # incumbent
    bound: int | None


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    num_workers: int = DEFAULT_WORKERS  # CP-SAT workers, and threads of the hybrid path
    previous: Assignments | None = None
    minimize_changes: bool = False
    symmetry_breaking: bool = True
    explain_infeasible: bool = True
    explain_time_limit: float = 20.0
    progress: Callable[[Progress], None] | None = None
    extra_parameters: Mapping[str, object] = field(default_factory=dict)  # CP-SAT parameters
    # "cp-sat": one CP-SAT model; "hybrid": HiGHS on parts with an exact LP bound (hybrid.py);
    # "auto": CP-SAT for small instances and re-solves near a previous schedule, else hybrid.
    engine: str = "auto"
    # Every improving schedule, as the incumbent store keeps it (to save it as it is found).
    on_schedule: OnSchedule | None = None
    # Set by the caller to end the solve early: it answers at once with the best schedule found
    # so far and its proved bound, as at the deadline.
    stop: threading.Event | None = None


@dataclass(frozen=True)
class SolveResult:
    solution: Solution
    changed_assignments: int | None  # versus options.previous, when given
    first_solution_seconds: float | None
    optimal_seconds: float | None
    # What went wrong on the way (a sub-solve's exception, a refused schedule): for logs.
    notes: tuple[str, ...] = ()
