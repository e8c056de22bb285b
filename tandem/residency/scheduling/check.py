"""An independent validator: every broken rule of a schedule, in plain words.

Written from the format description alone, by walking the assignments; it shares no code with
the model or with ``evaluate.py``, so a mistake in one is caught by the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandem.residency.scheduling.instance import Instance, Resident, Solution


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    objective: int | None  # recomputed; None when there is no usable schedule

    @property
    def ok(self) -> bool:
        return not self.problems


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of True as (first block, last block)."""
    runs = []
    start = None
    for t, flag in enumerate(flags):
        if flag and start is None:
            start = t
        if not flag and start is not None:
            runs.append((start, t - 1))
            start = None
    if start is not None:
        runs.append((start, len(flags) - 1))
    return runs


def _blocks_text(first: int, last: int) -> str:
    return f"block {first}" if first == last else f"blocks {first}-{last}"


def check_schedule(instance: Instance, solution: Solution) -> CheckReport:
    problems: list[str] = []
    if solution.instance != instance.name:
        problems.append(
            f"the solution is for instance {solution.instance!r}, not {instance.name!r}"
        )
    if solution.assignments is None:
        problems.append(f"there is no schedule to check (status {solution.status})")
        return CheckReport(problems, None)
    rows = solution.assignments
    known_rotations = {r.id for r in instance.rotations}
    for rid in rows:
        if rid not in {r.id for r in instance.residents}:
            problems.append(f"{rid}: not a resident of this instance")
    usable = True
    for res in instance.residents:
        row = rows.get(res.id)
        if row is None:
            problems.append(f"{res.id}: missing from the schedule")
            usable = False
            continue
        if len(row) != instance.blocks:
            problems.append(f"{res.id}: has {len(row)} blocks, the calendar has {instance.blocks}")
            usable = False
            continue
        for t, rot in enumerate(row):
            if rot is not None and rot not in known_rotations:
                problems.append(f"{res.id}, block {t}: unknown rotation {rot!r}")
                usable = False
    if not usable:
        return CheckReport(problems, None)

    problems.extend(rule_problems(instance, rows))
    recomputed = recompute_objective(instance, rows)
    if solution.objective != recomputed:
        problems.append(f"the stated objective {solution.objective} should be {recomputed}")
    if solution.bound is not None and solution.bound < recomputed:
        problems.append(f"the stated bound {solution.bound} is below the objective {recomputed}")
    if solution.status == "OPTIMAL" and solution.bound != recomputed:
        problems.append(f"status OPTIMAL but the bound {solution.bound} is not the objective")
    if solution.status in ("INFEASIBLE", "UNKNOWN"):
        problems.append(f"status {solution.status} but a schedule is given")
    return CheckReport(problems, recomputed)


def rule_problems(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> list[str]:
    """Every broken rule of a complete schedule (one row per resident, known rotations)."""
    problems: list[str] = []
    for res in instance.residents:
        problems.extend(_resident_problems(instance, res, rows[res.id]))
    problems.extend(_block_problems(instance, rows))
    return problems


def recompute_objective(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> int:
    totals = [_points(instance, res, rows[res.id]) for res in instance.residents]
    return sum(totals) + (instance.fairness_weight * min(totals) if totals else 0)


def _resident_problems(instance: Instance, res: Resident, row: Sequence[str | None]) -> list[str]:
    found: list[str] = []
    program = instance.program_of(res)
    allowed = {rot for req in program.requirements for rot in req.rotations}
    who = res.id
    for t, rot in enumerate(row):
        if t in res.leave:
            if rot is not None:
                found.append(f"{who}, block {t}: on leave but assigned to {rot}")
        elif rot is None and not program.may_idle:
            found.append(
                f"{who}, block {t}: on no rotation, but program {program.id} has no idle blocks"
            )
        if rot is not None and rot not in allowed:
            found.append(f"{who}, block {t}: {rot} is not part of program {program.id}")
    for t, rot in sorted(res.fixed.items()):
        if row[t] != rot:
            found.append(f"{who}, block {t}: pinned to {rot} but assigned to {row[t] or 'nothing'}")
    for rotation in instance.rotations:
        if rotation.duration == 1:
            continue
        for first, last in _runs([r == rotation.id for r in row]):
            length = last - first + 1
            if length % rotation.duration:
                found.append(
                    f"{who}, {_blocks_text(first, last)}: {rotation.id} is taken in stints of "
                    f"exactly {rotation.duration} blocks, but this run has {length}"
                )
    for req in program.requirements:
        count = sum(1 for r in row if r in req.rotations)
        names = " + ".join(req.rotations)
        if count < req.min:
            found.append(
                f"{who}: {count} blocks on {names}, program {program.id} needs at least {req.min}"
            )
        if req.max is not None and count > req.max:
            found.append(
                f"{who}: {count} blocks on {names}, program {program.id} allows at most {req.max}"
            )
    for prec in program.precedences:
        seen_before = False
        for t, rot in enumerate(row):
            if rot in prec.after and not seen_before:
                found.append(
                    f"{who}, block {t}: on {rot} before any block on {' or '.join(prec.before)}"
                )
            if rot in prec.before:
                seen_before = True
    for first_rot, second_rot in program.forbidden_sequences:
        for t in range(len(row) - 1):
            if row[t] == first_rot and row[t + 1] == second_rot:
                found.append(
                    f"{who}, blocks {t}-{t + 1}: {first_rot} straight into {second_rot} "
                    "is not allowed"
                )
    for rule in program.max_consecutive:
        for first, last in _runs([r in rule.rotations for r in row]):
            if last - first + 1 > rule.blocks:
                found.append(
                    f"{who}, {_blocks_text(first, last)}: {last - first + 1} consecutive blocks on "
                    f"{' / '.join(rule.rotations)}, at most {rule.blocks} allowed"
                )
    for rule in program.min_stint:
        for first, last in _runs([r in rule.rotations for r in row]):
            exempt = (
                first == 0
                or last == len(row) - 1
                or (first - 1) in res.leave
                or (last + 1) in res.leave
            )
            if not exempt and last - first + 1 < rule.blocks:
                found.append(
                    f"{who}, {_blocks_text(first, last)}: a stint of {last - first + 1} on "
                    f"{' / '.join(rule.rotations)}, at least {rule.blocks} needed"
                )
    return found


def _block_problems(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> list[str]:
    found: list[str] = []
    site_of = {r.id: r.site for r in instance.rotations}
    for t in range(instance.blocks):
        counts: dict[str, int] = {}
        for res in instance.residents:
            rot = rows[res.id][t]
            if rot is not None:
                counts[rot] = counts.get(rot, 0) + 1
        for rotation in instance.rotations:
            n = counts.get(rotation.id, 0)
            if n < rotation.min_per_block[t]:
                found.append(
                    f"block {t}: {rotation.id} has {n} residents, needs at least "
                    f"{rotation.min_per_block[t]}"
                )
            upper = rotation.max_per_block[t]
            if upper is not None and n > upper:
                found.append(f"block {t}: {rotation.id} has {n} residents, at most {upper} allowed")
        for ex in instance.exchange:
            visitors = [
                res.id
                for res in instance.residents
                if res.site == ex.from_site
                and rows[res.id][t] is not None
                and site_of[rows[res.id][t]] == ex.to_site
            ]
            if len(visitors) > ex.max_per_block:
                found.append(
                    f"block {t}: {len(visitors)} residents from {ex.from_site} work at "
                    f"{ex.to_site}, at most {ex.max_per_block} allowed"
                )
    return found


def _points(instance: Instance, res: Resident, row: Sequence[str | None]) -> int:
    site_of = {r.id: r.site for r in instance.rotations}
    total = 0
    previous_site: str | None = None
    last_worked = max((t for t, r in enumerate(row) if r is not None), default=-1)
    for t, rot in enumerate(row):
        if rot is None:
            if t < last_worked:
                total += res.gap_points
            continue
        for pref in res.preferences:
            if pref.rotation != rot:
                continue
            if not pref.per_stint:
                if pref.blocks is None or t in pref.blocks:
                    total += pref.points
            elif t == 0 or row[t - 1] != rot:
                total += pref.points
        site = site_of[rot]
        if previous_site is not None and site != previous_site:
            total += res.site_change_points
        previous_site = site
    return total
