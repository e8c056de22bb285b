"""Why an instance has no schedule: a small set of its rules, in a coordinator's words.

Each rule group (one capacity limit in one block, one requirement of one resident, ...) gets an
enforcement literal. Solving with all literals as assumptions gives CP-SAT's sufficient set;
deletion then shrinks it to a minimal one (dropping any rule makes the rest satisfiable), as far
as the time limit allows.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

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
    keys = conflicting_rules(instance, time_limit)
    if keys is None:
        return [
            "No schedule was found, and the search could not narrow down which rules conflict "
            "within the time limit."
        ]
    return describe_rules(instance, keys)


def describe_rules(instance: Instance, keys: list[GroupKey]) -> list[str]:
    """One sentence per rule; "must work" rules of one resident are merged into one sentence."""
    texts: list[str] = []
    work_blocks: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        if key[0] == "work":
            work_blocks[int(str(key[1]))].append(int(str(key[2])))
        else:
            texts.append(_describe(instance, key))
    for ri, blocks in sorted(work_blocks.items()):
        res = instance.residents[ri]
        texts.append(
            f"{res.id} must be on a rotation in {_blocks(blocks)} "
            f"(program {res.program} has no idle blocks)"
        )
    return texts


def _blocks(blocks: list[int]) -> str:
    blocks = sorted(blocks)
    parts: list[str] = []
    start = prev = blocks[0]
    for b in blocks[1:] + [None]:  # type: ignore[list-item]
        if b is not None and b == prev + 1:
            prev = b
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if b is not None:
            start = prev = b
    word = "block" if len(blocks) == 1 else "blocks"
    return f"{word} {', '.join(parts)}"


def _candidates(instance: Instance, rotation_id: str, block: int) -> int:
    return sum(
        1
        for res in instance.residents
        if block not in res.leave and rotation_id in instance.program_of(res).allowed_rotations
    )


def _describe(instance: Instance, key: GroupKey) -> str:  # noqa: PLR0911 - one branch per rule
    kind = key[0]
    if kind in ("cap_min", "cap_max"):
        rot_id, t = str(key[1]), int(str(key[2]))
        rotation = instance.rotation(rot_id)
        if kind == "cap_max":
            return f"block {t}: {rot_id} takes at most {rotation.max_per_block[t]} residents"
        need, able = rotation.min_per_block[t], _candidates(instance, rot_id, t)
        whose = "resident whose program allows" if able == 1 else "residents whose programs allow"
        people = "resident" if need == 1 else "residents"
        if able < need:
            return (
                f"block {t}: {rot_id} needs at least {need} {people}, but only {able} {whose} "
                "it are not on leave"
            )
        return (
            f"block {t}: {rot_id} needs at least {need} {people} ({able} {whose} it are not "
            "on leave)"
        )
    if kind == "duration":
        rotation = instance.rotation(str(key[1]))
        return (
            f"{rotation.id} is taken in stints of exactly {rotation.duration} consecutive blocks, "
            f"never into leave or past block {instance.blocks - 1}"
        )
    if kind == "exchange":
        ex, t = instance.exchange[int(str(key[1]))], int(str(key[2]))
        return (
            f"block {t}: at most {ex.max_per_block} residents from {ex.from_site} may work at "
            f"{ex.to_site}"
        )
    res = instance.residents[int(str(key[1]))]
    program = instance.program_of(res)
    if kind == "fixed":
        t = int(str(key[2]))
        rot_id = res.fixed[t]
        why = ""
        if t in res.leave:
            why = ", but is on leave then"
        elif rot_id not in program.allowed_rotations:
            why = f", which program {program.id} does not include"
        return f"{res.id} is pinned to {rot_id} in block {t}{why}"
    index = int(str(key[2]))
    if kind in ("req_min", "req_max"):
        req = program.requirements[index]
        names = " + ".join(req.rotations)
        away = f" ({res.id} is on leave in {_blocks(sorted(res.leave))})" if res.leave else ""
        if kind == "req_min":
            return (
                f"{res.id} needs at least {req.min} blocks on {names} (program {program.id}){away}"
            )
        return f"{res.id} may spend at most {req.max} blocks on {names} (program {program.id})"
    if kind == "prec":
        prec = program.precedences[index]
        return (
            f"{res.id}: every block on {' / '.join(prec.after)} must come after a block on "
            f"{' / '.join(prec.before)} (program {program.id})"
        )
    if kind == "seq":
        first, second = program.forbidden_sequences[index]
        return f"{res.id}: {first} may not be followed directly by {second} (program {program.id})"
    if kind == "max_consec":
        rule = program.max_consecutive[index]
        return (
            f"{res.id}: at most {rule.blocks} consecutive blocks on {' / '.join(rule.rotations)} "
            f"(program {program.id})"
        )
    if kind == "min_stint":
        rule = program.min_stint[index]
        return (
            f"{res.id}: stints on {' / '.join(rule.rotations)} last at least {rule.blocks} blocks "
            f"(program {program.id})"
        )
    return f"rule {key!r}"
