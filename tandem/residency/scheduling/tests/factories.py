"""Small instances for the tests, as plain JSON-like dicts."""

from __future__ import annotations

import copy
import random
from typing import Any

from tandem.residency.scheduling.instance import INSTANCE_FORMAT


def example_instance() -> dict[str, Any]:
    """The instance of the format description, made feasible (two residents, light staffing)."""
    return copy.deepcopy(
        {
            "format": INSTANCE_FORMAT,
            "name": "example",
            "blocks": 13,
            "sites": ["H1", "H2"],
            "rotations": [
                {"id": "H1-ICU", "site": "H1", "max": 3},
                {"id": "H1-WARD", "site": "H1", "min": [1] * 12 + [0], "max": 6},
                {"id": "H2-ONC", "site": "H2", "max": 2, "duration": 2},
            ],
            "programs": [
                {
                    "id": "IM-PGY1",
                    "requirements": [
                        {"rotations": ["H1-ICU"], "min": 2, "max": 3},
                        {"rotations": ["H1-WARD"], "min": 3, "max": 9},
                        {"rotations": ["H2-ONC"], "min": 0, "max": 4},
                    ],
                    "precedences": [{"before": ["H1-WARD"], "after": ["H1-ICU"]}],
                    "forbidden_sequences": [["H1-ICU", "H1-ICU"]],
                    "max_consecutive": [{"rotations": ["H1-ICU"], "blocks": 2}],
                    "min_stint": [{"rotations": ["H1-WARD"], "blocks": 2}],
                    "may_idle": False,
                }
            ],
            "residents": [
                {
                    "id": "R001",
                    "program": "IM-PGY1",
                    "site": "H1",
                    "leave": [6],
                    "fixed": {"0": "H1-WARD"},
                    "preferences": [
                        {"rotation": "H2-ONC", "points": 3, "per": "stint"},
                        {"rotation": "H1-WARD", "points": 1, "blocks": [1, 2]},
                    ],
                    "site_change_points": -1,
                    "gap_points": 0,
                },
                {"id": "R002", "program": "IM-PGY1", "site": "H1"},
            ],
            "exchange": [{"from": "H1", "to": "H2", "max_per_block": 2}],
            "objective": {"fairness_weight": 1},
        }
    )


def random_tiny_instance(seed: int, *, residents: int = 2, blocks: int = 4) -> dict[str, Any]:
    """A random instance small enough to enumerate every schedule; it may be infeasible."""
    rng = random.Random(seed)
    sites = ["H1", "H2"]
    rotation_ids = ["A", "B", "C"]
    rotations: list[dict[str, Any]] = []
    for rid in rotation_ids:
        rotation: dict[str, Any] = {"id": rid, "site": rng.choice(sites)}
        if rng.random() < 0.3:
            rotation["min"] = rng.randint(0, 1)
        if rng.random() < 0.5:
            rotation["max"] = rng.randint(1, residents)
        if rng.random() < 0.2:
            rotation["duration"] = 2
        rotations.append(rotation)
    program: dict[str, Any] = {
        "id": "P",
        "requirements": [
            {"rotations": [rid], "min": rng.randint(0, 1), "max": rng.randint(1, blocks)}
            for rid in rotation_ids
        ],
        "may_idle": rng.random() < 0.3,
    }
    if rng.random() < 0.3:
        program["precedences"] = [{"before": ["A"], "after": [rng.choice(["B", "C"])]}]
    if rng.random() < 0.3:
        program["forbidden_sequences"] = [[rng.choice(rotation_ids), rng.choice(rotation_ids)]]
    if rng.random() < 0.3:
        program["max_consecutive"] = [{"rotations": ["A", "B"], "blocks": rng.randint(1, 2)}]
    if rng.random() < 0.3:
        program["min_stint"] = [{"rotations": [rng.choice(rotation_ids)], "blocks": 2}]
    people = []
    for i in range(residents):
        person: dict[str, Any] = {"id": f"R{i}", "program": "P", "site": rng.choice(sites)}
        if rng.random() < 0.3:
            person["leave"] = [rng.randrange(blocks)]
        person["preferences"] = [
            {
                "rotation": rng.choice(rotation_ids),
                "points": rng.randint(-3, 4),
                "per": rng.choice(["block", "stint"]),
            }
            for _ in range(rng.randint(0, 3))
        ]
        person["site_change_points"] = rng.randint(-2, 1)
        person["gap_points"] = rng.randint(-2, 1)
        people.append(person)
    instance: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "name": f"tiny-{seed}",
        "blocks": blocks,
        "sites": sites,
        "rotations": rotations,
        "programs": [program],
        "residents": people,
        "objective": {"fairness_weight": rng.choice([0, 0, 1, 2])},
    }
    if rng.random() < 0.3:
        instance["exchange"] = [{"from": "H1", "to": "H2", "max_per_block": rng.randint(0, 1)}]
    return instance
