"""What ``check`` and ``explain`` report, as data: a code per kind of rule and plain parameters.

A finding names residents, rotations and programs by their instance ids and blocks by their
0-based index, like the formats do. ``english()`` gives the sentence the command line and the
solution's ``conflicts`` have always printed; an application can word the same finding in its
own language with its own names (``tandem/residency/rule_text.py``).

Codes of ``check`` say what a schedule breaks ("cap_min": a rotation has too few residents in a
block); codes starting with ``conflict_`` state a rule that takes part in an infeasible set
("conflict_cap_min": a rotation needs so many residents in a block). Parameters are ints,
strings, None, or tuples of ints or strings, so a finding survives a trip through JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Param = int | str | None | tuple[int, ...] | tuple[str, ...]
Params = Mapping[str, Param]


@dataclass(frozen=True)
class Finding:
    code: str
    params: Params = field(default_factory=dict)

    def english(self) -> str:
        return _ENGLISH[self.code](self.params)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: tuples become lists."""
        return {
            "code": self.code,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
        }

    @classmethod
    def from_dict(cls, data: object) -> Finding:
        """Read ``to_dict``'s form back; ValueError for anything else."""
        if not isinstance(data, dict) or set(data) != {"code", "params"}:
            raise ValueError("a finding is an object with exactly 'code' and 'params'")
        code, params = data["code"], data["params"]
        if code not in CODES:
            raise ValueError(f"unknown finding code {code!r}")
        if not isinstance(params, dict):
            raise ValueError("a finding's 'params' is an object")
        return cls(
            code, {str(k): tuple(v) if isinstance(v, list) else v for k, v in params.items()}
        )


# --------------------------------------------------------------------------- English sentences


def blocks_run(first: int, last: int) -> str:
    """The words for a run of blocks: "block 3" or "blocks 3-5" (0-based, as in the formats)."""
    return f"block {first}" if first == last else f"blocks {first}-{last}"


def blocks_list(blocks: Sequence[int]) -> str:
    """The words for some blocks: "block 3" or "blocks 0, 3-5, 9" (runs merged into ranges)."""
    ordered = sorted(blocks)
    word = "block" if len(ordered) == 1 else "blocks"
    return f"{word} {', '.join(_ranges(ordered))}"


def block_ranges(blocks: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted blocks as maximal (first, last) ranges of consecutive blocks."""
    ranges: list[tuple[int, int]] = []
    for b in sorted(blocks):
        if ranges and b == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], b)
        else:
            ranges.append((b, b))
    return ranges


def _ranges(blocks: Sequence[int]) -> list[str]:
    return [str(a) if a == b else f"{a}-{b}" for a, b in block_ranges(blocks)]


def _s(params: Params, key: str) -> str:
    return str(params[key])


def _i(params: Params, key: str) -> int:
    value = params[key]
    if not isinstance(value, int):
        raise TypeError(f"finding parameter {key!r} should be an int, got {value!r}")
    return value


def _seq(params: Params, key: str) -> tuple[Any, ...]:
    value = params[key]
    if not isinstance(value, tuple):
        raise TypeError(f"finding parameter {key!r} should be a tuple, got {value!r}")
    return value


def _names(params: Params, key: str, joiner: str) -> str:
    return joiner.join(str(v) for v in _seq(params, key))


def _run(p: Params) -> str:
    return blocks_run(_i(p, "first"), _i(p, "last"))


def _length(p: Params) -> int:
    return _i(p, "last") - _i(p, "first") + 1


def _cap_min_rule(p: Params) -> str:
    need, able = _i(p, "min"), _i(p, "able")
    whose = "resident whose program allows" if able == 1 else "residents whose programs allow"
    people = "resident" if need == 1 else "residents"
    head = f"block {_i(p, 'block')}: {_s(p, 'rotation')} needs at least {need} {people}"
    if able < need:
        return f"{head}, but only {able} {whose} it are not on leave"
    return f"{head} ({able} {whose} it are not on leave)"


def _pinned_rule(p: Params) -> str:
    return f"{_s(p, 'resident')} is pinned to {_s(p, 'rotation')} in block {_i(p, 'block')}"


def _requirement_min_rule(p: Params) -> str:
    return (
        f"{_s(p, 'resident')} needs at least {_i(p, 'min')} blocks on "
        f"{_names(p, 'rotations', ' + ')} (program {_s(p, 'program')})"
    )


_ENGLISH: dict[str, Callable[[Params], str]] = {
    # ------------------------------------------------------------- check: a schedule breaks
    "leave": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: on leave but assigned to {_s(p, 'rotation')}"
    ),
    "idle": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: on no rotation, but program "
        f"{_s(p, 'program')} has no idle blocks"
    ),
    "not_in_program": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: {_s(p, 'rotation')} is not part of "
        f"program {_s(p, 'program')}"
    ),
    "pinned": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: pinned to {_s(p, 'rotation')} but "
        f"assigned to {p['assigned'] or 'nothing'}"
    ),
    "duration": lambda p: (
        f"{_s(p, 'resident')}, {_run(p)}: {_s(p, 'rotation')} is taken in stints of exactly "
        f"{_i(p, 'duration')} blocks, but this run has {_length(p)}"
    ),
    "requirement_min": lambda p: (
        f"{_s(p, 'resident')}: {_i(p, 'count')} blocks on {_names(p, 'rotations', ' + ')}, "
        f"program {_s(p, 'program')} needs at least {_i(p, 'min')}"
    ),
    "requirement_max": lambda p: (
        f"{_s(p, 'resident')}: {_i(p, 'count')} blocks on {_names(p, 'rotations', ' + ')}, "
        f"program {_s(p, 'program')} allows at most {_i(p, 'max')}"
    ),
    "precedence": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: on {_s(p, 'rotation')} before any block "
        f"on {_names(p, 'before', ' or ')}"
    ),
    "forbidden_sequence": lambda p: (
        f"{_s(p, 'resident')}, blocks {_i(p, 'block')}-{_i(p, 'block') + 1}: "
        f"{_s(p, 'first')} straight into {_s(p, 'second')} is not allowed"
    ),
    "max_consecutive": lambda p: (
        f"{_s(p, 'resident')}, {_run(p)}: {_length(p)} consecutive blocks on "
        f"{_names(p, 'rotations', ' / ')}, at most {_i(p, 'limit')} allowed"
    ),
    "min_stint": lambda p: (
        f"{_s(p, 'resident')}, {_run(p)}: a stint of {_length(p)} on "
        f"{_names(p, 'rotations', ' / ')}, at least {_i(p, 'limit')} needed"
    ),
    "cap_min": lambda p: (
        f"block {_i(p, 'block')}: {_s(p, 'rotation')} has {_i(p, 'count')} residents, needs at "
        f"least {_i(p, 'min')}"
    ),
    "cap_max": lambda p: (
        f"block {_i(p, 'block')}: {_s(p, 'rotation')} has {_i(p, 'count')} residents, at most "
        f"{_i(p, 'max')} allowed"
    ),
    "exchange": lambda p: (
        f"block {_i(p, 'block')}: {_i(p, 'count')} residents from {_s(p, 'from_site')} work at "
        f"{_s(p, 'to_site')}, at most {_i(p, 'max')} allowed"
    ),
    # ------------------------------------------------------------- check: the solution itself
    "wrong_instance": lambda p: (
        f"the solution is for instance {_s(p, 'found')!r}, not {_s(p, 'expected')!r}"
    ),
    "no_schedule": lambda p: f"there is no schedule to check (status {_s(p, 'status')})",
    "unknown_resident": lambda p: f"{_s(p, 'resident')}: not a resident of this instance",
    "missing_resident": lambda p: f"{_s(p, 'resident')}: missing from the schedule",
    "wrong_length": lambda p: (
        f"{_s(p, 'resident')}: has {_i(p, 'count')} blocks, the calendar has {_i(p, 'blocks')}"
    ),
    "unknown_rotation": lambda p: (
        f"{_s(p, 'resident')}, block {_i(p, 'block')}: unknown rotation {_s(p, 'rotation')!r}"
    ),
    "wrong_objective": lambda p: (
        f"the stated objective {p['stated']} should be {_i(p, 'objective')}"
    ),
    "bound_below_objective": lambda p: (
        f"the stated bound {_i(p, 'bound')} is below the objective {_i(p, 'objective')}"
    ),
    "optimal_without_bound": lambda p: (
        f"status OPTIMAL but the bound {p['bound']} is not the objective"
    ),
    "schedule_without_status": lambda p: f"status {_s(p, 'status')} but a schedule is given",
    # ------------------------------------------------------------- explain: conflicting rules
    "conflict_cap_min": _cap_min_rule,
    "conflict_cap_max": lambda p: (
        f"block {_i(p, 'block')}: {_s(p, 'rotation')} takes at most {_i(p, 'max')} residents"
    ),
    "conflict_duration": lambda p: (
        f"{_s(p, 'rotation')} is taken in stints of exactly {_i(p, 'duration')} consecutive "
        f"blocks, never into leave or past block {_i(p, 'last_block')}"
    ),
    "conflict_exchange": lambda p: (
        f"block {_i(p, 'block')}: at most {_i(p, 'max')} residents from {_s(p, 'from_site')} may "
        f"work at {_s(p, 'to_site')}"
    ),
    "conflict_pinned": _pinned_rule,
    "conflict_pinned_on_leave": lambda p: f"{_pinned_rule(p)}, but is on leave then",
    "conflict_pinned_not_in_program": lambda p: (
        f"{_pinned_rule(p)}, which program {_s(p, 'program')} does not include"
    ),
    "conflict_requirement_min": _requirement_min_rule,
    "conflict_requirement_min_with_leave": lambda p: (
        f"{_requirement_min_rule(p)} ({_s(p, 'resident')} is on leave in "
        f"{blocks_list(_seq(p, 'leave'))})"
    ),
    "conflict_requirement_max": lambda p: (
        f"{_s(p, 'resident')} may spend at most {_i(p, 'max')} blocks on "
        f"{_names(p, 'rotations', ' + ')} (program {_s(p, 'program')})"
    ),
    "conflict_precedence": lambda p: (
        f"{_s(p, 'resident')}: every block on {_names(p, 'after', ' / ')} must come after a block "
        f"on {_names(p, 'before', ' / ')} (program {_s(p, 'program')})"
    ),
    "conflict_forbidden_sequence": lambda p: (
        f"{_s(p, 'resident')}: {_s(p, 'first')} may not be followed directly by "
        f"{_s(p, 'second')} (program {_s(p, 'program')})"
    ),
    "conflict_max_consecutive": lambda p: (
        f"{_s(p, 'resident')}: at most {_i(p, 'limit')} consecutive blocks on "
        f"{_names(p, 'rotations', ' / ')} (program {_s(p, 'program')})"
    ),
    "conflict_min_stint": lambda p: (
        f"{_s(p, 'resident')}: stints on {_names(p, 'rotations', ' / ')} last at least "
        f"{_i(p, 'limit')} blocks (program {_s(p, 'program')})"
    ),
    "conflict_must_work": lambda p: (
        f"{_s(p, 'resident')} must be on a rotation in {blocks_list(_seq(p, 'blocks'))} "
        f"(program {_s(p, 'program')} has no idle blocks)"
    ),
    "conflict_unknown_rule": lambda p: f"rule {_s(p, 'rule')}",
    "conflict_not_narrowed": lambda p: (
        "No schedule was found, and the search could not narrow down which rules conflict "
        "within the time limit."
    ),
    "conflict_unexplained": lambda p: "The rules of this instance cannot all hold together.",
}

CODES: frozenset[str] = frozenset(_ENGLISH)
