"""The validator catches each kind of broken rule and a wrong objective."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.residency.scheduling.checker import check_schedule
from tandem.residency.scheduling.instance import INSTANCE_FORMAT, Solution, parse_instance


def _instance(**changes: Any) -> dict[str, Any]:
    """One resident, four blocks, rotations A and B at H1 and C (two-block stints) at H2."""
    program: dict[str, Any] = {
        "id": "P",
        "requirements": [{"rotations": ["A"]}, {"rotations": ["B"]}, {"rotations": ["C"]}],
    }
    program.update(changes.pop("program", {}))
    resident: dict[str, Any] = {"id": "R1", "program": "P", "site": "H1"}
    resident.update(changes.pop("resident", {}))
    data: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "name": "t",
        "blocks": 4,
        "sites": ["H1", "H2"],
        "rotations": [
            {"id": "A", "site": "H1"},
            {"id": "B", "site": "H1"},
            {"id": "C", "site": "H2", "duration": 2},
            {"id": "D", "site": "H1"},
        ],
        "programs": [program],
        "residents": [resident],
    }
    data.update(changes)
    return data


def _problems(data: dict[str, Any], row: list[str | None], objective: int = 0) -> list[str]:
    solution = Solution("t", "FEASIBLE", objective, None, 0.1, {"R1": tuple(row)})
    return check_schedule(parse_instance(data), solution).problems


VALID: list[str | None] = ["A", "A", "B", "B"]
OTHER_ROTATIONS = [
    {"id": "B", "site": "H1"},
    {"id": "C", "site": "H2", "duration": 2},
    {"id": "D", "site": "H1"},
]

BROKEN: list[tuple[str, dict[str, Any], list[str | None], str]] = [
    ("leave", {"resident": {"leave": [1]}}, VALID, "R1, block 1: on leave but assigned to A"),
    ("idle", {}, ["A", None, "B", "B"], "R1, block 1: on no rotation"),
    ("outside program", {}, ["A", "D", "B", "B"], "R1, block 1: D is not part of program P"),
    ("pinned", {"resident": {"fixed": {"0": "B"}}}, VALID, "R1, block 0: pinned to B"),
    ("duration", {}, ["C", "A", "B", "B"], "C is taken in stints of exactly 2 blocks"),
    (
        "requirement min",
        {"program": {"requirements": [{"rotations": ["A"], "min": 3}, {"rotations": ["B"]}]}},
        VALID,
        "R1: 2 blocks on A, program P needs at least 3",
    ),
    (
        "requirement max",
        {"program": {"requirements": [{"rotations": ["A"], "max": 1}, {"rotations": ["B"]}]}},
        VALID,
        "R1: 2 blocks on A, program P allows at most 1",
    ),
    (
        "precedence",
        {"program": {"precedences": [{"before": ["B"], "after": ["A"]}]}},
        VALID,
        "R1, block 0: on A before any block on B",
    ),
    (
        "forbidden sequence",
        {"program": {"forbidden_sequences": [["A", "B"]]}},
        VALID,
        "R1, blocks 1-2: A straight into B is not allowed",
    ),
    (
        "max consecutive",
        {"program": {"max_consecutive": [{"rotations": ["A"], "blocks": 1}]}},
        VALID,
        "R1, blocks 0-1: 2 consecutive blocks on A, at most 1 allowed",
    ),
    (
        "min stint",
        {"program": {"min_stint": [{"rotations": ["B"], "blocks": 2}]}},
        ["A", "B", "A", "A"],
        "R1, block 1: a stint of 1 on B, at least 2 needed",
    ),
    (
        "staffing minimum",
        {"rotations": [{"id": "A", "site": "H1", "min": 2}, *OTHER_ROTATIONS]},
        VALID,
        "block 0: A has 1 residents, needs at least 2",
    ),
    (
        "staffing maximum",
        {"rotations": [{"id": "A", "site": "H1", "max": 0}, *OTHER_ROTATIONS]},
        VALID,
        "block 0: A has 1 residents, at most 0 allowed",
    ),
    (
        "exchange",
        {"resident": {"site": "H2"}, "exchange": [{"from": "H2", "to": "H1", "max_per_block": 0}]},
        VALID,
        "block 0: 1 residents from H2 work at H1, at most 0 allowed",
    ),
]


@pytest.mark.parametrize(
    ("changes", "row", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_check_names_the_broken_rule(
    changes: dict[str, Any], row: list[str | None], message: str
) -> None:
    problems = _problems(_instance(**changes), row)
    assert any(message in p for p in problems), problems


def test_check_accepts_a_valid_schedule() -> None:
    assert _problems(_instance(), VALID) == []


def test_min_stint_is_excused_at_the_edges_and_next_to_leave() -> None:
    rule = {"program": {"min_stint": [{"rotations": ["B"], "blocks": 3}]}}
    assert _problems(_instance(**rule), ["B", "A", "A", "A"]) == []
    assert _problems(_instance(**rule), ["A", "A", "A", "B"]) == []
    with_leave = {**rule, "resident": {"leave": [2]}}
    assert _problems(_instance(**with_leave), ["A", "B", None, "A"]) == []


def test_check_recomputes_the_objective() -> None:
    prefs = {
        "resident": {
            "preferences": [
                {"rotation": "A", "points": 2},
                {"rotation": "B", "points": 5, "per": "stint"},
                {"rotation": "C", "points": 1, "blocks": [3]},
            ],
            "site_change_points": -4,
            "gap_points": -1,
        },
        "program": {"may_idle": True},
    }
    data = _instance(**prefs)
    # A A (2+2), idle (gap -1), C at block 3 (+1, site change -4) -> 0
    row: list[str | None] = ["A", "A", None, "C"]
    problems = _problems(data, row, objective=0)
    assert any("stints of exactly 2" in p for p in problems)  # C alone in the last block
    assert not any("objective" in p for p in problems)
    wrong = _problems(data, ["A", "A", "B", "B"], objective=99)
    assert "the stated objective 99 should be 9" in wrong


def test_check_rejects_missing_resident_and_wrong_length() -> None:
    data = parse_instance(_instance())
    missing = Solution("t", "FEASIBLE", 0, None, 0.1, {})
    assert "R1: missing from the schedule" in check_schedule(data, missing).problems
    short = Solution("t", "FEASIBLE", 0, None, 0.1, {"R1": ("A",)})
    assert "R1: has 1 blocks, the calendar has 4" in check_schedule(data, short).problems


def test_check_rejects_optimal_claim_with_a_different_bound() -> None:
    data = parse_instance(_instance())
    claim = Solution("t", "OPTIMAL", 0, 5, 0.1, {"R1": tuple(VALID)})
    assert any("status OPTIMAL" in p for p in check_schedule(data, claim).problems)
