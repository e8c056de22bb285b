"""Medium and large instances: HiGHS on parts of the instance, an exact LP bound, CP-SAT as net.

The plan, on ``workers`` threads (HiGHS and CP-SAT release the interpreter while they solve):

0. A first schedule early: each site at home (or everyone, on one site), HiGHS stopped at its
   first schedule (``first_only``): a cheap construction that respects every rule.
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

Every schedule goes to the ``IncumbentStore`` as soon as it is complete, and every wait is
bounded by the store's deadline: a part still running then is interrupted, not waited for.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from ortools.sat.python import cp_model

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
from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.relaxation import solve_relaxation

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
class LpOutcome:
    bound: int | None
    values: dict[tuple[int, str, int], float]  # LP value of x[resident, rotation, block] > 0


def _lp_job(instance: Instance, time_limit: float, store: IncumbentStore) -> LpOutcome | None:
    built = ScheduleModel(instance)
    built.add_rules()
    built.model.maximize(build_objective(built))
    relaxed = solve_relaxation(built, min(time_limit, store.remaining()), store)
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
        store: IncumbentStore,
        *,
        engine: str,
        seed: int,
        workers: int,
        log: Log | None = None,
    ) -> None:
        self.log = log
        self.instance = instance
        self.store = store
        self.engine = engine
        self.rng = random.Random(seed)
        self.workers = max(1, workers)

    @property
    def best(self) -> Rows | None:
        return self.store.rows

    def remaining(self) -> float:
        return self.store.remaining()

    def submit(
        self,
        pool: ThreadPoolExecutor,
        part: Part,
        limit: float,
        gap: float,
        on_incumbent: Callable[[int], None] | None = None,
        *,
        first_only: bool = False,
    ) -> Future[PartResult]:
        seed = self.rng.randrange(1 << 30)

        def run() -> PartResult:
            # The time left when the part starts, not when it was queued.
            allowed = min(limit, self.remaining())
            if allowed <= 0:
                return PartResult(None, cp_model.UNKNOWN)
            try:
                result = solve_part(
                    self.instance, part, max(0.05, allowed), engine=self.engine, seed=seed,
                    relative_gap=gap, on_incumbent=on_incumbent, store=self.store,
                    first_only=first_only,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - a failed part loses nothing found so far
                self.store.note_error(f"{part.name}: {type(exc).__name__}: {exc}")
                return PartResult(None, cp_model.UNKNOWN)
            if self.log is not None:
                found = "nothing" if result.rows is None else "rows"
                self.log(
                    f"{self.store.elapsed():7.1f}s {part.name}: {found} "
                    f"(status {result.status}) in {result.seconds:.1f}s of {allowed:.1f}s"
                )
            return result

        return pool.submit(run)

    def result(self, future: Future[PartResult]) -> PartResult | None:
        """The part's result, or None if the deadline comes first."""
        try:
            return future.result(timeout=self.remaining() + 0.05)
        except FutureTimeout:
            return None

    def offer(self, rows: Rows, source: str) -> bool:
        return self.store.offer(rows, source)

    def proved(self) -> bool:
        return self.store.proved()

    def watch_lp(self, lp: Future[LpOutcome | None]) -> None:
        """The LP's exact bound goes to the store whenever the LP finishes."""

        def finished(future: Future[LpOutcome | None]) -> None:
            if future.cancelled():  # never started: the deadline came first
                return
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001
                self.store.note_error(f"LP relaxation: {type(exc).__name__}: {exc}")
                return
            if outcome is not None:
                self.store.tighten(outcome.bound)

        lp.add_done_callback(finished)


def solve_by_parts(
    instance: Instance,
    store: IncumbentStore,
    *,
    engine: str = "mip",
    seed: int = 0,
    workers: int = 2,
    log: Log | None = None,
) -> None:
    """The plan above, until the store's deadline; every schedule goes to ``store``."""
    search = _Search(instance, store, engine=engine, seed=seed, workers=workers, log=log)
    pool = ThreadPoolExecutor(max_workers=search.workers, thread_name_prefix="rotation-part")
    try:
        if len(residents_by_site(instance)) == 1:
            _whole(search, pool)
        else:
            _by_sites(search, pool)
    finally:
        # Parts still running were interrupted by the store at the deadline; never wait here.
        pool.shutdown(wait=False, cancel_futures=True)


def _start_lp(search: _Search, pool: ThreadPoolExecutor) -> Future[LpOutcome | None]:
    lp = pool.submit(_lp_job, search.instance, search.remaining(), search.store)
    search.watch_lp(lp)
    return lp


def _whole(search: _Search, pool: ThreadPoolExecutor) -> None:
    """One site: a first schedule, then HiGHS on everything next to the LP."""
    everyone = Part("everyone", tuple(range(len(search.instance.residents))))
    first = search.submit(pool, everyone, search.remaining(), 0.0, first_only=True)
    _start_lp(search, pool)  # its bound reaches the store whenever it is done
    found = search.result(first)
    if found is not None and found.rows is not None:
        search.offer(found.rows, "first schedule (HiGHS)")
    if search.proved() or search.remaining() <= 0:
        return
    hint = search.best
    whole_part = Part("everyone", everyone.residents, hint=hint) if hint else everyone
    whole = search.submit(pool, whole_part, search.remaining(), 0.0, search.store.heard)
    result = search.result(whole)
    if result is not None and result.rows is not None:
        search.offer(result.rows, "HiGHS, whole instance")
    # An LP still running goes on beside the proof step: its bound reaches the store when done.


def _by_sites(search: _Search, pool: ThreadPoolExecutor) -> None:
    instance = search.instance
    homes = home_parts(instance)
    # A first schedule early: each site at home, HiGHS stopped at its first schedule.
    firsts = [search.submit(pool, part, search.remaining(), 0.0, first_only=True) for part in homes]
    _combine(search, firsts, "first schedule, each site at home")
    # Then each site at home within a few seconds each (measured: close to each site's
    # optimum on an idle machine, docs/benchmarks.md); the LP queues behind.
    rounds = -(-len(homes) // search.workers)
    cap = min(10.0, max(1.5, 0.06 * search.remaining() / rounds))
    futures = [search.submit(pool, part, cap, PART_GAP) for part in homes]
    lp = _start_lp(search, pool)
    _combine(search, futures, "each site at home")
    try:
        outcome = lp.result(timeout=search.remaining() + 0.05)
    except FutureTimeout:
        return
    if outcome is None:
        _neighbourhoods(search, pool)
        return
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
            result = search.result(future)
            if result is not None and result.rows is not None:
                combined.update(result.rows)
        search.offer(combined, "each site within its LP shares")
    _neighbourhoods(search, pool)


def _combine(search: _Search, futures: list[Future[PartResult]], source: str) -> None:
    """The parts' rows together, offered as one schedule once every part has some."""
    rows: Rows = {}
    for future in futures:
        result = search.result(future)
        if result is None or result.rows is None:
            return
        rows.update(result.rows)
    search.offer(rows, source)


def _neighbourhoods(search: _Search, pool: ThreadPoolExecutor) -> None:
    """Re-solve parts of the incumbent, one at a time, until the time is up."""
    queue: list[tuple[str, list[int]]] = []
    while search.best is not None and search.remaining() > 2.0 and not search.proved():
        if not queue:
            queue = neighbourhoods(search.instance, search.rng, NEIGHBOURHOOD_SIZE)
        name, members = queue.pop(0)
        incumbent = search.best
        part = neighbourhood_part(search.instance, name, members, incumbent)
        limit = min(NEIGHBOURHOOD_SECONDS, search.remaining() - 1.0)
        result = search.result(search.submit(pool, part, limit, 0.0))
        if result is not None and result.rows is not None:
            search.offer({**incumbent, **result.rows}, f"neighbourhood: {name}")
