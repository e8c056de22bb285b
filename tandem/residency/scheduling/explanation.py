"""Why an instance has no schedule: a small set of its rules, as findings and in a coordinator's
words (``findings.py``).

Each rule group (one capacity limit in one block, one requirement of one resident, ...) gets an
enforcement literal. Solving with all literals as assumptions gives CP-SAT's sufficient set;
deletion then shrinks it to a minimal one (dropping any rule makes the rest satisfiable), as far
as the time limit allows.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from tandem.residency.scheduling.findings import Finding, Param
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.model import GroupKey, ScheduleModel

# Rules tried for deletion first are the likeliest to vanish from the explanation; staffing
# limits are what coordinators reason about, so they are kept as long as possible.
_DELETION_ORDER = {
    "work": 0,
    "duration": 1,
    "seq": 2,
    "max_consec": 2,
    "min_stint": 2,
    "prec": 2,
    "req_max": 3,
    "req_min": 3,
    "fixed": 4,
    "exchange": 5,
    "cap_max": 6,
    "cap_min": 6,
}


def _infeasible_under(
    built: ScheduleModel, keys: list[GroupKey], time_limit: float
) -> tuple[bool, list[GroupKey]]:
    """(proved infeasible, a subset of ``keys`` that suffices) with only ``keys`` enforced."""
    model = built.model
    model.clear_assumptions()
    model.add_assumptions([built.groups[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    # Cores from assumptions are only reported by the sequential search.
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return False, keys
    by_index = {built.groups[k].index: k for k in keys}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return True, core or keys


def conflicting_rules(instance: Instance, time_limit: float = 20.0) -> list[GroupKey] | None:
    """A minimal (if time allows) set of rule groups that cannot hold together.

    None when infeasibility could not be shown within the time limit.
    """
    deadline = time.monotonic() + time_limit
    built = ScheduleModel(instance, with_groups=True)
    built.add_rules()
    keys = list(built.groups)
    infeasible, core = _infeasible_under(built, keys, time_limit * 0.5)
    if not infeasible:
        return None
    core.sort(key=lambda k: _DELETION_ORDER.get(str(k[0]), 9))
    kept: list[GroupKey] = []
    candidates = list(core)
    while candidates:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            kept.extend(candidates)
            break
        trial_key = candidates.pop(0)
        infeasible, smaller = _infeasible_under(
            built, kept + candidates, min(remaining, max(1.0, time_limit / 10))
        )
        if infeasible:
            # Still infeasible without it: drop it, and anything else the new core left out.
            allowed = set(smaller)
            candidates = [k for k in candidates if k in allowed]
            kept = [k for k in kept if k in allowed]
        else:
            kept.append(trial_key)
    return kept


def explain_infeasibility(instance: Instance, time_limit: float = 20.0) -> list[str]:
    return [finding.english() for finding in conflict_findings(instance, time_limit)]


def conflict_findings(instance: Instance, time_limit: float = 20.0) -> list[Finding]:
    """``explain_infeasibility`` as findings, in the same order."""
    keys = conflicting_rules(instance, time_limit)
    if keys is None:
        return [Finding("conflict_not_narrowed")]
    return rule_findings(instance, keys)


def describe_rules(instance: Instance, keys: list[GroupKey]) -> list[str]:
    """One sentence per rule; "must work" rules of one resident are merged into one sentence."""
    return [finding.english() for finding in rule_findings(instance, keys)]


def rule_findings(instance: Instance, keys: list[GroupKey]) -> list[Finding]:
    """One finding per rule group; the "must work" groups of one resident become one finding."""
    found: list[Finding] = []
    work_blocks: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        if key[0] == "work":
            work_blocks[int(str(key[1]))].append(int(str(key[2])))
        else:
            found.append(_finding(instance, key))
    for ri, blocks in sorted(work_blocks.items()):
        res = instance.residents[ri]
        found.append(
            Finding(
                "conflict_must_work",
                {"resident": res.id, "blocks": tuple(sorted(blocks)), "program": res.program},
            )
        )
    return found


def _candidates(instance: Instance, rotation_id: str, block: int) -> int:
    return sum(
        1
        for res in instance.residents
        if block not in res.leave and rotation_id in instance.program_of(res).allowed_rotations
    )


def _finding(instance: Instance, key: GroupKey) -> Finding:  # noqa: PLR0911 - one branch per rule
    kind = key[0]
    if kind in ("cap_min", "cap_max"):
        rot_id, t = str(key[1]), int(str(key[2]))
        rotation = instance.rotation(rot_id)
        if kind == "cap_max":
            return Finding(
                "conflict_cap_max",
                {"block": t, "rotation": rot_id, "max": rotation.max_per_block[t]},
            )
        need, able = rotation.min_per_block[t], _candidates(instance, rot_id, t)
        return Finding(
            "conflict_cap_min", {"block": t, "rotation": rot_id, "min": need, "able": able}
        )
    if kind == "duration":
        rotation = instance.rotation(str(key[1]))
        return Finding(
            "conflict_duration",
            {
                "rotation": rotation.id,
                "duration": rotation.duration,
                "last_block": instance.blocks - 1,
            },
        )
    if kind == "exchange":
        ex, t = instance.exchange[int(str(key[1]))], int(str(key[2]))
        return Finding(
            "conflict_exchange",
            {"block": t, "max": ex.max_per_block, "from_site": ex.from_site, "to_site": ex.to_site},
        )
    if kind not in _RESIDENT_RULES:
        return Finding("conflict_unknown_rule", {"rule": repr(key)})
    res = instance.residents[int(str(key[1]))]
    program = instance.program_of(res)
    who: dict[str, Param] = {"resident": res.id, "program": program.id}
    if kind == "fixed":
        t = int(str(key[2]))
        rot_id = res.fixed[t]
        code = "conflict_pinned"
        if t in res.leave:
            code = "conflict_pinned_on_leave"
        elif rot_id not in program.allowed_rotations:
            code = "conflict_pinned_not_in_program"
        return Finding(code, {**who, "rotation": rot_id, "block": t})
    index = int(str(key[2]))
    if kind == "req_min":
        req = program.requirements[index]
        about = {**who, "rotations": req.rotations, "min": req.min}
        if res.leave:
            leave = tuple(sorted(res.leave))
            return Finding("conflict_requirement_min_with_leave", {**about, "leave": leave})
        return Finding("conflict_requirement_min", about)
    if kind == "req_max":
        req = program.requirements[index]
        return Finding(
            "conflict_requirement_max", {**who, "rotations": req.rotations, "max": req.max}
        )
    if kind == "prec":
        prec = program.precedences[index]
        return Finding("conflict_precedence", {**who, "after": prec.after, "before": prec.before})
    if kind == "seq":
        first, second = program.forbidden_sequences[index]
        return Finding("conflict_forbidden_sequence", {**who, "first": first, "second": second})
    rule = (program.max_consecutive if kind == "max_consec" else program.min_stint)[index]
    code = "conflict_max_consecutive" if kind == "max_consec" else "conflict_min_stint"
    return Finding(code, {**who, "rotations": rule.rotations, "limit": rule.blocks})


_RESIDENT_RULES = ("fixed", "req_min", "req_max", "prec", "seq", "max_consec", "min_stint")
