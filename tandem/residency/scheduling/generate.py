"""Deterministic, feasible instances of four sizes for tests and benchmarks.

Feasibility is planted: every resident first gets a schedule that obeys their program's rules
(built block by block and checked), then the staffing limits and exchange quotas are derived
from those schedules with a little slack. Preferences are drawn independently, so the planted
schedule is a feasible start, not the answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tandem.residency.scheduling.check import resident_findings
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


@dataclass(frozen=True)
class Size:
    hospitals: int
    residents: int
    catalog: tuple[str, ...]
    templates: tuple[str, ...]
    blocks: int = 13


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
    template: str, year: int, site: str, catalog: tuple[str, ...], partners: list[str]
) -> Program:
    requirements = []
    for roles, low, high in _TEMPLATES[template]:
        present = [r for r in roles if r in catalog]
        if not present:
            continue
        if template != "RESEARCH" and roles == ("ICU",) and year == 2:
            low, high = low + 1, high + 1
        requirements.append(Requirement(tuple(f"{site}-{r}" for r in present), low, high))
    exchange_rotations = tuple(f"{p}-{r}" for p in partners for r in EXCHANGE_ROLES if r in catalog)
    if exchange_rotations:
        requirements.append(Requirement(exchange_rotations, 0, 2))
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


def generate_instance(size: str, seed: int = 1) -> Instance:
    """A feasible instance of the named size; the same (size, seed) always gives the same one."""
    spec = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    sites = tuple(f"H{i + 1}" for i in range(spec.hospitals))
    rotation_ids = [f"{s}-{r}" for s in sites for r in spec.catalog]
    duration = {f"{s}-{r}": d for s in sites for r, d in DURATION.items() if r in spec.catalog}

    def partners_of(i: int) -> list[str]:
        # A ring: each hospital exchanges with its neighbours, as partner pairs usually do.
        if spec.hospitals == 1:
            return []
        return sorted({sites[(i + 1) % spec.hospitals], sites[(i - 1) % spec.hospitals]})

    programs: list[Program] = []
    for i, site in enumerate(sites):
        for template in spec.templates:
            for year in (1, 2) if template != "RESEARCH" else (1,):
                programs.append(_program(template, year, site, spec.catalog, partners_of(i)))
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
        weights = [1 if "RESEARCH" in p.id else 5 for p in site_programs]
        for n in range(per_site):
            rid = f"{site}-R{n + 1:03d}"
            program = rng.choices(site_programs, weights)[0]
            leave_count = rng.choices((0, 1, 2), (6, 3, 1))[0]
            leave = frozenset(rng.sample(range(spec.blocks), leave_count))
            probe = Resident(rid, program.id, site, leave)
            row = _plant_row(program, leave, spec.blocks, duration, rng, probe, stub)
            rows[rid] = row
            fixed = {}
            if rng.random() < 0.15:
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
                    site_change_points=-rng.randint(1, 3) if spec.hospitals > 1 else 0,
                    gap_points=-1 if program.may_idle else 0,
                )
            )

    counts = {(r, t): 0 for r in rotation_ids for t in range(spec.blocks)}
    for row in rows.values():
        for t, rot in enumerate(row):
            if rot is not None:
                counts[rot, t] += 1
    rotations = []
    for rot in rotation_ids:
        role = rot.split("-", 1)[1]
        planted = [counts[rot, t] for t in range(spec.blocks)]
        # Hospitals state one staffing range per service, not a different one every block; the
        # range is drawn around the planted plan so that the plan stays feasible.
        if role in HEAVY or role.startswith("WARD"):
            low = [min(planted)] * spec.blocks  # services that must be staffed
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
                sum(
                    1
                    for res in residents
                    if res.site == a
                    and (rot := rows[res.id][t]) is not None
                    and rot.startswith(f"{b}-")
                )
                for t in range(spec.blocks)
            ]
            if any(visits):
                exchange.append(Exchange(a, b, max(visits)))
    return Instance(
        name=f"{size}-{seed}",
        blocks=spec.blocks,
        sites=sites,
        rotations=tuple(rotations),
        programs=tuple(programs),
        residents=tuple(residents),
        exchange=tuple(exchange),
        fairness_weight=3,
    )
