"""An independent validator: every broken rule of a schedule, as findings and in plain words.

Written from the format description alone, by walking the assignments; it shares no code with
the model or with ``evaluate.py``, so a mistake in one is caught by the other. What it finds is
a list of ``Finding``s (``findings.py``: a code and plain parameters); ``problems`` are their
English sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandem.residency.scheduling.findings import Finding, Param
from tandem.residency.scheduling.instance import Instance, Resident, Solution


@dataclass(frozen=True)
class CheckReport:
    findings: list[Finding]
    objective: int | None  # recomputed; None when there is no usable schedule

    @property
    def problems(self) -> list[str]:
        return [finding.english() for finding in self.findings]

    @property
    def ok(self) -> bool:
        return not self.findings


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


def check_schedule(instance: Instance, solution: Solution) -> CheckReport:
    """Every broken rule of ``solution``, and every claim it makes (instance, status,
    objective, bound) that the schedule does not bear out."""
    found: list[Finding] = []
    if solution.instance != instance.name:
        found.append(
            Finding("wrong_instance", {"found": solution.instance, "expected": instance.name})
        )
    if solution.assignments is None:
        found.append(Finding("no_schedule", {"status": solution.status}))
        return CheckReport(found, None)
    report = check_rows(instance, solution.assignments)
    found.extend(report.findings)
    recomputed = report.objective
    if recomputed is None:
        return CheckReport(found, None)
    if solution.objective != recomputed:
        found.append(
            Finding("wrong_objective", {"stated": solution.objective, "objective": recomputed})
        )
    if solution.bound is not None and solution.bound < recomputed:
        found.append(
            Finding("bound_below_objective", {"bound": solution.bound, "objective": recomputed})
        )
    if solution.status == "OPTIMAL" and solution.bound != recomputed:
        found.append(Finding("optimal_without_bound", {"bound": solution.bound}))
    if solution.status in ("INFEASIBLE", "UNKNOWN"):
        found.append(Finding("schedule_without_status", {"status": solution.status}))
    return CheckReport(found, recomputed)


def check_rows(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> CheckReport:
    """Every broken rule of a schedule given as its rows alone, and its objective worked out
    from them (None when the rows do not make a usable schedule): the check of a schedule that
    states nothing about itself, such as one changed by a leave or a swap."""
    found: list[Finding] = []
    known_rotations = {r.id for r in instance.rotations}
    known_residents = {r.id for r in instance.residents}
    for rid in rows:
        if rid not in known_residents:
            found.append(Finding("unknown_resident", {"resident": rid}))
    usable = True
    for res in instance.residents:
        row = rows.get(res.id)
        if row is None:
            found.append(Finding("missing_resident", {"resident": res.id}))
            usable = False
            continue
        if len(row) != instance.blocks:
            found.append(
                Finding(
                    "wrong_length",
                    {"resident": res.id, "count": len(row), "blocks": instance.blocks},
                )
            )
            usable = False
            continue
        for t, rot in enumerate(row):
            if rot is not None and rot not in known_rotations:
                found.append(
                    Finding("unknown_rotation", {"resident": res.id, "block": t, "rotation": rot})
                )
                usable = False
    if not usable:
        return CheckReport(found, None)
    found.extend(rule_findings(instance, rows))
    return CheckReport(found, recompute_objective(instance, rows))


def rule_problems(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> list[str]:
    """Every broken rule of a complete schedule (one row per resident, known rotations)."""
    return [finding.english() for finding in rule_findings(instance, rows)]


def rule_findings(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> list[Finding]:
    """``rule_problems`` as findings, in the same order."""
    found: list[Finding] = []
    for res in instance.residents:
        found.extend(resident_findings(instance, res, rows[res.id]))
    found.extend(_block_findings(instance, rows))
    return found


def recompute_objective(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> int:
    totals = [_points(instance, res, rows[res.id]) for res in instance.residents]
    return sum(totals) + (instance.fairness_weight * min(totals) if totals else 0)


def resident_findings(
    instance: Instance, res: Resident, row: Sequence[str | None]
) -> list[Finding]:
    """The rules one resident's row breaks on its own (no staffing or exchange limits)."""
    found: list[Finding] = []
    program = instance.program_of(res)
    allowed = {rot for req in program.requirements for rot in req.rotations}
    who = res.id
    for t, rot in enumerate(row):
        if t in res.leave:
            if rot is not None:
                found.append(Finding("leave", {"resident": who, "block": t, "rotation": rot}))
        elif rot is None and not program.may_idle:
            found.append(Finding("idle", {"resident": who, "block": t, "program": program.id}))
        if rot is not None and rot not in allowed:
            found.append(
                Finding(
                    "not_in_program",
                    {"resident": who, "block": t, "rotation": rot, "program": program.id},
                )
            )
    for t, rot in sorted(res.fixed.items()):
        if row[t] != rot:
            found.append(
                Finding(
                    "pinned", {"resident": who, "block": t, "rotation": rot, "assigned": row[t]}
                )
            )
    for rotation in instance.rotations:
        if rotation.duration == 1:
            continue
        for first, last in _runs([r == rotation.id for r in row]):
            if (last - first + 1) % rotation.duration:
                found.append(
                    Finding(
                        "duration",
                        {
                            "resident": who,
                            "first": first,
                            "last": last,
                            "rotation": rotation.id,
                            "duration": rotation.duration,
                        },
                    )
                )
    for req in program.requirements:
        count = sum(1 for r in row if r in req.rotations)
        about: dict[str, Param] = {"resident": who, "rotations": req.rotations, "count": count}
        if count < req.min:
            found.append(
                Finding("requirement_min", {**about, "program": program.id, "min": req.min})
            )
        if req.max is not None and count > req.max:
            found.append(
                Finding("requirement_max", {**about, "program": program.id, "max": req.max})
            )
    for prec in program.precedences:
        seen_before = False
        for t, rot in enumerate(row):
            if rot in prec.after and not seen_before:
                found.append(
                    Finding(
                        "precedence",
                        {"resident": who, "block": t, "rotation": rot, "before": prec.before},
                    )
                )
            if rot in prec.before:
                seen_before = True
    for first_rot, second_rot in program.forbidden_sequences:
        for t in range(len(row) - 1):
            if row[t] == first_rot and row[t + 1] == second_rot:
                found.append(
                    Finding(
                        "forbidden_sequence",
                        {"resident": who, "block": t, "first": first_rot, "second": second_rot},
                    )
                )
    for rule in program.max_consecutive:
        for first, last in _runs([r in rule.rotations for r in row]):
            if last - first + 1 > rule.blocks:
                found.append(
                    Finding(
                        "max_consecutive",
                        {
                            "resident": who,
                            "first": first,
                            "last": last,
                            "rotations": rule.rotations,
                            "limit": rule.blocks,
                        },
                    )
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
                    Finding(
                        "min_stint",
                        {
                            "resident": who,
                            "first": first,
                            "last": last,
                            "rotations": rule.rotations,
                            "limit": rule.blocks,
                        },
                    )
                )
    return found


def _block_findings(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> list[Finding]:
    found: list[Finding] = []
    for t in range(instance.blocks):
        counts: dict[str, int] = {}
        for res in instance.residents:
            rot = rows[res.id][t]
            if rot is not None:
                counts[rot] = counts.get(rot, 0) + 1
        for rotation in instance.rotations:
            n = counts.get(rotation.id, 0)
            where: dict[str, Param] = {"block": t, "rotation": rotation.id, "count": n}
            if n < rotation.min_per_block[t]:
                found.append(Finding("cap_min", {**where, "min": rotation.min_per_block[t]}))
            upper = rotation.max_per_block[t]
            if upper is not None and n > upper:
                found.append(Finding("cap_max", {**where, "max": upper}))
        for ex in instance.exchange:
            visitors = [
                res.id
                for res in instance.residents
                if res.site == ex.from_site and instance.site_of(rows[res.id][t]) == ex.to_site
            ]
            if len(visitors) > ex.max_per_block:
                found.append(
                    Finding(
                        "exchange",
                        {
                            "block": t,
                            "count": len(visitors),
                            "from_site": ex.from_site,
                            "to_site": ex.to_site,
                            "max": ex.max_per_block,
                            "residents": tuple(visitors),
                        },
                    )
                )
    return found


def _points(instance: Instance, res: Resident, row: Sequence[str | None]) -> int:
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
        site = instance.site_of(rot)
        if previous_site is not None and site != previous_site:
            total += res.site_change_points
        previous_site = site
    return total
