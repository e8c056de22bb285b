"""Turn an instance and a solution into what the pages show: the grid, the load per department
and block, each resident's requirement checklist, and (for proposals solved before conflicts were
kept as findings, see ``rule_text``) the solver's English conflicts with links.

Blocks are 0-based in the instance and numbered from 1 wherever people read them."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tandem.residency import instancing, rule_text
from tandem.residency.instancing import Rows
from tandem.residency.scheduling import Instance


def colour(pk: int) -> str:
    return f"hsl({(pk * 67) % 360} 70% 85%)"


@dataclass
class Cell:
    key: str | None
    label: str
    colour: str
    pinned: bool = False
    changed: bool = False
    leave: bool = False
    name: str = ""  # the department's name, for the cell's tooltip


@dataclass
class BlockColumn:
    index: int  # as in the instance (and the pin form's value)
    number: int  # as people count: from 1
    start: datetime.date | None = None
    end: datetime.date | None = None


class BlockLoad(int):
    """Residents on a department in one block, shown against the places the schedule had
    there ("2/3"): the instance's `max` for that block, which carries the department's
    capacity in that block (its own numbers or a per-block override) less places other
    published schedules took. An int, so that sums and the Excel export keep the count."""

    capacity: int | None

    def __new__(cls, count: int, capacity: int | None) -> "BlockLoad":
        value = super().__new__(cls, count)
        value.capacity = capacity
        return value

    def __str__(self) -> str:
        return f"{int(self)}" if self.capacity is None else f"{int(self)}/{self.capacity}"


def _at(values: list[int | None], t: int) -> int | None:
    return values[t] if t < len(values) else None


@dataclass
class Row:
    key: str
    member: Any
    cells: list[Cell]
    checklist: list[tuple[str, int, int, int | None, bool]] = field(default_factory=list)


def build_grid(
    instance: Instance,
    rows_data: Rows,
    departments: dict,
    members: dict,
    visible: set[str] | None = None,
    previous: Rows | None = None,
    pins: dict | None = None,
    calendar_blocks: Iterable[Any] = (),
) -> dict[str, Any]:
    """`calendar_blocks`: the calendar's Block rows, to give each column its dates."""
    prior = previous or {}
    pins = pins or {}
    rows: list[Row] = []
    blocks = instance.blocks
    load: dict[str, list[int]] = {key: [0] * blocks for key in departments}
    for res in instance.residents:
        key = res.id
        row = rows_data.get(key)
        for t, cell in enumerate(row or ()):
            if cell is not None and cell in load:
                load[cell][t] += 1
        if visible is not None and key not in visible:
            continue
        cells = []
        for t in range(blocks):
            cell = row[t] if row else None
            dept = departments.get(cell) if cell else None
            cells.append(
                Cell(
                    key=cell,
                    label=(dept.code if dept else ""),
                    colour=colour(dept.pk) if dept else "transparent",
                    pinned=str(t) in pins.get(key, {}),
                    changed=bool(prior) and key in prior and prior[key][t] != cell,
                    leave=t in res.leave,
                    name=str(dept) if dept else "",
                )
            )
        checklist = []
        program = instance.programs_by_id.get(res.program)
        for req in program.requirements if program else ():
            count = sum(1 for c in (row or ()) if c in req.rotations)
            names = " / ".join(str(departments[r]) for r in req.rotations if r in departments)
            ok = count >= req.min and (req.max is None or count <= req.max)
            checklist.append((names, count, req.min, req.max, ok))
        rows.append(Row(key, members.get(key), cells, checklist))
    capacity = {r.id: list(r.max_per_block) for r in instance.rotations}
    load_rows = [
        (
            departments[key],
            [BlockLoad(v, _at(capacity.get(key, []), t)) for t, v in enumerate(values)],
        )
        for key, values in load.items()
        if visible is None or any(values)
    ]
    dated = {b.index: b for b in calendar_blocks}
    columns = [
        BlockColumn(
            t,
            t + 1,
            getattr(dated.get(t), "start_date", None),
            getattr(dated.get(t), "end_date", None),
        )
        for t in range(blocks)
    ]
    return {"rows": rows, "blocks": columns, "load": load_rows, "legend": legend(departments, rows)}


@dataclass(frozen=True)
class ChangeRow:
    """One changed cell as people read it: who, which block (from 1), from what to what."""

    key: str
    resident: str
    block: int
    before_key: str | None
    before: str
    after_key: str | None
    after: str


def change_rows(changes: Iterable[Any], departments: dict, members: dict) -> list[ChangeRow]:
    """`services_schedule.CellChange`s with the names of residents and departments."""

    def dept(key: str | None) -> str:
        if key is None:
            return str(_("no rotation"))
        return str(departments[key]) if key in departments else key

    return [
        ChangeRow(
            c.resident,
            str(members[c.resident].resident) if c.resident in members else c.resident,
            c.block + 1,
            c.before,
            dept(c.before),
            c.after,
            dept(c.after),
        )
        for c in changes
    ]


def legend(departments: dict, rows: Iterable[Row]) -> list[tuple[str, str, str]]:
    """(code, name, colour) of every department shown in the rows, in the order of names."""
    shown = {cell.key for row in rows for cell in row.cells if cell.key}
    return sorted(
        ((d.code, str(d), colour(d.pk)) for key, d in departments.items() if key in shown),
        key=lambda item: item[1],
    )


def conflicts_html(
    conflicts: list[str], departments: dict, members: dict, programs: dict | None = None
) -> list[SafeString]:
    """The solver's sentences with ids replaced by names that link to the rule's page."""
    names = rule_text.Names(
        departments=departments, members=members, programs=programs or {}, html=True
    )

    def name(match: re.Match[str]) -> str:
        return rule_text.linked_name(match.group(0), names)

    result = []
    for text in conflicts:
        parts: list[str] = []
        last = 0
        for match in instancing.ID_IN_TEXT.finditer(text):
            parts.append(escape(text[last : match.start()]))
            parts.append(name(match))
            last = match.end()
        parts.append(escape(text[last:]))
        result.append(mark_safe("".join(parts)))  # noqa: S308 - every piece escaped above
    return result
