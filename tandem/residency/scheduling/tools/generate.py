"""Deterministic, feasible instances of four sizes for tests and benchmarks.

Feasibility is planted: every resident first gets a schedule that obeys their program's rules
(built block by block and checked), then the staffing limits and exchange quotas are derived
from those schedules with a little slack. Preferences are drawn independently, so the planted
schedule is a feasible start, not the answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from tandem.residency.scheduling.checker import resident_findings
from tandem.residency.scheduling.instance import (
    Exchange,
    Instance,
    Precedence,
    Preference,
    Program,
    Requirement,
    Resident,
    Rotation,
    RotationRun,
)

HEAVY = ("ICU", "NIGHT", "ER")
FULL_CATALOG = (
    "ICU", "NIGHT", "ER", "WARD-A", "WARD-B", "CARD", "ONC", "SURG", "ANES", "NEURO",
    "GI", "PULM", "NEPH", "ID", "ENDO", "RAD", "PATH", "DERM", "PSYCH", "CLINIC",
)  # fmt: skip
SMALL_CATALOG = (
    "ICU", "NIGHT", "ER", "WARD-A", "WARD-B", "CARD", "ONC", "GI", "PULM", "NEPH", "RAD", "CLINIC",
)  # fmt: skip
DURATION = {"CARD": 2, "ONC": 2}
# Rotations a hospital opens to residents of its partner hospitals.
EXCHANGE_ROLES = ("RAD", "PATH", "ONC")


# More services for the "number of rotations" shape: electives, added to each program's
# elective group, so that a larger catalogue never makes the planted schedule impossible.
EXTRA_CATALOG = (
    "ENT", "OPH", "URO", "ORTHO", "PED", "OBG", "GER", "REH", "PAL", "SPORT",
)  # fmt: skip
CAPACITIES = ("planted", "tight", "loose")
LEAVE = {"none": (1, 0, 0), "normal": (6, 3, 1), "heavy": (2, 3, 3)}
PROGRAMS = ("default", "many", "few")


@dataclass(frozen=True)
class Size:
    """A family of instances: its size and shape. The defaults give the instances as before."""

    hospitals: int
    residents: int
    catalog: tuple[str, ...]
    templates: tuple[str, ...]
    blocks: int = 13
    extra_rotations: int = 0  # electives added to the catalogue (0..10)
    capacity: str = "planted"  # tight: no seat to spare; loose: a few seats and fewer minimums
    duration: int | None = None  # blocks of CARD and ONC (None: 2); NEURO lasts one block less
    idle_share: float | None = None  # share of residents whose program may idle (None: ~1 in 6)
    stint_share: float = 0.0  # chance that a preference is per stint rather than per block
    site_change: int = 3  # site-change points drawn from -1..-site_change (0: none)
    gap: int = 1  # gap points of residents who may idle (0: none)
    fairness: int = 3
    programs: str = "default"  # many: five years per template; few: one program per site
    leave: str = "normal"
    pins: float = 0.15  # chance that a resident has a pinned block
    exchange_slack: int = 0  # seats added to every planted exchange quota

    @property
    def years(self) -> tuple[int, ...]:
        return {"many": (1, 2, 3, 4, 5), "few": (1,)}.get(self.programs, (1, 2))

    @property
    def template_names(self) -> tuple[str, ...]:
        return self.templates[:1] if self.programs == "few" else self.templates


SIZES: dict[str, Size] = {
    "tiny": Size(1, 6, SMALL_CATALOG, ("IM",)),
    "pair": Size(2, 16, SMALL_CATALOG, ("IM", "RESEARCH")),  # for tests: two partner sites
    "small": Size(1, 30, SMALL_CATALOG, ("IM",)),
    "medium": Size(1, 120, FULL_CATALOG, ("IM", "SURG", "NEURO", "RESEARCH")),
    "large": Size(3, 390, FULL_CATALOG, ("IM", "SURG", "NEURO", "RESEARCH")),
    "consortium": Size(6, 1020, FULL_CATALOG, ("IM", "SURG", "NEURO", "RESEARCH")),
}

# (roles, min, max) per template; roles missing from a small catalogue are dropped.
_TEMPLATES: dict[str, list[tuple[tuple[str, ...], int, int]]] = {
    "IM": [
        (("WARD-A", "WARD-B"), 3, 5),
        (("ICU",), 1, 2),
        (("NIGHT",), 1, 2),
        (("ER",), 1, 2),
        (("CARD",), 2, 4),
        (("ONC",), 0, 2),
        (("GI", "PULM", "NEPH", "ID", "ENDO", "CLINIC", "RAD"), 1, 5),
    ],
    "SURG": [
        (("SURG",), 3, 5),
        (("WARD-A", "WARD-B"), 2, 3),
        (("ICU",), 1, 2),
        (("NIGHT",), 1, 2),
        (("ER",), 1, 2),
        (("ANES",), 1, 2),
        (("RAD", "PATH", "GI", "CLINIC"), 0, 4),
    ],
    "NEURO": [
        (("NEURO",), 2, 4),
        (("WARD-A", "WARD-B"), 2, 4),
        (("ICU",), 0, 2),
        (("NIGHT",), 1, 2),
        (("ER",), 1, 2),
        (("ONC",), 0, 2),
        (("RAD", "PATH", "PSYCH", "DERM", "CLINIC"), 1, 5),
    ],
    "RESEARCH": [
        (("CLINIC",), 2, 6),
        (("PATH", "RAD", "DERM", "PSYCH"), 1, 6),
        (("NIGHT",), 0, 1),
    ],
}


def _program(
    template: str, year: int, site: str, catalog: tuple[str, ...], partners: list[str],
    blocks: int = 13, extra: tuple[str, ...] = (),
) -> Program:  # fmt: skip
    requirements = []
    scale = blocks / 13  # the templates are written for a year of 13 blocks
    for roles, low, high in _TEMPLATES[template]:
        present = [r for r in roles if r in catalog]
        if "CLINIC" in roles:
            present += [r for r in extra if r in catalog]  # electives join the elective group
        if not present:
            continue
        if template != "RESEARCH" and roles == ("ICU",) and year >= 2:
            low, high = low + 1, high + 1
        if scale != 1:
            low, high = round(low * scale), max(1, round(high * scale))
        requirements.append(Requirement(tuple(f"{site}-{r}" for r in present), low, high))
    exchange_rotations = tuple(f"{p}-{r}" for p in partners for r in EXCHANGE_ROLES if r in catalog)
    if exchange_rotations:
        requirements.append(Requirement(exchange_rotations, 0, max(2, round(2 * blocks / 13))))
    heavy = tuple(f"{site}-{r}" for r in HEAVY if r in catalog)
    ward = tuple(f"{site}-{r}" for r in ("WARD-A", "WARD-B") if r in catalog)
    research = template == "RESEARCH"
    allowed = {r for req in requirements for r in req.rotations}
    return Program(
        id=f"{site}-{template}-PGY{year}",
        requirements=tuple(requirements),
        # Prerequisite: first-years see a ward before the ICU.
        precedences=(Precedence(ward, (f"{site}-ICU",)),) if year == 1 and not research else (),
        forbidden_sequences=((f"{site}-ICU", f"{site}-NIGHT"),) if not research else (),
        max_consecutive=tuple(
            RotationRun(rotations, 2)
            for rotations in [tuple(h for h in heavy if h in allowed)]
            if rotations
        ),
        min_stint=(RotationRun(ward, 2),) if ward and not research else (),
        may_idle=research,
    )


def _plant_row(
    program: Program, leave: frozenset[int], blocks: int, duration: dict[str, int],
    rng: random.Random, probe: Resident, instance_stub: Instance,
) -> list[str | None]:  # fmt: skip
    """A random schedule for one resident that obeys every rule of their program."""
    stint_rotations = {r for rule in program.min_stint for r in rule.rotations}
    allowed = sorted(program.allowed_rotations)
    for _attempt in range(500):
        row: list[str | None] = [None] * blocks
        counts = dict.fromkeys(range(len(program.requirements)), 0)
        t = 0
        while t < blocks:
            if t in leave:
                t += 1
                continue
            free = 0
            while t + free < blocks and t + free not in leave:
                free += 1
            options = allowed + ([None] if program.may_idle else [])
            rng.shuffle(options)
            placed = False
            for rot in options:
                length = 1
                if rot is not None:
                    length = duration.get(rot, 1)
                    if rot in stint_rotations:
                        length = min(free, rng.choice((2, 3)))
                if length > free:
                    continue
                trial = row[:t] + [rot] * length
                if not _prefix_ok(program, trial, counts, rot, length, blocks, leave, t):
                    continue
                row[t : t + length] = [rot] * length
                for i, req in enumerate(program.requirements):
                    if rot in req.rotations:
                        counts[i] += length
                t += length
                placed = True
                break
            if not placed:
                break
        else:
            candidate = Resident(probe.id, program.id, probe.site, leave)
            if not resident_findings(instance_stub, candidate, row):
                return row
    raise RuntimeError(f"could not plant a schedule for program {program.id}")


def _prefix_ok(
    program: Program, trial: list[str | None], counts: dict[int, int], rot: str | None,
    length: int, blocks: int, leave: frozenset[int], t: int,
) -> bool:  # fmt: skip
    for i, req in enumerate(program.requirements):
        if rot in req.rotations and req.max is not None and counts[i] + length > req.max:
            return False
    # The minimums still missing must fit in the blocks left after this choice.
    left = sum(1 for u in range(t + length, blocks) if u not in leave)
    missing = sum(
        max(0, req.min - counts[i] - (length if rot in req.rotations else 0))
        for i, req in enumerate(program.requirements)
    )
    if missing > left:
        return False
    n = len(trial)
    for first, second in program.forbidden_sequences:
        if any(trial[u] == first and trial[u + 1] == second for u in range(max(0, t - 1), n - 1)):
            return False
    for rule in program.max_consecutive:
        run = 0
        for u in range(n):
            run = run + 1 if trial[u] in rule.rotations else 0
            if run > rule.blocks:
                return False
    for prec in program.precedences:
        seen = False
        for u in range(n):
            if trial[u] in prec.after and not seen:
                return False
            seen = seen or trial[u] in prec.before
    return True


def generate_instance(size: str, seed: int = 1, **shape: Any) -> Instance:
    """A feasible instance of the named size; the same (size, seed) always gives the same one.

    ``shape`` overrides fields of the size (``Size``): residents, hospitals, blocks, capacity,
    ... (``python -m tandem.residency.scheduling generate --help``). Every instance is feasible
    by construction whatever its shape: the limits are drawn around a planted schedule.
    """
    base = SIZES[size]
    spec = replace(base, **shape) if shape else base
    _check_shape(spec)
    name = f"{size}-{seed}" if not shape else f"{size}-{seed}-{shape_label(shape)}"
    rng = random.Random(f"{size}-{seed}" if not shape else name)
    sites = tuple(f"H{i + 1}" for i in range(spec.hospitals))
    catalog = spec.catalog + EXTRA_CATALOG[: spec.extra_rotations]
    rotation_ids = [f"{s}-{r}" for s in sites for r in catalog]
    lengths = dict(DURATION)
    if spec.duration is not None:
        lengths = {"CARD": spec.duration, "ONC": spec.duration}
        if spec.duration > 2:
            lengths["NEURO"] = spec.duration - 1
    duration = {f"{s}-{r}": d for s in sites for r, d in lengths.items() if r in catalog}

    def partners_of(i: int) -> list[str]:
        # A ring: each hospital exchanges with its neighbours, as partner pairs usually do.
        if spec.hospitals == 1:
            return []
        return sorted({sites[(i + 1) % spec.hospitals], sites[(i - 1) % spec.hospitals]})

    programs: list[Program] = []
    for i, site in enumerate(sites):
        for template in spec.template_names:
            for year in spec.years if template != "RESEARCH" else (1,):
                programs.append(
                    _program(
                        template, year, site, catalog, partners_of(i), spec.blocks,
                        EXTRA_CATALOG[: spec.extra_rotations],
                    )
                )  # fmt: skip
    stub_rotations = tuple(
        Rotation(r, r.split("-")[0], (0,) * spec.blocks, (None,) * spec.blocks, duration.get(r, 1))
        for r in rotation_ids
    )
    stub = Instance("stub", spec.blocks, sites, stub_rotations, tuple(programs), ())

    residents: list[Resident] = []
    rows: dict[str, list[str | None]] = {}
    per_site = spec.residents // spec.hospitals
    for site in sites:
        site_programs = [p for p in programs if p.id.startswith(f"{site}-")]
        weights: list[float] = [1 if "RESEARCH" in p.id else 5 for p in site_programs]
        if spec.idle_share is not None:
            idle = [p for p in site_programs if p.may_idle]
            busy = len(site_programs) - len(idle)
            weights = [
                (spec.idle_share / len(idle)) if p.may_idle else (1 - spec.idle_share) / busy
                for p in site_programs
            ]
        for n in range(per_site):
            rid = f"{site}-R{n + 1:03d}"
            program = rng.choices(site_programs, weights)[0]
            leave_count = rng.choices((0, 1, 2), LEAVE[spec.leave])[0]
            leave = frozenset(rng.sample(range(spec.blocks), leave_count))
            probe = Resident(rid, program.id, site, leave)
            row = _plant_row(program, leave, spec.blocks, duration, rng, probe, stub)
            rows[rid] = row
            fixed = {}
            if rng.random() < spec.pins:
                worked = [t for t, r in enumerate(row) if r is not None]
                if worked:
                    t = rng.choice(worked)
                    fixed[t] = row[t]
            allowed = sorted(program.allowed_rotations)
            preferences = []
            for _ in range(rng.randint(2, 4)):
                rot = rng.choice(allowed)
                if rot in duration:
                    preferences.append(Preference(rot, rng.randint(2, 6), per_stint=True))
                elif spec.stint_share and rng.random() < spec.stint_share:
                    preferences.append(Preference(rot, rng.randint(1, 4), per_stint=True))
                elif rot.endswith("NIGHT"):
                    blocks = tuple(sorted(rng.sample(range(spec.blocks), 3)))
                    preferences.append(Preference(rot, -rng.randint(1, 3), blocks=blocks))
                else:
                    preferences.append(Preference(rot, rng.randint(1, 4)))
            residents.append(
                Resident(
                    rid,
                    program.id,
                    site,
                    leave,
                    {t: r for t, r in fixed.items() if r is not None},
                    tuple(preferences),
                    site_change_points=-rng.randint(1, spec.site_change)
                    if spec.hospitals > 1 and spec.site_change
                    else 0,
                    gap_points=-spec.gap if program.may_idle else 0,
                )
            )

    counts = {(r, t): 0 for r in rotation_ids for t in range(spec.blocks)}
    for row in rows.values():
        for t, cell in enumerate(row):
            if cell is not None:
                counts[cell, t] += 1
    rotations = []
    for rot in rotation_ids:
        role = rot.split("-", 1)[1]
        planted = [counts[rot, t] for t in range(spec.blocks)]
        # Hospitals state one staffing range per service, not a different one every block; the
        # range is drawn around the planted plan so that the plan stays feasible.
        staffed = role in HEAVY or role.startswith("WARD")  # services that must be staffed
        if spec.capacity == "tight":  # no seat to spare, and every service has its minimum
            low, high = [min(planted)] * spec.blocks, [max(planted)] * spec.blocks
        elif spec.capacity == "loose":
            low = [max(0, min(planted) - 1) if staffed else 0] * spec.blocks
            high = [max(planted) + 3] * spec.blocks
        elif staffed:
            low = [min(planted)] * spec.blocks
            high = [max(planted) + 1] * spec.blocks
        else:
            low = [0] * spec.blocks
            high = [max(planted)] * spec.blocks
        rotations.append(
            Rotation(rot, rot.split("-")[0], tuple(low), tuple(high), duration.get(rot, 1))
        )
    exchange = []
    for a in sites:
        for b in sites:
            if a == b:
                continue
            visits = [
                len(
                    [
                        res
                        for res in residents
                        if res.site == a
                        and (cell := rows[res.id][t]) is not None
                        and cell.startswith(f"{b}-")
                    ]
                )
                for t in range(spec.blocks)
            ]
            if any(visits):
                exchange.append(Exchange(a, b, max(visits) + spec.exchange_slack))
    return Instance(
        name=name,
        blocks=spec.blocks,
        sites=sites,
        rotations=tuple(rotations),
        programs=tuple(programs),
        residents=tuple(residents),
        exchange=tuple(exchange),
        fairness_weight=spec.fairness,
    )


def shape_label(shape: dict[str, Any]) -> str:
    """A short, stable name for a shape: ``capacity=tight,residents=400``."""
    return ",".join(f"{key}={shape[key]}" for key in sorted(shape))


def _check_shape(spec: Size) -> None:
    """ValueError naming the parameter when a shape is outside what the generator can plant."""
    limits = (
        ("residents", spec.residents >= spec.hospitals, "at least one per hospital"),
        ("hospitals", 1 <= spec.hospitals <= 12, "1 to 12"),
        ("blocks", 13 <= spec.blocks <= 52, "13 to 52"),
        ("extra_rotations", 0 <= spec.extra_rotations <= len(EXTRA_CATALOG), "0 to 10"),
        ("capacity", spec.capacity in CAPACITIES, " or ".join(CAPACITIES)),
        ("duration", spec.duration is None or 1 <= spec.duration <= 4, "1 to 4"),
        ("idle_share", spec.idle_share is None or 0 < spec.idle_share < 1, "between 0 and 1"),
        ("stint_share", 0 <= spec.stint_share <= 1, "0 to 1"),
        ("site_change", spec.site_change >= 0, "0 or more"),
        ("gap", spec.gap >= 0, "0 or more"),
        ("fairness", spec.fairness >= 0, "0 or more"),
        ("programs", spec.programs in PROGRAMS, " or ".join(PROGRAMS)),
        ("leave", spec.leave in LEAVE, " or ".join(LEAVE)),
        ("pins", 0 <= spec.pins <= 1, "0 to 1"),
        ("exchange_slack", spec.exchange_slack >= 0, "0 or more"),
    )  # fmt: skip
    for name, ok, expected in limits:
        if not ok:
            raise ValueError(f"{name}: expected {expected}, got {getattr(spec, name)!r}")
    if spec.idle_share is not None and "RESEARCH" not in spec.template_names:
        raise ValueError("idle_share: this size has no program whose residents may idle")
