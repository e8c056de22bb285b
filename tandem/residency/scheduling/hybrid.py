"""Medium and large instances: HiGHS on parts of the instance, an exact LP bound, CP-SAT as net.

The plan, on ``workers`` threads (HiGHS and CP-SAT release the interpreter while they solve):

1. The LP relaxation of the whole instance (``relaxation.py``), for the proved bound and for
   how it uses the rotations that several sites share. Meanwhile, one part per site with
   residents at home (``decompose.home_parts``), each capped at a few seconds: a complete
   schedule early.
2. One part per site within its LP share of the shared rotations: the main schedule.
3. Until the time is up, neighbourhoods of the incumbent (a site, two partner sites, a random
   group), everybody else frozen: a large-neighbourhood search that only ever improves.

A single-site instance is one part: HiGHS on the whole model, next to the LP. The reported
bound is the exact LP bound (never HiGHS's floating-point one); a schedule whose points reach
it is proved optimal. When HiGHS cannot be used, the parts are solved by CP-SAT.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from tandem.residency.scheduling.check import rule_problems
from tandem.residency.scheduling.decompose import (
    Part,
    PartResult,
    Rows,
    home_parts,
    lp_shares,
    neighbourhood_part,
    neighbourhoods,
    residents_by_site,
    shared_parts,
    site_groups,
    solve_part,
)
from tandem.residency.scheduling.evaluate import schedule_objective
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.relaxation import solve_relaxation

Report = Callable[[int | None, int | None], None]  # (incumbent, bound)
Log = Callable[[str], None]

# HiGHS stops a part once within this relative gap of its own bound: the last tenths of a
# percent of a hospital's part cost more than they return (docs/benchmarks.md).
PART_GAP = 0.002
# Sites larger than this are split into groups for the shared step: HiGHS's time on a part
# grows much faster than its size (docs/benchmarks.md).
GROUP_SIZE = 200
NEIGHBOURHOOD_SIZE = 150
NEIGHBOURHOOD_SECONDS = 30.0


@dataclass
class HybridResult:
    rows: Rows | None
    objective: int | None
    bound: int | None
    first_solution_seconds: float | None


@dataclass
class LpOutcome:
    bound: int | None
    values: dict[tuple[int, str, int], float]  # LP value of x[resident, rotation, block] > 0


def _lp_job(instance: Instance, time_limit: float) -> LpOutcome | None:
    built = ScheduleModel(instance)
    built.add_rules()
    built.model.maximize(build_objective(built))
    relaxed = solve_relaxation(built, time_limit)
    if relaxed is None:
        return None
    values = {}
    for key, var in built.x.items():
        value = float(relaxed.values[var.index])
        if value > 1e-9:
            values[key] = value
    return LpOutcome(relaxed.bound, values)


def _usage(outcome: LpOutcome, groups: dict[str, list[int]]) -> dict[tuple[str, int, str], float]:
    group_of = {ri: name for name, members in groups.items() for ri in members}
    usage: dict[tuple[str, int, str], float] = defaultdict(float)
    for (ri, rot, t), value in outcome.values.items():
        usage[rot, t, group_of[ri]] += value
    return usage


class _Search:
    def __init__(
        self,
        instance: Instance,
        deadline: float,
        started: float,
        *,
        engine: str,
        seed: int,
        workers: int,
        report: Report | None,
        log: Log | None = None,
    ) -> None:
        self.log = log
        self.instance = instance
        self.deadline = deadline
        self.started = started
        self.engine = engine
        self.rng = random.Random(seed)
        self.workers = max(1, workers)
        self.report = report
        self.best: Rows | None = None
        self.value: int | None = None
        self.bound: int | None = None
        self.first: float | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def submit(
        self,
        pool: ThreadPoolExecutor,
        part: Part,
        limit: float,
        gap: float,
        on_incumbent: Callable[[int], None] | None = None,
    ) -> Future:
        seed = self.rng.randrange(1 << 30)

        def run() -> PartResult:
            result = solve_part(
                self.instance, part, max(0.5, limit), engine=self.engine, seed=seed,
                relative_gap=gap, on_incumbent=on_incumbent,
            )  # fmt: skip
            if self.log is not None:
                found = "nothing" if result.rows is None else "rows"
                self.log(
                    f"{time.monotonic() - self.started:7.1f}s {part.name}: {found} "
                    f"(status {result.status}) in {result.seconds:.1f}s of {limit:.1f}s"
                )
            return result

        return pool.submit(run)

    def offer(self, rows: Rows) -> bool:
        """Keep ``rows`` if complete, valid and better than the incumbent."""
        if len(rows) != len(self.instance.residents) or rule_problems(self.instance, rows):
            return False
        value = schedule_objective(self.instance, rows)
        if self.value is not None and value <= self.value:
            return False
        self.best, self.value = dict(rows), value
        if self.first is None:
            self.first = time.monotonic() - self.started
        if self.report is not None:
            self.report(value, self.bound)
        return True

    def heard(self, value: int) -> None:
        """A schedule of the whole instance exists inside the solver (no rows yet)."""
        if self.first is None:
            self.first = time.monotonic() - self.started
        if self.report is not None and (self.value is None or value > self.value):
            self.report(value, self.bound)

    def set_bound(self, bound: int | None) -> None:
        if bound is None:
            return
        self.bound = bound if self.bound is None else min(self.bound, bound)
        if self.report is not None:
            self.report(None, self.bound)

    def proved(self) -> bool:
        return self.value is not None and self.bound is not None and self.value >= self.bound


def solve_by_parts(
    instance: Instance,
    time_limit: float,
    *,
    started: float | None = None,
    engine: str = "mip",
    seed: int = 0,
    workers: int = 2,
    report: Report | None = None,
    log: Log | None = None,
) -> HybridResult:
    """The best schedule the plan above finds within ``time_limit`` seconds."""
    started = time.monotonic() if started is None else started
    search = _Search(
        instance, started + time_limit, started, engine=engine, seed=seed, workers=workers,
        report=report, log=log,
    )  # fmt: skip
    with ThreadPoolExecutor(max_workers=search.workers) as pool:
        if len(residents_by_site(instance)) == 1:
            _whole(search, pool)
        else:
            _by_sites(search, pool)
    return HybridResult(search.best, search.value, search.bound, search.first)


def _start_lp(search: _Search, pool: ThreadPoolExecutor) -> Future:
    return pool.submit(_lp_job, search.instance, max(1.0, search.remaining() - 1.0))


def _whole(search: _Search, pool: ThreadPoolExecutor) -> None:
    """One site: HiGHS on everything next to the LP; the LP bound may prove it optimal."""
    lp = _start_lp(search, pool)
    everyone = Part("everyone", tuple(range(len(search.instance.residents))))
    whole = search.submit(pool, everyone, search.remaining() - 0.5, 0.0, search.heard)
    pending = {lp, whole}
    while pending and search.remaining() > 0:
        done, pending = wait(pending, timeout=search.remaining(), return_when=FIRST_COMPLETED)
        if lp in done and lp.result() is not None:
            search.set_bound(lp.result().bound)
        if whole in done and whole.result().rows is not None:
            search.offer(whole.result().rows)


def _by_sites(search: _Search, pool: ThreadPoolExecutor) -> None:
    instance = search.instance
    homes = home_parts(instance)
    # A first schedule early: each site at home, a few seconds each; the LP queues behind.
    rounds = -(-len(homes) // search.workers)
    cap = min(10.0, max(1.5, 0.06 * search.remaining() / rounds))
    futures = [search.submit(pool, part, cap, PART_GAP) for part in homes]
    lp = _start_lp(search, pool)
    rows: Rows = {}
    for future in futures:
        result: PartResult = future.result()
        if result.rows is None:
            rows = {}
            break
        rows.update(result.rows)
    if rows:
        search.offer(rows)
    wait([lp], timeout=max(0.0, search.remaining()))
    outcome: LpOutcome | None = lp.result() if lp.done() else None
    if outcome is None:
        _neighbourhoods(search, pool)
        return
    search.set_bound(outcome.bound)
    if search.proved():
        return
    groups = site_groups(instance, GROUP_SIZE, search.rng)
    shares = lp_shares(instance, groups, _usage(outcome, groups))
    if shares is not None:
        parts = shared_parts(instance, groups, shares, set(outcome.values))
        rounds = -(-len(parts) // search.workers)
        limit = 0.8 * search.remaining() / rounds
        futures = [search.submit(pool, part, limit, PART_GAP) for part in parts]
        combined = dict(search.best or {})
        for future in futures:
            result = future.result()
            if result.rows is not None:
                combined.update(result.rows)
        search.offer(combined)
    _neighbourhoods(search, pool)


def _neighbourhoods(search: _Search, pool: ThreadPoolExecutor) -> None:
    """Re-solve parts of the incumbent, one at a time, until the time is up."""
    queue: list[tuple[str, list[int]]] = []
    while search.best is not None and search.remaining() > 2.0 and not search.proved():
        if not queue:
            queue = neighbourhoods(search.instance, search.rng, NEIGHBOURHOOD_SIZE)
        name, members = queue.pop(0)
        part = neighbourhood_part(search.instance, name, members, search.best)
        limit = min(NEIGHBOURHOOD_SECONDS, search.remaining() - 1.0)
        result: PartResult = search.submit(pool, part, limit, 0.0).result()
        if result.rows is not None:
            search.offer({**search.best, **result.rows})
