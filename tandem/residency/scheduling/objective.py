"""The objective of the rotation model: preferences, site changes, gaps and fairness.

Auxiliary variables are constrained only in the direction their points push them (a penalty
is bounded from below, a reward from above), so the model's optimum is the instance's optimum;
the reported objective is recomputed from the assignments (``evaluate.py``).

Site changes are the one place where the obvious linearisation has a weak LP: a resident can
be "2/13 at a partner hospital in every block" at no change cost. For residents who must work
every block (most of them) penalised changes are therefore also counted through *away runs*:
maximal runs of blocks away from their home site, each no longer than the number of away blocks
their requirements allow. Every run that does not touch the first or last worked block costs an
entry and an exit; with runs as variables the LP can no longer spread a visit thinly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from tandem.residency.scheduling.evaluate import resident_points
from tandem.residency.scheduling.instance import Program
from tandem.residency.scheduling.model import LinearExpr, ScheduleModel, sum_expr


@dataclass
class ResidentTerms:
    """Objective pieces of one resident: a linear expression plus its range."""

    expression: LinearExpr
    lower: int
    upper: int


def build_objective(built: ScheduleModel, *, fairness: bool = True) -> LinearExpr:
    """Sum of the decided residents' points plus the fairness term (max-min).

    In a sub-model the frozen residents' points are constants: they are left out of the sum
    (the optimum does not depend on them) but their smallest total still caps the minimum.
    Without ``fairness`` the max-min term is left out.
    """
    inst = built.instance
    model = built.model
    per_resident = [resident_terms(built, ri) for ri in built.active]
    if not (fairness and inst.fairness_weight and per_resident):
        return sum_expr(p.expression for p in per_resident)
    frozen_low = None
    if built.frozen_points:
        frozen_low = min(
            (resident_points(inst, inst.residents[ri], row) for ri, row in built.frozen.items()),
            default=None,
        )
    low = min(p.lower for p in per_resident)
    high = min(p.upper for p in per_resident)
    if frozen_low is not None:
        low, high = min(low, frozen_low), min(high, frozen_low)
    lowest = model.new_int_var(low, high, "lowest_total")
    for p in per_resident:
        # Measured: rows on the expressions themselves prove optima faster than one integer
        # total per resident (docs/benchmarks.md).
        model.add(lowest <= p.expression)
    return sum_expr(p.expression for p in per_resident) + inst.fairness_weight * lowest


def resident_terms(built: ScheduleModel, ri: int) -> ResidentTerms:
    """The resident's points as a linear expression (auxiliaries signed by the points)."""
    res = built.instance.residents[ri]
    terms: list[LinearExpr] = []
    lower = upper = 0

    def add(points: int, expr: LinearExpr, count: int = 1) -> None:
        nonlocal lower, upper
        terms.append(points * expr)
        if points > 0:
            upper += points * count
        else:
            lower += points * count

    for pref in res.preferences:
        if not pref.points:
            continue
        present = [t for t in built.blocks if (ri, pref.rotation, t) in built.x]
        if not pref.per_stint:
            chosen = [t for t in present if pref.blocks is None or t in pref.blocks]
            if chosen:
                add(
                    pref.points,
                    sum_expr(built.x[ri, pref.rotation, t] for t in chosen),
                    len(chosen),
                )
        else:
            starts = _run_starts(built, ri, pref.rotation, pref.points > 0)
            add(pref.points, sum_expr(starts), len(starts))
    if res.site_change_points:
        changes = _site_changes(built, ri, res.site_change_points > 0)
        add(res.site_change_points, sum_expr(changes), len(changes))
    if res.gap_points:
        gap_expr, gap_count, constant_gaps = _gaps(built, ri, res.gap_points > 0)
        if gap_count:
            add(res.gap_points, gap_expr, gap_count)
        terms.append(res.gap_points * constant_gaps)
        lower += res.gap_points * constant_gaps
        upper += res.gap_points * constant_gaps
    return ResidentTerms(sum_expr(terms), lower, upper)


def _run_starts(built: ScheduleModel, ri: int, rot: str, rewarded: bool) -> list[LinearExpr]:
    """Literals true where a maximal run on ``rot`` begins (exact in the useful direction)."""
    model = built.model
    result: list[LinearExpr] = []
    for t in built.blocks:
        here = built.x.get((ri, rot, t))
        if here is None:
            continue
        before = built.x.get((ri, rot, t - 1))
        if before is None:
            result.append(here)
            continue
        stint = built.starts.get((ri, rot, t))
        if rewarded and built.instance.rotation(rot).duration > 1:
            # A run on a fixed-duration rotation begins with a stint: reuse its start literal,
            # bounded by "not on the rotation just before" (two stints back to back are one run).
            if stint is None:
                continue
            start = model.new_bool_var("")
            model.add(start <= stint)
            model.add(start + before <= 1)
        else:
            start = model.new_bool_var("")
            if rewarded:
                model.add(start <= here)
                model.add(start + before <= 1)
            else:
                model.add_bool_or([start, here.Not(), before])
        result.append(start)
    return result


def away_cap(program: Program, away: set[str], worked: int) -> int:
    """An upper bound on the blocks a resident can spend on ``away`` (from the requirements)."""
    chosen: set[int] = set()
    for rot in away:
        caps = [
            (req.max, i)
            for i, req in enumerate(program.requirements)
            if rot in req.rotations and req.max is not None
        ]
        if not caps:
            return worked
        chosen.add(min(caps)[1])
    return min(worked, sum(program.requirements[i].max or 0 for i in chosen))


def _site_changes(built: ScheduleModel, ri: int, rewarded: bool) -> list[LinearExpr]:
    inst = built.instance
    res = inst.residents[ri]
    sites = sorted({inst.rotation(r).site for r in built.rotations_of[ri]})
    if len(sites) < 2:
        return []
    if not rewarded and not inst.program_of(res).may_idle:
        return _penalised_changes(built, ri, sites)
    return _general_changes(built, ri, sites, rewarded)


def _penalised_changes(built: ScheduleModel, ri: int, sites: Sequence[str]) -> list[LinearExpr]:
    """Site changes of a resident who works every non-leave block, as lower bounds."""
    inst = built.instance
    model = built.model
    res = inst.residents[ri]
    home = res.site if res.site in sites else sites[0]
    rotations_at = {
        s: [r for r in built.rotations_of[ri] if inst.rotation(r).site == s] for s in sites
    }
    away_sites = [s for s in sites if s != home]
    away_rotations = {r for s in away_sites for r in rotations_at[s]}
    worked = [t for t in built.blocks if t not in res.leave]
    n = len(worked)
    at = {s: [built.on_rotations(ri, rotations_at[s], t) for t in worked] for s in away_sites}
    away = [built.on_rotations(ri, away_rotations, t) for t in worked]
    length = away_cap(inst.program_of(res), away_rotations, n)

    # Away runs over positions 0..n-1 of the worked blocks; run (i, j) covers positions i..j.
    open_away = [not isinstance(a, int) for a in away]
    runs: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in range(n):
        for j in range(i, min(n, i + length)):
            if not open_away[j]:
                break
            runs[i, j] = model.new_bool_var("")
    starting: list[list[LinearExpr]] = [[] for _ in range(n)]
    ending: list[list[LinearExpr]] = [[] for _ in range(n)]
    covering: list[list[LinearExpr]] = [[] for _ in range(n)]
    for (i, j), var in runs.items():
        starting[i].append(var)
        ending[j].append(var)
        for k in range(i, j + 1):
            covering[k].append(var)
    if runs:
        for k in range(n):
            if open_away[k]:
                model.add(away[k] == sum_expr(covering[k]))

    changes: list[LinearExpr] = []
    for k in range(1, n):
        bounds: list[LinearExpr] = []
        for s in away_sites:
            if not (isinstance(at[s][k], int) and isinstance(at[s][k - 1], int)):
                bounds.append(at[s][k] - at[s][k - 1])  # entering away site s
        if runs:
            bounds.append(sum_expr([*starting[k], *ending[k - 1]]))  # home -> away or back
        elif not (isinstance(away[k], int) and isinstance(away[k - 1], int)):
            bounds.append(away[k - 1] - away[k])  # back home
        if not bounds:
            continue
        change = model.new_bool_var("")
        for bound in bounds:
            model.add(change >= bound)
        changes.append(change)
    return changes


def _general_changes(
    built: ScheduleModel, ri: int, sites: Sequence[str], rewarded: bool
) -> list[LinearExpr]:
    """Site changes for residents who may idle, or whose site changes are rewarded."""
    inst = built.instance
    model = built.model
    res = inst.residents[ri]

    def at_site(site: str, t: int) -> LinearExpr:
        rotations = [r for r in built.rotations_of[ri] if inst.rotation(r).site == site]
        return built.on_rotations(ri, rotations, t)

    # last[s] at t: the latest block <= t on a rotation was at site s.
    last: dict[str, LinearExpr] = {}
    changes: list[LinearExpr] = []
    may_idle = inst.program_of(res).may_idle
    for t in built.blocks:
        if t in res.leave:
            continue  # no rotation: "last site" carries over unchanged
        here = {s: at_site(s, t) for s in sites}
        if last:
            change = model.new_bool_var("")
            if rewarded:
                for s in sites:
                    model.add(change <= 2 - here[s] - last[s])
                model.add(change <= built.working(ri, t))
                model.add(change <= sum_expr(last.values()))
            else:
                for s in sites:
                    others = sum_expr(last[o] for o in sites if o != s)
                    model.add(change >= here[s] + others - 1)
            changes.append(change)
        if not may_idle:
            last = here
            continue
        working = built.working(ri, t)
        new_last: dict[str, LinearExpr] = {}
        for s in sites:
            if not last:
                new_last[s] = here[s]
                continue
            carried = model.new_bool_var("")
            model.add(carried >= here[s])
            model.add(carried >= last[s] - working)
            model.add(carried <= here[s] + last[s])
            model.add(carried <= here[s] + 1 - working)
            new_last[s] = carried
        last = new_last
    return changes


def _gaps(built: ScheduleModel, ri: int, rewarded: bool) -> tuple[LinearExpr, int, int]:
    """(expression, number of gap literals, gaps known in advance) for a resident."""
    inst = built.instance
    model = built.model
    res = inst.residents[ri]
    if not inst.program_of(res).may_idle:
        # Every non-leave block is worked, so the last worked block is known beforehand.
        worked = [t for t in built.blocks if t not in res.leave]
        if not worked:
            return 0, 0, 0
        return 0, 0, sum(1 for t in res.leave if t < worked[-1])
    # later[t]: some block after t is worked.
    later: list[LinearExpr] = [0] * inst.blocks
    for t in range(inst.blocks - 2, -1, -1):
        nxt = built.working(ri, t + 1)
        var = model.new_bool_var("")
        model.add(var >= nxt)
        if t + 1 < inst.blocks - 1:
            model.add(var >= later[t + 1])
        model.add(var <= nxt + later[t + 1])
        later[t] = var
    gaps: list[LinearExpr] = []
    for t in range(inst.blocks - 1):
        if t in res.leave:
            gaps.append(later[t])
            continue
        gap = model.new_bool_var("")
        working = built.working(ri, t)
        if rewarded:
            model.add(gap <= later[t])
            model.add(gap <= 1 - working)
        else:
            model.add(gap >= later[t] - working)
        gaps.append(gap)
    return sum_expr(gaps), len(gaps), 0
