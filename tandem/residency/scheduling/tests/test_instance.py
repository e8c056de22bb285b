"""The parser rejects every kind of malformed instance and names the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tandem.residency.scheduling.instance import (
    InstanceError,
    instance_to_dict,
    parse_instance,
    parse_solution,
    solution_to_dict,
)
from tandem.residency.scheduling.tests.factories import example_instance

Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


MALFORMED: list[tuple[str, Mutation, str]] = [
    ("unknown top-level key", _set(["colour"], "red"), "colour: unknown key"),
    ("wrong format", _set(["format"], "tandem-rotation-instance/2"), "format: expected"),
    ("missing blocks", _delete(["blocks"]), "blocks: missing"),
    ("blocks as string", _set(["blocks"], "13"), "blocks: expected an integer"),
    ("blocks as boolean", _set(["blocks"], True), "blocks: expected an integer"),
    ("zero blocks", _set(["blocks"], 0), "blocks: must be at least 1"),
    ("duplicate site", _set(["sites"], ["H1", "H1"]), "sites: site ids must be unique"),
    ("unknown rotation key", _set(["rotations", 0, "beds"], 3), "rotations[0].beds: unknown key"),
    (
        "rotation unknown site",
        _set(["rotations", 0, "site"], "H9"),
        "rotations[0].site: unknown site",
    ),
    (
        "min list of wrong length",
        _set(["rotations", 1, "min"], [1, 2]),
        "rotations[1].min: expected one number or a list of 13 numbers, got 2",
    ),
    ("negative max", _set(["rotations", 0, "max"], -1), "rotations[0].max: must be at least 0"),
    ("min above max", _set(["rotations", 0, "min"], 4), "rotations[0].max: block 0 has min 4"),
    ("float in min list", _set(["rotations", 1, "min"], [1.5] * 13), "rotations[1].min[0]"),
    ("zero duration", _set(["rotations", 2, "duration"], 0), "rotations[2].duration"),
    ("duplicate rotation", _set(["rotations", 1, "id"], "H1-ICU"), "rotations[1].id: duplicate"),
    (
        "requirement names unknown rotation",
        _set(["programs", 0, "requirements", 0, "rotations"], ["H3-X"]),
        "programs[0].requirements[0].rotations[0]: unknown rotation 'H3-X'",
    ),
    (
        "requirement max below min",
        _set(["programs", 0, "requirements", 1, "max"], 1),
        "programs[0].requirements[1].max: 1 is below min 3",
    ),
    (
        "empty precedence",
        _set(["programs", 0, "precedences", 0, "before"], []),
        "programs[0].precedences[0].before: must not be empty",
    ),
    (
        "forbidden sequence of three",
        _set(["programs", 0, "forbidden_sequences", 0], ["H1-ICU", "H1-ICU", "H1-ICU"]),
        "programs[0].forbidden_sequences[0]: expected two rotations, got 3",
    ),
    (
        "max_consecutive without blocks",
        _delete(["programs", 0, "max_consecutive", 0, "blocks"]),
        "programs[0].max_consecutive[0].blocks: missing",
    ),
    (
        "min_stint of zero",
        _set(["programs", 0, "min_stint", 0, "blocks"], 0),
        "programs[0].min_stint[0].blocks: must be at least 1",
    ),
    ("may_idle as string", _set(["programs", 0, "may_idle"], "no"), "programs[0].may_idle"),
    (
        "duplicate program",
        _set(["programs"], [{"id": "P", "requirements": []}, {"id": "P", "requirements": []}]),
        "programs[1].id: duplicate program id 'P'",
    ),
    (
        "unknown program",
        _set(["residents", 0, "program"], "XX"),
        "residents[0].program: unknown program",
    ),
    ("unknown resident key", _set(["residents", 1, "age"], 30), "residents[1].age: unknown key"),
    ("duplicate resident", _set(["residents", 1, "id"], "R001"), "residents[1].id: duplicate"),
    (
        "leave out of range",
        _set(["residents", 0, "leave"], [13]),
        "residents[0].leave[0]: block 13",
    ),
    (
        "leave twice",
        _set(["residents", 0, "leave"], [2, 2]),
        "residents[0].leave: a block is listed twice",
    ),
    (
        "fixed block out of range",
        _set(["residents", 0, "fixed"], {"14": "H1-WARD"}),
        'residents[0].fixed["14"]: block 14 is outside 0..12',
    ),
    (
        "fixed key not a number",
        _set(["residents", 0, "fixed"], {"first": "H1-WARD"}),
        'residents[0].fixed["first"]: the key must be a block number',
    ),
    (
        "fixed unknown rotation",
        _set(["residents", 0, "fixed"], {"3": "H1-ER"}),
        'residents[0].fixed["3"]: unknown rotation',
    ),
    (
        "preference per week",
        _set(["residents", 0, "preferences", 0, "per"], "week"),
        "residents[0].preferences[0].per",
    ),
    (
        "preference points as float",
        _set(["residents", 0, "preferences", 0, "points"], 1.5),
        "residents[0].preferences[0].points: expected an integer",
    ),
    (
        "stint preference with blocks",
        _set(["residents", 0, "preferences", 0, "blocks"], [1]),
        "residents[0].preferences[0].blocks",
    ),
    (
        "exchange to itself",
        _set(["exchange", 0, "to"], "H1"),
        "exchange[0].to: must differ",
    ),
    (
        "exchange unknown site",
        _set(["exchange", 0, "from"], "H7"),
        "exchange[0].from: unknown site",
    ),
    ("negative fairness", _set(["objective", "fairness_weight"], -1), "objective.fairness_weight"),
    ("unknown objective key", _set(["objective", "style"], 1), "objective.style: unknown key"),
    ("residents not a list", _set(["residents"], {}), "residents: expected a list"),
]


@pytest.mark.parametrize(
    ("mutation", "message"), [(m, msg) for _, m, msg in MALFORMED], ids=[n for n, _, _ in MALFORMED]
)
def test_parser_names_the_broken_field(mutation: Mutation, message: str) -> None:
    data = example_instance()
    mutation(data)
    with pytest.raises(InstanceError) as raised:
        parse_instance(data)
    assert message in str(raised.value)


def test_example_instance_parses_with_defaults() -> None:
    instance = parse_instance(example_instance())
    assert instance.blocks == 13
    assert instance.rotation("H1-ICU").min_per_block == (0,) * 13
    assert instance.rotation("H1-ICU").max_per_block == (3,) * 13
    assert instance.rotation("H2-ONC").duration == 2
    second = instance.residents[1]
    assert second.leave == frozenset() and second.site_change_points == 0
    assert instance.residents[0].fixed == {0: "H1-WARD"}


def test_instance_round_trips_through_dict() -> None:
    instance = parse_instance(example_instance())
    assert parse_instance(instance_to_dict(instance)) == instance


def test_solution_round_trips_and_rejects_bad_status() -> None:
    data = {
        "format": "tandem-rotation-solution/1",
        "instance": "example",
        "status": "OPTIMAL",
        "objective": 3,
        "bound": 3,
        "wall_seconds": 0.5,
        "assignments": {"R001": ["A", None]},
        "conflicts": [],
    }
    assert solution_to_dict(parse_solution(data)) == data
    data["status"] = "GREAT"
    with pytest.raises(InstanceError, match="status"):
        parse_solution(data)
