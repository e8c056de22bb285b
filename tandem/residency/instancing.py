"""The boundary between the database and the solver library: no database here.

Selectors turn rows into these dataclasses; `build_instance` turns them into the JSON the solver
library parses. Ids: departments are ``D<pk>``, residents ``R<cohort member pk>``, programs
``P<pk>``, sites the institutions' codes. This is the one module that writes and reads those
ids (``department_key`` / ``department_pk`` and their kin).

A stored proposal or schedule keeps the instance and solution as the JSON of the formats;
``stored_instance`` and ``stored_rows`` read them back as the library's typed records, and
``checked`` runs the library's checker once over a schedule and keeps what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tandem.residency.scheduling import CheckReport, Instance, check_rows, parse_instance

Rows = dict[str, tuple[str | None, ...]]

# A department, resident or program id inside a sentence of the solver's.
ID_IN_TEXT = re.compile(r"\b([DRP])(\d+)\b")


def department_key(pk: int) -> str:
    return f"D{pk}"


def member_key(pk: int) -> str:
    return f"R{pk}"


def program_key(pk: int) -> str:
    return f"P{pk}"


def _pk(key: str, prefix: str) -> int | None:
    digits = key[len(prefix) :] if key.startswith(prefix) else ""
    return int(digits) if digits.isdigit() and digits.isascii() else None


def department_pk(key: str) -> int | None:
    """The department of a rotation id (``D12`` -> 12); None for anything else."""
    return _pk(key, "D")


def member_pk(key: str) -> int | None:
    """The cohort member of a resident id (``R34`` -> 34); None for anything else."""
    return _pk(key, "R")


def department_pks(keys: Iterable[str]) -> list[int]:
    """The departments of the rotation ids among ``keys`` (other ids are left out)."""
    return [pk for pk in map(department_pk, keys) if pk is not None]


def member_pks(keys: Iterable[str]) -> list[int]:
    """The cohort members of the resident ids among ``keys`` (other ids are left out)."""
    return [pk for pk in map(member_pk, keys) if pk is not None]


def stored_instance(data: Mapping[str, Any]) -> Instance:
    """A stored instance (the JSON a proposal keeps) as the library's ``Instance``."""
    return parse_instance(dict(data))


def stored_rows(solution: Mapping[str, Any] | None) -> Rows:
    """The assignments of a stored solution by resident id; empty without a schedule."""
    raw = (solution or {}).get("assignments") or {}
    return {key: tuple(row) for key, row in raw.items()}


def rows_to_json(rows: Mapping[str, Sequence[str | None]]) -> dict[str, list[str | None]]:
    return {key: list(row) for key, row in rows.items()}


@dataclass(frozen=True)
class Checked:
    """A schedule with what the library's checker found in it (run once, see ``checked``)."""

    instance: Instance
    rows: Rows
    report: CheckReport

    @property
    def ok(self) -> bool:
        return self.report.ok


def checked(instance: Instance, rows: Mapping[str, Sequence[str | None]]) -> Checked:
    """Run the checker over ``rows``: every broken rule and the recomputed objective."""
    frozen = {key: tuple(row) for key, row in rows.items()}
    return Checked(instance, frozen, check_rows(instance, frozen))


def with_leave(instance: Instance, resident: str, block: int) -> Instance:
    """``instance`` with ``resident`` on leave in ``block`` as well."""
    residents = tuple(
        replace(res, leave=res.leave | {block}) if res.id == resident else res
        for res in instance.residents
    )
    return replace(instance, residents=residents)


def partner_sites(instance: Instance, rows: Rows, home: str) -> set[str]:
    """The sites other than ``home`` that a schedule sends residents to."""
    return {
        site
        for row in rows.values()
        for cell in row
        if (site := instance.site_of(cell)) is not None and site != home
    }


def rows_at_sites(instance: Instance, rows: Rows, sites: set[str]) -> set[str]:
    """The residents a schedule places at one of ``sites`` in some block."""
    return {key for key, row in rows.items() if any(instance.site_of(c) in sites for c in row)}


@dataclass(frozen=True)
class DepartmentData:
    pk: int
    site: str
    min_per_block: int
    max_per_block: int
    duration: int = 1


@dataclass(frozen=True)
class RequirementData:
    department_pks: tuple[int, ...]
    min_blocks: int
    max_blocks: int | None


@dataclass(frozen=True)
class ProgramData:
    pk: int
    may_idle: bool
    requirements: tuple[RequirementData, ...]
    rules: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberData:
    pk: int
    program_pk: int
    site: str
    leave: tuple[int, ...] = ()
    preferences: tuple[tuple[int, int], ...] = ()  # (department pk, points)


@dataclass(frozen=True)
class QuotaData:
    from_site: str
    to_site: str
    max_per_block: int


def build_instance(
    *,
    name: str,
    blocks: int,
    home_site: str,
    departments: Sequence[DepartmentData],
    programs: Sequence[ProgramData],
    members: Sequence[MemberData],
    quotas: Sequence[QuotaData] = (),
    external_load: Mapping[tuple[int, int], int] | None = None,
    pins: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The instance JSON for one cohort.

    Departments of the home hospital keep their minimum staffing; at partner hospitals the
    partner's own residents cover the minimum, so visitors only fill free places. Places already
    taken by other published schedules on the same calendar (`external_load`) are subtracted.
    Residents may go to a partner hospital only under an exchange quota (none means 0).
    """
    load = external_load or {}
    used = {pk for p in programs for r in p.requirements for pk in r.department_pks}
    rotations = []
    sites = {home_site} | {m.site for m in members}
    for dept in sorted(departments, key=lambda d: d.pk):
        if dept.pk not in used:
            continue
        sites.add(dept.site)
        mins, maxes = [], []
        for t in range(blocks):
            taken = load.get((dept.pk, t), 0)
            low = dept.min_per_block if dept.site == home_site else 0
            mins.append(max(0, low - taken))
            maxes.append(max(0, dept.max_per_block - taken))
        item: dict[str, Any] = {
            "id": department_key(dept.pk),
            "site": dept.site,
            "min": mins[0] if len(set(mins)) == 1 else mins,
            "max": maxes[0] if len(set(maxes)) == 1 else maxes,
        }
        if dept.duration != 1:
            item["duration"] = dept.duration
        rotations.append(item)
    program_items = []
    for program in sorted(programs, key=lambda p: p.pk):
        requirements = []
        for req in program.requirements:
            item = {
                "rotations": [department_key(pk) for pk in req.department_pks],
                "min": req.min_blocks,
            }
            if req.max_blocks is not None:
                item["max"] = req.max_blocks
            requirements.append(item)
        program_items.append(
            {
                "id": program_key(program.pk),
                "requirements": requirements,
                **dict(program.rules.items()),
                "may_idle": program.may_idle,
            }
        )
    pins = pins or {}
    residents = []
    for member in sorted(members, key=lambda m: m.pk):
        key = member_key(member.pk)
        residents.append(
            {
                "id": key,
                "program": program_key(member.program_pk),
                "site": member.site,
                "leave": sorted(set(member.leave)),
                "fixed": dict(sorted(pins.get(key, {}).items(), key=lambda kv: int(kv[0]))),
                "preferences": [
                    {"rotation": department_key(dept), "points": points}
                    for dept, points in member.preferences
                ],
            }
        )
    quota_by_pair = {(q.from_site, q.to_site): q.max_per_block for q in quotas}
    exchange = []
    for site in sorted(sites):
        for origin in sorted({m.site for m in members}):
            if site != origin:
                exchange.append(
                    {
                        "from": origin,
                        "to": site,
                        "max_per_block": quota_by_pair.get((origin, site), 0),
                    }
                )
    return {
        "format": "tandem-rotation-instance/1",
        "name": name,
        "blocks": blocks,
        "sites": sorted(sites),
        "rotations": rotations,
        "programs": program_items,
        "residents": residents,
        "exchange": exchange,
        "objective": {"fairness_weight": 0},
    }
