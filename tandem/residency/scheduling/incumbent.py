"""The one place every path hands its schedules to: the incumbent store.

Each path (CP-SAT, the HiGHS parts, the neighbourhoods, the CP-SAT proof step) offers every
improving schedule here as soon as it has one. The store keeps a schedule only if the
independent checker (``checker.py``, which shares no code with the model) finds no broken rule,
values it with the checker's own count, and keeps the best one with the best proved bound.
Whatever happens afterwards — a part still running at the deadline, a thread that does not
answer, an exception in a sub-solve — ``solver.solve`` answers from the store.

Thread-safe: parts run on several threads, and CP-SAT calls its solution callback from its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence

from tandem.residency.scheduling.checker import recompute_objective, rule_findings
from tandem.residency.scheduling.instance import Instance

Rows = dict[str, tuple[str | None, ...]]
# (objective recomputed by the checker, rows) -> a sort key; larger is better.
Rank = Callable[[int, Rows], tuple[int, ...]]
Report = Callable[[int | None, int | None], None]  # (incumbent, bound) for progress lines
Keep = Callable[[Rows, int, int | None], None]  # (rows, objective, bound) of each new best


# Reading a schedule back from a solver and checking it: measured well under a second for
# 225,000 variables (1,000 residents) on a busy 2-core machine; kept with a margin.
HANDOVER_SECONDS = 0.3
HANDOVER_PER_VARIABLE = 2e-6


class IncumbentStore:
    def __init__(
        self,
        instance: Instance,
        *,
        started: float,
        deadline: float,
        report: Report | None = None,
        rank: Rank | None = None,
        keep: Keep | None = None,
    ) -> None:
        self.instance = instance
        self.started = started
        self.deadline = deadline
        self.report = report
        self.rank = rank or (lambda value, rows: (value,))
        self.keep = keep
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._stoppers: dict[int, Callable[[], None]] = {}
        self._next_stopper = 0
        self.rows: Rows | None = None
        self.value: int | None = None
        self.key: tuple[int, ...] | None = None
        self.bound: int | None = None
        self.source = ""
        self.first_seconds: float | None = None
        self.proved_seconds: float | None = None
        self.infeasible = False  # proved: no schedule exists
        # False when the incumbent's rank is not the objective alone (fewest changes first and
        # that phase not proved): the bound then cannot make the schedule optimal.
        self.optimality_claimable = True
        self.conflicts: tuple[str, ...] = ()
        self.errors: list[str] = []
        self.rejected = 0  # offered schedules the checker refused (a bug somewhere, counted)

    # ------------------------------------------------------------------ time

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        """Seconds left before the deadline (0 once stopped)."""
        if self._stop.is_set():
            return 0.0
        return max(0.0, self.deadline - time.monotonic())

    def time_for(self, variables: int) -> float:
        """Seconds a sub-solve over ``variables`` assignment variables may run: the time left
        less what reading its schedule back and checking it takes, so that its last schedule
        reaches the store before the deadline rather than after it."""
        return self.remaining() - HANDOVER_SECONDS - HANDOVER_PER_VARIABLE * variables

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """The deadline: every running sub-solve that registered a way to stop is told to."""
        with self._lock:
            if self._stop.is_set():
                return
            self._stop.set()
            stoppers = list(self._stoppers.values())
        for stopper in stoppers:
            try:
                stopper()
            except Exception as exc:  # noqa: BLE001 - stopping must reach every solver
                self.note_error(f"stopping a sub-solve: {exc!r}")

    def on_stop(self, stopper: Callable[[], None]) -> Callable[[], None]:
        """Call ``stopper`` at the deadline (at once if it has passed); returns how to forget it."""
        with self._lock:
            key = self._next_stopper
            self._next_stopper += 1
            self._stoppers[key] = stopper
            already = self._stop.is_set()
        if already:
            stopper()

        def forget() -> None:
            with self._lock:
                self._stoppers.pop(key, None)

        return forget

    # ------------------------------------------------------------------ schedules and bounds

    def offer(
        self, rows: Mapping[str, Sequence[str | None]], source: str = "", *, trial: bool = False
    ) -> bool:
        """Keep ``rows`` if it is a complete schedule, breaks no rule and is better.

        ``trial``: rows that may well break rules (a previous schedule after its rules
        changed); refusing them is no sign of a bug, so it is not counted.
        """
        instance = self.instance
        complete = {
            res.id: tuple(rows[res.id])
            for res in instance.residents
            if res.id in rows and len(rows[res.id]) == instance.blocks
        }
        if len(complete) != len(instance.residents):
            return False
        known = set(instance.rotations_by_id)
        if any(r is not None and r not in known for row in complete.values() for r in row):
            if not trial:
                self._refuse(source)
            return False
        if rule_findings(instance, complete):
            if not trial:
                self._refuse(source)
            return False
        value = recompute_objective(instance, complete)
        key = self.rank(value, complete)
        with self._lock:
            if self.key is not None and key <= self.key:
                return False
            self.rows, self.value, self.key, self.source = complete, value, key, source
            if self.first_seconds is None:
                self.first_seconds = self.elapsed()
            if self.bound is not None and self.bound < value:
                self.note_error(f"bound {self.bound} below a checked schedule worth {value}")
                self.bound = None
            self._mark_proved()
            bound = self.bound
        self._keep(complete, value, bound)
        self._report(value, bound)
        return True

    def heard(self, value: int) -> None:
        """A solver says it has a schedule worth ``value`` (no rows yet): progress only."""
        with self._lock:
            better = self.value is None or value > self.value
            bound = self.bound
        if better:
            self._report(value, bound)

    def tighten(self, bound: int | None) -> None:
        """A proved upper bound on every schedule's objective."""
        if bound is None:
            return
        with self._lock:
            if self.bound is not None and bound >= self.bound:
                return
            if self.value is not None and bound < self.value:
                self.note_error(f"bound {bound} below a checked schedule worth {self.value}")
                return
            self.bound = bound
            self._mark_proved()
            value = self.value
        self._report(value, bound)

    def prove_infeasible(self) -> None:
        with self._lock:
            if self.rows is None:
                self.infeasible = True

    def proved(self) -> bool:
        with self._lock:
            return (
                self.optimality_claimable
                and self.value is not None
                and self.bound is not None
                and self.value >= self.bound
            )

    def _mark_proved(self) -> None:
        if self.proved_seconds is None and self.proved():
            self.proved_seconds = self.elapsed()

    def note_error(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)

    def _refuse(self, source: str) -> None:
        with self._lock:
            self.rejected += 1
            self.errors.append(f"{source or 'a path'} offered a schedule that breaks rules")

    def _keep(self, rows: Rows, value: int, bound: int | None) -> None:
        if self.keep is None:
            return
        try:
            self.keep(rows, value, bound)
        except Exception as exc:  # noqa: BLE001 - a listener never stops a solve
            self.note_error(f"schedule listener: {exc!r}")

    def _report(self, value: int | None, bound: int | None) -> None:
        if self.report is None:
            return
        try:
            self.report(value, bound)
        except Exception as exc:  # noqa: BLE001 - a progress listener never stops a solve
            self.note_error(f"progress listener: {exc!r}")
