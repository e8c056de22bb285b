"""Comparison points for the benchmark: a coordinator's greedy fill and a MIP solved by CBC.

The MIP is the CP-SAT model's own linear formulation (every rule is a linear constraint over
0/1 variables), exported constraint by constraint to PuLP. The comparison therefore measures
the solvers, not two different models; its LP relaxation gives the LP bound.

PuLP (with its CBC) is a test dependency, imported only here and only when a MIP baseline
runs: without it, ``mip_schedule`` raises ``BaselineUnavailable`` saying what to install.
"""

from __future__ import annotations

import math
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tandem.residency.scheduling import linear
from tandem.residency.scheduling.evaluate import schedule_objective
from tandem.residency.scheduling.instance import Instance, Resident
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective

if TYPE_CHECKING:
    import pulp

Row = list[str | None]

PULP_MISSING = (
    "The MIP and LP baselines need PuLP with its CBC solver, a test dependency of Tandem: "
    "install the project with its test extra (pip install -e '.[test]') or pip install pulp, "
    "or leave the methods mip and lp out (--methods cpsat,greedy)."
)


class BaselineUnavailable(RuntimeError):
    """A baseline whose solver is not installed."""


def _pulp() -> Any:
    try:
        import pulp
    except ImportError:
        raise BaselineUnavailable(PULP_MISSING) from None
    return pulp


def pulp_available() -> bool:
    try:
        _pulp()
    except BaselineUnavailable:
        return False
    return True


@dataclass(frozen=True)
class FormRow:
    """One row of a ``linear.LinearForm``: low <= sum(coefficients * variables) <= high."""

    variables: tuple[int, ...]
    coefficients: tuple[int, ...]
    low: int | None  # None: no lower limit
    high: int | None  # None: no upper limit


def form_rows(form: linear.LinearForm) -> Iterator[FormRow]:
    starts = np.searchsorted(form.entry_row, np.arange(form.num_rows + 1))
    for r in range(form.num_rows):
        a, b = starts[r], starts[r + 1]
        low, high = form.row_low[r], form.row_high[r]
        yield FormRow(
            tuple(int(v) for v in form.entry_column[a:b]),
            tuple(int(c) for c in form.entry_value[a:b]),
            None if np.isinf(low) else int(low),
            None if np.isinf(high) else int(high),
        )


@dataclass
class BaselineResult:
    assignments: dict[str, tuple[str | None, ...]] | None
    objective: int | None
    bound: int | None
    first_solution_seconds: float | None
    optimal_seconds: float | None
    note: str = ""


# --------------------------------------------------------------------------- greedy


def greedy_schedule(instance: Instance) -> BaselineResult:
    """Fill the calendar resident by resident, block by block, never revisiting a choice."""
    started = time.monotonic()
    load: dict[tuple[str, int], int] = {}
    visitors: dict[tuple[int, int], int] = {}
    rows: dict[str, tuple[str | None, ...]] = {}
    for res in instance.residents:
        rows[res.id] = tuple(_greedy_row(instance, res, load, visitors))
    objective = schedule_objective(instance, rows)
    return BaselineResult(rows, objective, None, time.monotonic() - started, None)


def _greedy_row(
    instance: Instance,
    res: Resident,
    load: dict[tuple[str, int], int],
    visitors: dict[tuple[int, int], int],
) -> Row:
    program = instance.program_of(res)
    blocks = instance.blocks
    row: Row = [None] * blocks
    counts = [0] * len(program.requirements)
    stint_rotations = {r for rule in program.min_stint for r in rule.rotations}
    exchange_rules = [(i, ex) for i, ex in enumerate(instance.exchange) if ex.from_site == res.site]

    def capacity_left(rot: str, t: int) -> bool:
        upper = instance.rotation(rot).max_per_block[t]
        if upper is not None and load.get((rot, t), 0) >= upper:
            return False
        site = instance.rotation(rot).site
        return all(
            visitors.get((i, t), 0) < ex.max_per_block
            for i, ex in exchange_rules
            if ex.to_site == site
        )

    def fits(rot: str, t: int, length: int) -> bool:
        if t + length > blocks:
            return False
        for u in range(t, t + length):
            if (
                u in res.leave
                or (u in res.fixed and res.fixed[u] != rot)
                or not capacity_left(rot, u)
            ):
                return False
        for i, req in enumerate(program.requirements):
            if rot in req.rotations and req.max is not None and counts[i] + length > req.max:
                return False
        trial = row[:t] + [rot] * length
        if any(
            trial[u] == a and trial[u + 1] == b
            for a, b in program.forbidden_sequences
            for u in range(max(0, t - 1), len(trial) - 1)
        ):
            return False
        for rule in program.max_consecutive:
            run = 0
            for item in trial:
                run = run + 1 if item in rule.rotations else 0
                if run > rule.blocks:
                    return False
        for prec in program.precedences:
            if rot in prec.after and not any(item in prec.before for item in row[:t]):
                return False
        left = sum(1 for u in range(t + length, blocks) if u not in res.leave)
        missing = sum(
            max(0, req.min - counts[i] - (length if rot in req.rotations else 0))
            for i, req in enumerate(program.requirements)
        )
        return missing <= left

    def score(rot: str, t: int) -> float:
        points = sum(
            p.points
            for p in res.preferences
            if p.rotation == rot and (p.blocks is None or t in p.blocks)
        )
        # Understaffed services and unmet requirements first, as a coordinator would.
        urgency = 2.0 * max(0, instance.rotation(rot).min_per_block[t] - load.get((rot, t), 0))
        for i, req in enumerate(program.requirements):
            if rot in req.rotations and counts[i] < req.min:
                urgency += 1.0
        return points + urgency

    t = 0
    while t < blocks:
        if t in res.leave:
            t += 1
            continue
        options = sorted(program.allowed_rotations, key=lambda r: (-score(r, t), r))
        if t in res.fixed:
            options = [res.fixed[t]]
        placed = False
        for rot in options:
            length = instance.rotation(rot).duration
            if rot in stint_rotations:
                length = max(
                    length, max(rule.blocks for rule in program.min_stint if rot in rule.rotations)
                )
                while length > 1 and not fits(rot, t, length):
                    length -= 1  # shorter stints are allowed next to leave and at the year's end
            if not fits(rot, t, length):
                continue
            for u in range(t, t + length):
                row[u] = rot
                load[rot, u] = load.get((rot, u), 0) + 1
                for i, ex in exchange_rules:
                    if ex.to_site == instance.rotation(rot).site:
                        visitors[i, u] = visitors.get((i, u), 0) + 1
            for i, req in enumerate(program.requirements):
                if rot in req.rotations:
                    counts[i] += length
            t += length
            placed = True
            break
        if not placed:
            t += 1  # nothing fits: the block stays empty (a broken rule unless idling is allowed)
    return row


# --------------------------------------------------------------------------- MIP with CBC


def _to_pulp(
    built: ScheduleModel, relax: bool
) -> tuple[pulp.LpProblem, list[pulp.LpVariable], float]:
    """The CP-SAT model as a PuLP problem: minimise the negated objective."""
    pulp = _pulp()
    form = linear.linear_form(built.model)
    problem = pulp.LpProblem("rotations", pulp.LpMinimize)
    variables = []
    for i, (low, high) in enumerate(
        zip(form.var_low.tolist(), form.var_high.tolist(), strict=True)
    ):
        category = "Continuous" if relax else ("Binary" if (low, high) == (0, 1) else "Integer")
        variables.append(pulp.LpVariable(f"v{i}", low, high, cat=category))
    for c, row in enumerate(form_rows(form)):
        expr = pulp.lpSum(
            coeff * variables[v] for v, coeff in zip(row.variables, row.coefficients, strict=True)
        )
        if row.low is not None and row.low == row.high:
            problem += expr == row.low, f"c{c}"
            continue
        if row.low is not None:
            problem += expr >= row.low, f"c{c}l"
        if row.high is not None:
            problem += expr <= row.high, f"c{c}u"
    costs = form.costs.tolist()
    # CP-SAT keeps a maximisation as the minimisation of its negation with scale -1.
    sign = 1 if form.scale < 0 else -1
    problem += pulp.lpSum(sign * c * variables[v] for v, c in enumerate(costs) if c)
    return problem, variables, form.scale * form.offset


_BEST_POSSIBLE = re.compile(r"best possible (-?[\d.e+]+)")
_INTEGER_FOUND = re.compile(r"Integer solution of (-?[\d.e+]+) found.*\(([\d.]+) seconds\)")


def mip_schedule(instance: Instance, time_limit: float, *, relax: bool = False) -> BaselineResult:
    """Solve the same model with CBC (``relax``: its LP relaxation, for the LP bound)."""
    pulp = _pulp()
    started = time.monotonic()
    built = ScheduleModel(instance)
    built.add_rules()
    built.model.maximize(build_objective(built))
    problem, variables, offset = _to_pulp(built, relax)
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "cbc.log"
        remaining = max(1, int(time_limit - (time.monotonic() - started)))
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=remaining, logPath=str(log_path), threads=1)
        problem.solve(solver)
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
    wall = time.monotonic() - started
    status = pulp.LpStatus[problem.status]
    if relax:
        if status != "Optimal":
            return BaselineResult(None, None, None, None, None, f"LP {status}")
        lp_value = -pulp.value(problem.objective) + offset
        return BaselineResult(None, None, math.floor(lp_value + 1e-6), None, wall, "")
    bound = None
    possible = _BEST_POSSIBLE.findall(log)
    if possible:
        bound = math.floor(-float(possible[-1]) + offset + 1e-6)
    first = None
    found = _INTEGER_FOUND.search(log)
    if found:
        # CBC's clock starts after the model is built and written; never report past the end.
        first = min(wall, float(found.group(2)) + (wall - _cbc_seconds(log, wall)))
    values = [v.varValue for v in variables]
    # sol_status: 1 proved optimal, 2 a feasible integer solution (time limit), else none.
    if problem.sol_status not in (1, 2) or any(v is None for v in values):
        return BaselineResult(None, None, bound, first, None, f"CBC: {status}")
    index_of = {var.index: key for key, var in built.x.items()}
    rows: dict[str, list[str | None]] = {r.id: [None] * instance.blocks for r in instance.residents}
    for i, value in enumerate(values):
        key = index_of.get(i)
        if key is not None and value is not None and value > 0.5:
            ri, rot, t = key
            rows[instance.residents[ri].id][t] = rot
    assignments = {rid: tuple(row) for rid, row in rows.items()}
    objective = schedule_objective(instance, assignments)
    proved = problem.sol_status == 1
    if proved:
        bound = objective
    return BaselineResult(assignments, objective, bound, first, wall if proved else None)


def _cbc_seconds(log: str, fallback: float) -> float:
    times = re.findall(r"\(([\d.]+) seconds\)", log)
    return float(times[-1]) if times else fallback
