"""The solution format (``tandem-rotation-solution/1``): writing and shape validation."""

from __future__ import annotations

from typing import Any

from tandem.residency.scheduling.reading import describe, read_int, read_list, read_object, read_str
from tandem.residency.scheduling.records import (
    SOLUTION_FORMAT,
    STATUSES,
    InstanceError,
    Solution,
)


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The JSON form of ``solution``, keys in the order of the format."""
    result: dict[str, Any] = {
        "format": SOLUTION_FORMAT,
        "instance": solution.instance,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "wall_seconds": round(solution.wall_seconds, 3),
    }
    if solution.assignments is not None:
        result["assignments"] = {rid: list(row) for rid, row in solution.assignments.items()}
    result["conflicts"] = list(solution.conflicts)
    return result


def parse_solution(data: object) -> Solution:
    """Validate the shape of a solution (not its rules: that is ``check``'s job)."""
    obj = read_object(
        data,
        "",
        required=(
            "format",
            "instance",
            "status",
            "objective",
            "bound",
            "wall_seconds",
            "conflicts",
        ),
        optional=("assignments",),
    )
    if obj["format"] != SOLUTION_FORMAT:
        raise InstanceError(f"format: expected {SOLUTION_FORMAT!r}, got {describe(obj['format'])}")
    status = obj["status"]
    if status not in STATUSES:
        raise InstanceError(
            f"status: expected one of {', '.join(STATUSES)}, got {describe(status)}"
        )
    objective = None if obj["objective"] is None else read_int(obj["objective"], "objective")
    bound = None if obj["bound"] is None else read_int(obj["bound"], "bound")
    wall = obj["wall_seconds"]
    if not isinstance(wall, (int, float)) or isinstance(wall, bool) or wall < 0:
        raise InstanceError(f"wall_seconds: expected a non-negative number, got {describe(wall)}")
    assignments: dict[str, tuple[str | None, ...]] | None = None
    if "assignments" in obj:
        raw = obj["assignments"]
        if not isinstance(raw, dict):
            raise InstanceError(f"assignments: expected an object, got {describe(raw)}")
        assignments = {}
        for rid, row in raw.items():
            items = read_list(row, f"assignments.{rid}")
            for t, item in enumerate(items):
                if item is not None and not isinstance(item, str):
                    raise InstanceError(
                        f"assignments.{rid}[{t}]: expected a rotation id or null, "
                        f"got {describe(item)}"
                    )
            assignments[rid] = tuple(items)
    conflicts = read_list(obj["conflicts"], "conflicts")
    for i, text in enumerate(conflicts):
        read_str(text, f"conflicts[{i}]")
    return Solution(
        read_str(obj["instance"], "instance"),
        status,
        objective,
        bound,
        float(wall),
        assignments,
        tuple(conflicts),
    )
