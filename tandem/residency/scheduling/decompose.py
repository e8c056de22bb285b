"""Parts of an instance that can be solved on their own: one hospital, or a neighbourhood.

Residents of different sites interact only through the staffing limits of the rotations they
may share (the exchange rotations) and the exchange quotas (which concern one site's residents
only). Three kinds of part, all sub-models of ``ScheduleModel``:

- ``home_parts``: one per site, residents kept at their own site (blocks pinned elsewhere
  excepted, their load counted at the host). The parts cannot collide, so together they give
  a complete schedule that obeys every rule: a fast first schedule.
- ``shared_parts``: one per site, each within a *share* of every shared rotation
  (``lp_shares``: split as the LP relaxation of the whole instance uses it). The shares add
  up to at most each limit, so again the parts fit together, and since the LP is nearly
  integral this is close to the optimum of the whole.
- ``neighbourhood_parts``: a site, two partner sites, or a random group, with everybody else
  frozen at the incumbent and the incumbent as a complete hint, so a part can only improve it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.mip import solve_mip
from tandem.residency.scheduling.model import Allow, ScheduleModel
from tandem.residency.scheduling.objective import build_objective

Rows = dict[str, tuple[str | None, ...]]
# More of HiGHS's effort on its RINS/RENS sub-MIPs, which is where good schedules come from
# (measured on the large instance's sites: the optimum at 22 s instead of 34 s).
MIP_OPTIONS = {"mip_heuristic_effort": 0.5}
Limits = dict[tuple[str, int], tuple[int, int | None]]


@dataclass(frozen=True)
class Part:
    """Residents to decide, and what the rest of the instance looks like to them."""

    name: str
    residents: tuple[int, ...]
    frozen: Mapping[int, Sequence[str | None]] = field(default_factory=dict)
    frozen_points: bool = True  # frozen rows are whole schedules (their points count)
    allow: Allow | None = None
    limits: Limits = field(default_factory=dict)
    hint: Mapping[str, Sequence[str | None]] | None = None


@dataclass
class PartResult:
    rows: Rows | None  # the part's residents only
    status: cp_model.CpSolverStatus
    seconds: float = 0.0


def build_part(instance: Instance, part: Part) -> ScheduleModel:
    built = ScheduleModel(
        instance,
        residents=part.residents,
        frozen=part.frozen,
        frozen_points=part.frozen_points,
        allow=part.allow,
        limits=part.limits,
    )
    built.add_rules()
    built.model.maximize(build_objective(built))
    return built


def solve_part(
    instance: Instance,
    part: Part,
    time_limit: float,
    *,
    engine: str = "mip",
    seed: int = 0,
    workers: int = 1,
    relative_gap: float = 0.0,
    on_incumbent: Callable[[int], None] | None = None,
    store: IncumbentStore | None = None,
    first_only: bool = False,
) -> PartResult:
    """Best rows for the part's residents within ``time_limit`` (HiGHS or CP-SAT).

    ``on_incumbent`` hears the part's objective whenever HiGHS improves it. With ``store``
    the solve is stopped at the store's deadline; ``first_only`` stops at the first rows.
    """
    started = time.monotonic()
    result = _solve_part(
        instance, part, time_limit, engine, seed, workers, relative_gap, on_incumbent, store,
        first_only,
    )  # fmt: skip
    result.seconds = time.monotonic() - started
    return result


def _solve_part(
    instance: Instance,
    part: Part,
    time_limit: float,
    engine: str,
    seed: int,
    workers: int,
    relative_gap: float,
    on_incumbent: Callable[[int], None] | None,
    store: IncumbentStore | None,
    first_only: bool,
) -> PartResult:
    built = build_part(instance, part)
    if store is not None:
        # Building a large part takes seconds: the solve gets what is left after it.
        time_limit = min(time_limit, store.time_for(len(built.x)))
        if time_limit <= 0:
            return PartResult(None, cp_model.UNKNOWN)
    if engine == "mip":
        result = solve_mip(
            built, time_limit, hint=part.hint, seed=seed, relative_gap=relative_gap,
            options=MIP_OPTIONS, on_incumbent=on_incumbent, store=store, first_only=first_only,
        )  # fmt: skip
        status = cp_model.INFEASIBLE if result.infeasible else cp_model.UNKNOWN
        if result.rows is not None:
            status = cp_model.OPTIMAL if result.optimal else cp_model.FEASIBLE
        return PartResult(result.rows, status)
    if part.hint is not None:
        for ri in built.active:
            row = part.hint[instance.residents[ri].id]
            for rot in built.rotations_of[ri]:
                for t in built.blocks:
                    var = built.x.get((ri, rot, t))
                    if var is not None:
                        built.model.add_hint(var, row[t] == rot)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, time_limit)
    params.num_workers = workers
    params.random_seed = seed
    params.relative_gap_limit = relative_gap
    params.stop_after_first_solution = first_only
    forget = store.on_stop(solver.stop_search) if store is not None else None
    try:
        status = solver.solve(built.model)
    finally:
        if forget is not None:
            forget()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PartResult(None, status)
    return PartResult(built.assignment_values(solver), status)


def residents_by_site(instance: Instance) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {site: [] for site in instance.sites}
    for ri, res in enumerate(instance.residents):
        groups[res.site].append(ri)
    return {site: members for site, members in groups.items() if members}


def _pinned_stints(instance: Instance, ri: int) -> set[tuple[str, int]]:
    """(rotation, block) of each pinned block's stint: the pin itself, or for a rotation
    taken in stints of several blocks, the first window of that length around the pin that
    stays clear of leave and of the calendar's ends."""
    res = instance.residents[ri]
    found: set[tuple[str, int]] = set()
    for u, rot in res.fixed.items():
        d = instance.rotation(rot).duration
        starts = [
            s
            for s in range(u - d + 1, u + 1)
            if s >= 0
            and s + d <= instance.blocks
            and not any(b in res.leave for b in range(s, s + d))
        ]
        window = range(starts[-1], starts[-1] + d) if starts else range(u, u + 1)
        found.update((rot, b) for b in window)
    return found


def home_parts(instance: Instance) -> list[Part]:
    """One part per site, its residents at their own site (pinned stints excepted)."""
    site_of = {r.id: r.site for r in instance.rotations}
    groups = residents_by_site(instance)
    pinned_away: dict[str, dict[int, list[str | None]]] = {site: {} for site in groups}
    away_stints: dict[int, set[tuple[str, int]]] = {}
    for ri, res in enumerate(instance.residents):
        stints = {(rot, t) for rot, t in _pinned_stints(instance, ri) if site_of[rot] != res.site}
        away_stints[ri] = stints
        for rot, t in stints:
            if site_of[rot] in pinned_away:
                row = pinned_away[site_of[rot]].setdefault(ri, [None] * instance.blocks)
                row[t] = rot
    parts = []
    for site, members in groups.items():

        def allow(ri: int, rot: str, t: int, site: str = site) -> bool:
            return site_of[rot] == site or (rot, t) in away_stints[ri]

        parts.append(
            Part(
                f"{site} at home",
                tuple(members),
                frozen=pinned_away[site],
                frozen_points=False,
                allow=allow,
            )
        )
    return parts


def site_groups(instance: Instance, size: int, rng: random.Random) -> dict[str, list[int]]:
    """Each site's residents, a site larger than ``size`` split into even random groups."""
    groups: dict[str, list[int]] = {}
    for site, members in residents_by_site(instance).items():
        count = -(-len(members) // size)
        if count == 1:
            groups[site] = members
            continue
        shuffled = list(members)
        rng.shuffle(shuffled)
        for i in range(count):
            groups[f"{site}/{i + 1}"] = sorted(shuffled[i::count])
    return groups


def lp_shares(
    instance: Instance,
    groups: Mapping[str, Sequence[int]],
    usage: Mapping[tuple[str, int, str], float],
) -> dict[str, Limits] | None:
    """Split every rotation that residents of several groups may work among those groups.

    ``usage[rotation, block, group]`` is how many of the group's residents the LP puts there.
    Each group gets its rounded-down LP usage, capacity left over goes first to the largest
    remainders and then to the largest user, and the staffing minimum to the largest users;
    the shares add up to at most the rotation's limit and at least its minimum, so schedules
    made for each group separately fit together. None when the LP usage does not allow that.
    """
    eligible: dict[str, list[str]] = {r.id: [] for r in instance.rotations}
    for name, members in groups.items():
        allowed: set[str] = set()
        for ri in members:
            allowed |= instance.program_of(instance.residents[ri]).allowed_rotations
        for rot in sorted(allowed):
            eligible[rot].append(name)
    shares: dict[str, Limits] = {name: {} for name in groups}
    for rotation in instance.rotations:
        names = eligible[rotation.id]
        if len(names) < 2:
            continue
        for t in range(instance.blocks):
            split = _split(
                {g: max(0.0, usage.get((rotation.id, t, g), 0.0)) for g in names},
                rotation.min_per_block[t],
                rotation.max_per_block[t],
            )
            if split is None:
                return None
            for g, limits in split.items():
                shares[g][rotation.id, t] = limits
    return shares


def _split(
    used: dict[str, float], need: int, upper: int | None
) -> dict[str, tuple[int, int | None]] | None:
    names = sorted(used)
    share = {g: int(used[g] + 1e-6) for g in names}
    if upper is not None:
        total = sum(share.values())
        if total > upper:
            return None
        for g in sorted(names, key=lambda g: (share[g] - used[g], g)):
            if total < upper and used[g] - share[g] > 1e-6:
                share[g] += 1
                total += 1
        share[max(names, key=lambda g: (used[g], g))] += upper - total
    lows = dict.fromkeys(names, 0)
    for g in sorted(names, key=lambda g: (-used[g], g)):
        lows[g] = need if upper is None else min(need, share[g])
        need -= lows[g]
    if need > 0:
        return None
    return {g: (lows[g], share[g] if upper is not None else None) for g in names}


def shared_parts(
    instance: Instance,
    groups: Mapping[str, Sequence[int]],
    shares: Mapping[str, Limits],
    away_options: set[tuple[int, str, int]] | None = None,
) -> list[Part]:
    """One part per group within its shares; a rotation whose share is zero is closed.

    With ``away_options``, a resident may work at another site only in those (resident,
    rotation, block) triples (besides pinned stints): the LP's choices of visits.
    """
    pinned = {ri: _pinned_stints(instance, ri) for ri in range(len(instance.residents))}
    site_of = {r.id: r.site for r in instance.rotations}
    residents = instance.residents
    parts = []
    for name, members in groups.items():
        limits = dict(shares.get(name, {}))

        def allow(ri: int, rot: str, t: int, limits: Limits = limits) -> bool:
            if (rot, t) in pinned[ri]:
                return True
            if limits.get((rot, t), (0, 1))[1] == 0:
                return False
            away = site_of[rot] != residents[ri].site
            return not away or away_options is None or (ri, rot, t) in away_options

        parts.append(
            Part(f"{name} within its shares", tuple(members), frozen_points=False, allow=allow,
                 limits=limits)
        )  # fmt: skip
    return parts


def neighbourhoods(
    instance: Instance, rng: random.Random, size: int
) -> list[tuple[str, list[int]]]:
    """Groups to re-solve, shuffled: each site, partner sites together, a random group.

    Groups larger than ``size`` are sampled down to it: two partner sites are half of each.
    """
    groups = residents_by_site(instance)
    chosen: list[tuple[str, list[int]]] = []
    for site, members in groups.items():
        chosen.append((site, _sample(members, size, rng)))
    pairs = sorted({tuple(sorted((ex.from_site, ex.to_site))) for ex in instance.exchange})
    for a, b in pairs:
        if a in groups and b in groups:
            half = size // 2
            members = _sample(groups[a], half, rng) + _sample(groups[b], size - half, rng)
            chosen.append((f"{a} with {b}", sorted(members)))
    everyone = list(range(len(instance.residents)))
    if len(everyone) > size:
        chosen.append(("a random group", _sample(everyone, size, rng)))
    rng.shuffle(chosen)
    return chosen


def _sample(members: list[int], size: int, rng: random.Random) -> list[int]:
    return sorted(members) if len(members) <= size else sorted(rng.sample(members, size))


def neighbourhood_part(
    instance: Instance, name: str, members: Sequence[int], incumbent: Rows
) -> Part:
    """``members`` to re-decide, everybody else frozen at ``incumbent`` (also the hint)."""
    inside = set(members)
    frozen = {
        ri: incumbent[res.id] for ri, res in enumerate(instance.residents) if ri not in inside
    }
    return Part(name, tuple(sorted(members)), frozen=frozen, hint=incumbent)
