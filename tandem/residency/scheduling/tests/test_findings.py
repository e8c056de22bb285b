"""Findings: every code keeps its English sentence, survives JSON, and check/explain emit them."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from tandem.residency.scheduling import explanation
from tandem.residency.scheduling.checker import check_schedule, rule_findings, rule_problems
from tandem.residency.scheduling.findings import CODES, Finding
from tandem.residency.scheduling.instance import INSTANCE_FORMAT, Solution, parse_instance
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.tests.factories import example_instance

R = {"resident": "R1"}
P = {"program": "P"}

# One finding per code and the exact sentence the command line and `conflicts` have always
# printed for it. A new code needs a line here (and a template in the application).
ENGLISH: dict[str, tuple[dict[str, Any], str]] = {
    "leave": ({**R, "block": 1, "rotation": "A"}, "R1, block 1: on leave but assigned to A"),
    "idle": (
        {**R, **P, "block": 1},
        "R1, block 1: on no rotation, but program P has no idle blocks",
    ),
    "not_in_program": (
        {**R, **P, "block": 1, "rotation": "D"},
        "R1, block 1: D is not part of program P",
    ),
    "pinned": (
        {**R, "block": 0, "rotation": "B", "assigned": None},
        "R1, block 0: pinned to B but assigned to nothing",
    ),
    "duration": (
        {**R, "first": 0, "last": 0, "rotation": "C", "duration": 2},
        "R1, block 0: C is taken in stints of exactly 2 blocks, but this run has 1",
    ),
    "requirement_min": (
        {**R, **P, "rotations": ("A", "B"), "count": 2, "min": 3},
        "R1: 2 blocks on A + B, program P needs at least 3",
    ),
    "requirement_max": (
        {**R, **P, "rotations": ("A",), "count": 2, "max": 1},
        "R1: 2 blocks on A, program P allows at most 1",
    ),
    "precedence": (
        {**R, "block": 0, "rotation": "A", "before": ("B", "C")},
        "R1, block 0: on A before any block on B or C",
    ),
    "forbidden_sequence": (
        {**R, "block": 1, "first": "A", "second": "B"},
        "R1, blocks 1-2: A straight into B is not allowed",
    ),
    "max_consecutive": (
        {**R, "first": 0, "last": 1, "rotations": ("A", "B"), "limit": 1},
        "R1, blocks 0-1: 2 consecutive blocks on A / B, at most 1 allowed",
    ),
    "min_stint": (
        {**R, "first": 1, "last": 1, "rotations": ("B",), "limit": 2},
        "R1, block 1: a stint of 1 on B, at least 2 needed",
    ),
    "cap_min": (
        {"block": 0, "rotation": "A", "count": 1, "min": 2},
        "block 0: A has 1 residents, needs at least 2",
    ),
    "cap_max": (
        {"block": 0, "rotation": "A", "count": 1, "max": 0},
        "block 0: A has 1 residents, at most 0 allowed",
    ),
    "exchange": (
        {
            "block": 0,
            "count": 1,
            "from_site": "H2",
            "to_site": "H1",
            "max": 0,
            "residents": ("R1",),
        },
        "block 0: 1 residents from H2 work at H1, at most 0 allowed",
    ),
    "wrong_instance": (
        {"found": "x", "expected": "t"},
        "the solution is for instance 'x', not 't'",
    ),
    "no_schedule": ({"status": "UNKNOWN"}, "there is no schedule to check (status UNKNOWN)"),
    "unknown_resident": ({"resident": "R9"}, "R9: not a resident of this instance"),
    "missing_resident": (R, "R1: missing from the schedule"),
    "wrong_length": ({**R, "count": 1, "blocks": 4}, "R1: has 1 blocks, the calendar has 4"),
    "unknown_rotation": (
        {**R, "block": 2, "rotation": "Z"},
        "R1, block 2: unknown rotation 'Z'",
    ),
    "wrong_objective": (
        {"stated": None, "objective": 9},
        "the stated objective None should be 9",
    ),
    "bound_below_objective": (
        {"bound": 3, "objective": 9},
        "the stated bound 3 is below the objective 9",
    ),
    "optimal_without_bound": ({"bound": 5}, "status OPTIMAL but the bound 5 is not the objective"),
    "schedule_without_status": ({"status": "UNKNOWN"}, "status UNKNOWN but a schedule is given"),
    "conflict_cap_min": (
        {"block": 4, "rotation": "H1-ICU", "min": 3, "able": 2},
        "block 4: H1-ICU needs at least 3 residents, but only 2 residents whose programs allow "
        "it are not on leave",
    ),
    "conflict_cap_max": (
        {"block": 4, "rotation": "H1-ICU", "max": 3},
        "block 4: H1-ICU takes at most 3 residents",
    ),
    "conflict_duration": (
        {"rotation": "C", "duration": 2, "last_block": 3},
        "C is taken in stints of exactly 2 consecutive blocks, never into leave or past block 3",
    ),
    "conflict_exchange": (
        {"block": 2, "max": 1, "from_site": "H1", "to_site": "H2"},
        "block 2: at most 1 residents from H1 may work at H2",
    ),
    "conflict_pinned": (
        {**R, **P, "rotation": "A", "block": 2},
        "R1 is pinned to A in block 2",
    ),
    "conflict_pinned_on_leave": (
        {**R, **P, "rotation": "A", "block": 2},
        "R1 is pinned to A in block 2, but is on leave then",
    ),
    "conflict_pinned_not_in_program": (
        {**R, **P, "rotation": "D", "block": 2},
        "R1 is pinned to D in block 2, which program P does not include",
    ),
    "conflict_requirement_min": (
        {**R, **P, "rotations": ("A", "B"), "min": 3},
        "R1 needs at least 3 blocks on A + B (program P)",
    ),
    "conflict_requirement_min_with_leave": (
        {**R, **P, "rotations": ("A",), "min": 3, "leave": (0, 2, 3, 4)},
        "R1 needs at least 3 blocks on A (program P) (R1 is on leave in blocks 0, 2-4)",
    ),
    "conflict_requirement_max": (
        {**R, **P, "rotations": ("A",), "max": 1},
        "R1 may spend at most 1 blocks on A (program P)",
    ),
    "conflict_precedence": (
        {**R, **P, "after": ("A",), "before": ("B", "C")},
        "R1: every block on A must come after a block on B / C (program P)",
    ),
    "conflict_forbidden_sequence": (
        {**R, **P, "first": "A", "second": "B"},
        "R1: A may not be followed directly by B (program P)",
    ),
    "conflict_max_consecutive": (
        {**R, **P, "rotations": ("A", "B"), "limit": 2},
        "R1: at most 2 consecutive blocks on A / B (program P)",
    ),
    "conflict_min_stint": (
        {**R, **P, "rotations": ("B",), "limit": 2},
        "R1: stints on B last at least 2 blocks (program P)",
    ),
    "conflict_must_work": (
        {**R, **P, "blocks": (1,)},
        "R1 must be on a rotation in block 1 (program P has no idle blocks)",
    ),
    "conflict_unknown_rule": ({"rule": "('new', 1)"}, "rule ('new', 1)"),
    "conflict_not_narrowed": (
        {},
        "No schedule was found, and the search could not narrow down which rules conflict "
        "within the time limit.",
    ),
    "conflict_unexplained": ({}, "The rules of this instance cannot all hold together."),
}


def test_every_code_has_an_english_example() -> None:
    assert set(ENGLISH) == CODES


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_each_code_keeps_its_english_sentence(code: str) -> None:
    params, sentence = ENGLISH[code]
    assert Finding(code, params).english() == sentence


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_findings_survive_json(code: str) -> None:
    finding = Finding(code, ENGLISH[code][0])
    back = Finding.from_dict(json.loads(json.dumps(finding.to_dict())))
    assert back == finding
    assert back.english() == finding.english()


@pytest.mark.parametrize(
    "data",
    [
        {"code": "no_such_rule", "params": {}},
        {"code": "cap_min"},
        {"code": "cap_min", "params": [1, 2]},
        "cap_min",
    ],
)
def test_from_dict_refuses_what_it_cannot_read(data: object) -> None:
    with pytest.raises(ValueError):
        Finding.from_dict(data)


def test_conflict_cap_min_words_when_enough_residents_could_come() -> None:
    finding = Finding("conflict_cap_min", {"block": 0, "rotation": "A", "min": 1, "able": 1})
    assert finding.english() == (
        "block 0: A needs at least 1 resident (1 resident whose program allows it are not on leave)"
    )


def _instance(**program: Any) -> dict[str, Any]:
    return {
        "format": INSTANCE_FORMAT,
        "name": "t",
        "blocks": 4,
        "sites": ["H1", "H2"],
        "rotations": [{"id": "A", "site": "H1", "max": 1}, {"id": "B", "site": "H2"}],
        "programs": [
            {"id": "P", "requirements": [{"rotations": ["A"]}, {"rotations": ["B"]}], **program}
        ],
        "residents": [
            {"id": "R1", "program": "P", "site": "H1", "leave": [3]},
            {"id": "R2", "program": "P", "site": "H1"},
        ],
    }


def test_check_findings_carry_ids_and_zero_based_blocks() -> None:
    instance = parse_instance(_instance(max_consecutive=[{"rotations": ["B"], "blocks": 1}]))
    rows = {"R1": ("A", "B", "B", "A"), "R2": ("A", "A", "B", "B")}
    found = rule_findings(instance, rows)
    assert [f.english() for f in found] == rule_problems(instance, rows)
    by_code = {f.code: f for f in found}
    assert by_code["leave"].params == {"resident": "R1", "block": 3, "rotation": "A"}
    assert by_code["cap_max"].params == {"block": 0, "rotation": "A", "count": 2, "max": 1}
    runs = [(f.params["resident"], f.params["first"], f.params["last"]) for f in found
            if f.code == "max_consecutive"]  # fmt: skip
    assert runs == [("R1", 1, 2), ("R2", 2, 3)]


def test_check_report_problems_are_the_findings_in_english() -> None:
    instance = parse_instance(_instance())
    rows = {"R1": ("A", "B", "A", None), "R2": ("B", "A", "B", "A")}
    report = check_schedule(instance, Solution("t", "FEASIBLE", 7, None, 0.0, rows))
    assert [f.code for f in report.findings] == ["wrong_objective"]
    assert report.problems == ["the stated objective 7 should be 0"]
    assert not report.ok


def test_explain_findings_name_each_rule_group() -> None:
    data = example_instance()
    data["residents"][0]["fixed"] = {"6": "H1-WARD"}  # block 6 is R001's leave
    data["rotations"][0]["max"] = 1  # limits that bind, so the model keeps their groups
    data["exchange"][0]["max_per_block"] = 1
    instance = parse_instance(data)
    built = ScheduleModel(instance, with_groups=True)
    built.add_rules()
    keys = list(built.groups)
    found = explanation.rule_findings(instance, keys)
    assert [f.english() for f in found] == explanation.describe_rules(instance, keys)
    codes = {f.code for f in found}
    assert {
        "conflict_cap_min",
        "conflict_cap_max",
        "conflict_duration",
        "conflict_exchange",
        "conflict_pinned_on_leave",
        "conflict_requirement_min_with_leave",
        "conflict_requirement_min",
        "conflict_requirement_max",
        "conflict_precedence",
        "conflict_forbidden_sequence",
        "conflict_max_consecutive",
        "conflict_min_stint",
        "conflict_must_work",
    } <= codes
    must_work = [f for f in found if f.code == "conflict_must_work"]
    assert [f.params["resident"] for f in must_work] == ["R001", "R002"]  # one per resident
    assert must_work[1].params["blocks"] == tuple(range(13))


def test_explain_falls_back_when_the_search_runs_out_of_time(monkeypatch) -> None:
    monkeypatch.setattr(explanation, "conflicting_rules", lambda instance, time_limit: None)
    instance = parse_instance(example_instance())
    assert explanation.conflict_findings(instance) == [Finding("conflict_not_narrowed")]
    assert explanation.explain_infeasibility(instance) == [ENGLISH["conflict_not_narrowed"][1]]


def test_an_infeasible_instance_is_explained_by_findings() -> None:
    data = example_instance()
    data["rotations"][0]["min"] = 3  # H1-ICU needs 3 residents; there are 2
    instance = parse_instance(data)
    found = explanation.conflict_findings(instance, time_limit=5.0)
    assert any(
        f.code == "conflict_cap_min"
        and f.params["rotation"] == "H1-ICU"
        and f.params["able"] in (0, 1, 2)
        for f in found
    )


def test_check_stays_independent_of_the_model() -> None:
    source = Path(__file__).resolve().parents[1] / "checker.py"
    imported = {
        node.module
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(
        name.endswith((".model", ".explanation", ".evaluate", ".objective", ".cpsat"))
        for name in imported
    ), imported
