"""The instance format (``tandem-rotation-instance/1``): parsing and writing.

Parsing validates every field and raises ``InstanceError`` whose message starts with the path of
the offending field, so a coordinator (or another program) can find it in their file. The
records live in ``records.py`` and the solution format in ``solution.py``; both are importable
from here as well, as they were before the split.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tandem.residency.scheduling.reading import (
    check_unique,
    describe,
    read_block,
    read_int,
    read_list,
    read_object,
    read_per_block,
    read_rotation_ids,
    read_str,
)
from tandem.residency.scheduling.records import (
    INSTANCE_FORMAT,
    SOLUTION_FORMAT,
    STATUSES,
    Exchange,
    Instance,
    InstanceError,
    Precedence,
    Preference,
    Program,
    Requirement,
    Resident,
    Rotation,
    RotationRun,
    Solution,
    Status,
)
from tandem.residency.scheduling.solution import parse_solution, solution_to_dict

__all__ = [
    "INSTANCE_FORMAT",
    "SOLUTION_FORMAT",
    "STATUSES",
    "Exchange",
    "Instance",
    "InstanceError",
    "Precedence",
    "Preference",
    "Program",
    "Requirement",
    "Resident",
    "Rotation",
    "RotationRun",
    "Solution",
    "Status",
    "instance_to_dict",
    "parse_instance",
    "parse_solution",
    "solution_to_dict",
]


def parse_instance(data: object) -> Instance:
    """Validate ``data`` (decoded JSON) against the instance format and build an ``Instance``."""
    root = read_object(
        data,
        "",
        required=("format", "name", "blocks", "sites", "rotations", "programs", "residents"),
        optional=("exchange", "objective"),
    )
    if root["format"] != INSTANCE_FORMAT:
        raise InstanceError(f"format: expected {INSTANCE_FORMAT!r}, got {describe(root['format'])}")
    name = read_str(root["name"], "name")
    blocks = read_int(root["blocks"], "blocks", minimum=1)
    sites = tuple(
        read_str(s, f"sites[{i}]") for i, s in enumerate(read_list(root["sites"], "sites"))
    )
    if len(set(sites)) != len(sites):
        raise InstanceError("sites: site ids must be unique")
    site_set = set(sites)

    rotations = tuple(
        _parse_rotation(r, f"rotations[{i}]", blocks, site_set)
        for i, r in enumerate(read_list(root["rotations"], "rotations"))
    )
    check_unique([r.id for r in rotations], "rotations", "rotation")
    rotation_ids = {r.id for r in rotations}

    programs = tuple(
        _parse_program(p, f"programs[{i}]", rotation_ids)
        for i, p in enumerate(read_list(root["programs"], "programs"))
    )
    check_unique([p.id for p in programs], "programs", "program")
    programs_by_id = {p.id: p for p in programs}

    residents = tuple(
        _parse_resident(r, f"residents[{i}]", blocks, site_set, rotation_ids, programs_by_id)
        for i, r in enumerate(read_list(root["residents"], "residents"))
    )
    check_unique([r.id for r in residents], "residents", "resident")

    exchange = tuple(
        _parse_exchange(e, f"exchange[{i}]", site_set)
        for i, e in enumerate(read_list(root.get("exchange", []), "exchange"))
    )
    fairness_weight = 0
    if "objective" in root:
        objective = read_object(
            root["objective"], "objective", required=(), optional=("fairness_weight",)
        )
        fairness_weight = read_int(
            objective.get("fairness_weight", 0), "objective.fairness_weight", minimum=0
        )
    return Instance(name, blocks, sites, rotations, programs, residents, exchange, fairness_weight)


def _parse_rotation(value: object, path: str, blocks: int, sites: set[str]) -> Rotation:
    obj = read_object(value, path, required=("id", "site"), optional=("min", "max", "duration"))
    rotation_id = read_str(obj["id"], f"{path}.id")
    site = read_str(obj["site"], f"{path}.site")
    if site not in sites:
        raise InstanceError(f"{path}.site: unknown site {site!r}")
    minimum = read_per_block(obj.get("min", 0), f"{path}.min", blocks)
    maximum: tuple[int | None, ...] = (None,) * blocks
    if "max" in obj:
        maximum = read_per_block(obj["max"], f"{path}.max", blocks)
    for t in range(blocks):
        upper = maximum[t]
        if upper is not None and minimum[t] > upper:
            raise InstanceError(f"{path}.max: block {t} has min {minimum[t]} above max {upper}")
    duration = read_int(obj.get("duration", 1), f"{path}.duration", minimum=1)
    if duration > blocks:
        raise InstanceError(f"{path}.duration: {duration} is longer than the {blocks} blocks")
    return Rotation(rotation_id, site, minimum, maximum, duration)


def _parse_program(value: object, path: str, rotations: set[str]) -> Program:
    obj = read_object(
        value,
        path,
        required=("id", "requirements"),
        optional=("precedences", "forbidden_sequences", "max_consecutive", "min_stint", "may_idle"),
    )
    program_id = read_str(obj["id"], f"{path}.id")
    requirements = []
    for i, item in enumerate(read_list(obj["requirements"], f"{path}.requirements")):
        req_path = f"{path}.requirements[{i}]"
        req = read_object(item, req_path, required=("rotations",), optional=("min", "max"))
        ids = read_rotation_ids(req["rotations"], f"{req_path}.rotations", rotations)
        low = read_int(req.get("min", 0), f"{req_path}.min", minimum=0)
        high = None
        if "max" in req:
            high = read_int(req["max"], f"{req_path}.max", minimum=0)
            if high < low:
                raise InstanceError(f"{req_path}.max: {high} is below min {low}")
        requirements.append(Requirement(ids, low, high))
    precedences = []
    for i, item in enumerate(read_list(obj.get("precedences", []), f"{path}.precedences")):
        p_path = f"{path}.precedences[{i}]"
        prec = read_object(item, p_path, required=("before", "after"))
        precedences.append(
            Precedence(
                read_rotation_ids(prec["before"], f"{p_path}.before", rotations),
                read_rotation_ids(prec["after"], f"{p_path}.after", rotations),
            )
        )
    sequences = []
    for i, item in enumerate(
        read_list(obj.get("forbidden_sequences", []), f"{path}.forbidden_sequences")
    ):
        s_path = f"{path}.forbidden_sequences[{i}]"
        pair = read_rotation_ids(item, s_path, rotations)
        if len(pair) != 2:
            raise InstanceError(f"{s_path}: expected two rotations, got {len(pair)}")
        sequences.append((pair[0], pair[1]))
    runs: dict[str, list[RotationRun]] = {"max_consecutive": [], "min_stint": []}
    for key, found in runs.items():
        for i, item in enumerate(read_list(obj.get(key, []), f"{path}.{key}")):
            r_path = f"{path}.{key}[{i}]"
            rule = read_object(item, r_path, required=("rotations", "blocks"))
            found.append(
                RotationRun(
                    read_rotation_ids(rule["rotations"], f"{r_path}.rotations", rotations),
                    read_int(rule["blocks"], f"{r_path}.blocks", minimum=1),
                )
            )
    may_idle = obj.get("may_idle", False)
    if not isinstance(may_idle, bool):
        raise InstanceError(f"{path}.may_idle: expected true or false, got {describe(may_idle)}")
    return Program(
        program_id,
        tuple(requirements),
        tuple(precedences),
        tuple(sequences),
        tuple(runs["max_consecutive"]),
        tuple(runs["min_stint"]),
        may_idle,
    )


def _parse_resident(
    value: object,
    path: str,
    blocks: int,
    sites: set[str],
    rotations: set[str],
    programs: dict[str, Program],
) -> Resident:
    obj = read_object(
        value,
        path,
        required=("id", "program", "site"),
        optional=("leave", "fixed", "preferences", "site_change_points", "gap_points"),
    )
    resident_id = read_str(obj["id"], f"{path}.id")
    program = read_str(obj["program"], f"{path}.program")
    if program not in programs:
        raise InstanceError(f"{path}.program: unknown program {program!r}")
    site = read_str(obj["site"], f"{path}.site")
    if site not in sites:
        raise InstanceError(f"{path}.site: unknown site {site!r}")
    leave_list = [
        read_block(b, f"{path}.leave[{i}]", blocks)
        for i, b in enumerate(read_list(obj.get("leave", []), f"{path}.leave"))
    ]
    if len(set(leave_list)) != len(leave_list):
        raise InstanceError(f"{path}.leave: a block is listed twice")
    fixed_raw = obj.get("fixed", {})
    if not isinstance(fixed_raw, dict):
        raise InstanceError(f"{path}.fixed: expected an object, got {describe(fixed_raw)}")
    fixed: dict[int, str] = {}
    for key, rotation_id in fixed_raw.items():
        f_path = f"{path}.fixed[{key!r}]".replace("'", '"')
        if not isinstance(key, str) or not key.isdigit() or (len(key) > 1 and key.startswith("0")):
            raise InstanceError(f"{f_path}: the key must be a block number written as a string")
        block = int(key)
        if block >= blocks:
            raise InstanceError(f"{f_path}: block {block} is outside 0..{blocks - 1}")
        rotation_id = read_str(rotation_id, f_path)
        if rotation_id not in rotations:
            raise InstanceError(f"{f_path}: unknown rotation {rotation_id!r}")
        fixed[block] = rotation_id
    preferences = []
    for i, item in enumerate(read_list(obj.get("preferences", []), f"{path}.preferences")):
        p_path = f"{path}.preferences[{i}]"
        pref = read_object(
            item, p_path, required=("rotation", "points"), optional=("per", "blocks")
        )
        rotation_id = read_str(pref["rotation"], f"{p_path}.rotation")
        if rotation_id not in rotations:
            raise InstanceError(f"{p_path}.rotation: unknown rotation {rotation_id!r}")
        per = pref.get("per", "block")
        if per not in ("block", "stint"):
            raise InstanceError(f'{p_path}.per: expected "block" or "stint", got {describe(per)}')
        pref_blocks = None
        if "blocks" in pref:
            if per == "stint":
                # The format defines "blocks" only for points per block; refuse to guess.
                raise InstanceError(f'{p_path}.blocks: only allowed with "per": "block"')
            pref_blocks = tuple(
                read_block(b, f"{p_path}.blocks[{j}]", blocks)
                for j, b in enumerate(read_list(pref["blocks"], f"{p_path}.blocks"))
            )
            if len(set(pref_blocks)) != len(pref_blocks):
                raise InstanceError(f"{p_path}.blocks: a block is listed twice")
        points = read_int(pref["points"], f"{p_path}.points")
        preferences.append(Preference(rotation_id, points, per == "stint", pref_blocks))
    return Resident(
        resident_id,
        program,
        site,
        frozenset(leave_list),
        fixed,
        tuple(preferences),
        read_int(obj.get("site_change_points", 0), f"{path}.site_change_points"),
        read_int(obj.get("gap_points", 0), f"{path}.gap_points"),
    )


def _parse_exchange(value: object, path: str, sites: set[str]) -> Exchange:
    obj = read_object(value, path, required=("from", "to", "max_per_block"))
    from_site = read_str(obj["from"], f"{path}.from")
    to_site = read_str(obj["to"], f"{path}.to")
    for key, site in (("from", from_site), ("to", to_site)):
        if site not in sites:
            raise InstanceError(f"{path}.{key}: unknown site {site!r}")
    if from_site == to_site:
        raise InstanceError(f"{path}.to: must differ from 'from' ({from_site!r})")
    return Exchange(
        from_site, to_site, read_int(obj["max_per_block"], f"{path}.max_per_block", minimum=0)
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The JSON form of ``instance`` (round-trips through ``parse_instance``)."""

    def per_block(values: Sequence[int | None]) -> int | list[int | None]:
        first = values[0]
        return first if first is not None and all(v == first for v in values) else list(values)

    rotations = []
    for r in instance.rotations:
        item: dict[str, Any] = {"id": r.id, "site": r.site, "min": per_block(r.min_per_block)}
        if any(m is not None for m in r.max_per_block):
            item["max"] = per_block(r.max_per_block)
        if r.duration != 1:
            item["duration"] = r.duration
        rotations.append(item)
    programs = []
    for p in instance.programs:
        reqs = []
        for req in p.requirements:
            req_item: dict[str, Any] = {"rotations": list(req.rotations), "min": req.min}
            if req.max is not None:
                req_item["max"] = req.max
            reqs.append(req_item)
        programs.append(
            {
                "id": p.id,
                "requirements": reqs,
                "precedences": [
                    {"before": list(x.before), "after": list(x.after)} for x in p.precedences
                ],
                "forbidden_sequences": [list(s) for s in p.forbidden_sequences],
                "max_consecutive": [
                    {"rotations": list(x.rotations), "blocks": x.blocks} for x in p.max_consecutive
                ],
                "min_stint": [
                    {"rotations": list(x.rotations), "blocks": x.blocks} for x in p.min_stint
                ],
                "may_idle": p.may_idle,
            }
        )
    residents = []
    for res in instance.residents:
        prefs = []
        for pref in res.preferences:
            pref_item: dict[str, Any] = {
                "rotation": pref.rotation,
                "points": pref.points,
                "per": "stint" if pref.per_stint else "block",
            }
            if pref.blocks is not None:
                pref_item["blocks"] = list(pref.blocks)
            prefs.append(pref_item)
        residents.append(
            {
                "id": res.id,
                "program": res.program,
                "site": res.site,
                "leave": sorted(res.leave),
                "fixed": {str(b): rot for b, rot in sorted(res.fixed.items())},
                "preferences": prefs,
                "site_change_points": res.site_change_points,
                "gap_points": res.gap_points,
            }
        )
    return {
        "format": INSTANCE_FORMAT,
        "name": instance.name,
        "blocks": instance.blocks,
        "sites": list(instance.sites),
        "rotations": rotations,
        "programs": programs,
        "residents": residents,
        "exchange": [
            {"from": e.from_site, "to": e.to_site, "max_per_block": e.max_per_block}
            for e in instance.exchange
        ],
        "objective": {"fairness_weight": instance.fairness_weight},
    }
