"""Importing a milestone set's subcompetencies and EPAs from Excel (.xlsx) or CSV, and the
export in the same columns (an exported file imports again as it is).

Every row is checked first, every error listed with its row and column, and nothing is saved
unless all rows are good. The file limits (size, unpacked size, rows) are those of the people
import (`tandem.accounts.importing.read_table`).

Columns (English or Chinese headers): type/类型 (subcompetency/亚能力 or epa), code/编码,
domain/领域 (subcompetencies only), name/名称, name_zh/中文名称, and for a subcompetency
level_1 … level_5 and level_1_zh … level_5_zh (水平1 … 水平5, 水平1中文 … 水平5中文).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.importing import ImportRejected, RowError, cell_text, read_table
from tandem.accounts.models import User
from tandem.core.spreadsheets import workbook
from tandem.milestones import permissions, selectors, services
from tandem.milestones.models import LEVELS, Domain, MilestoneSet

__all__ = ["ImportRejected", "ImportResult", "set_export", "set_import"]

HEADERS = {
    "type": "type",
    "类型": "type",
    "code": "code",
    "编码": "code",
    "domain": "domain",
    "领域": "domain",
    "name": "name",
    "名称": "name",
    "name_zh": "name_zh",
    "中文名称": "name_zh",
}
for _level in LEVELS:
    HEADERS[f"level_{_level}"] = f"level_{_level}"
    HEADERS[f"水平{_level}"] = f"level_{_level}"
    HEADERS[f"level_{_level}_zh"] = f"level_{_level}_zh"
    HEADERS[f"水平{_level}中文"] = f"level_{_level}_zh"
TYPES = {"subcompetency": "sub", "亚能力": "sub", "epa": "epa"}
DOMAINS = {value: value for value in Domain.values}
DOMAINS.update({str(label).lower(): value for value, label in Domain.choices})
DOMAINS.update(
    {
        "患者诊疗": Domain.PATIENT_CARE,
        "医学知识": Domain.MEDICAL_KNOWLEDGE,
        "基于系统的实践": Domain.SYSTEMS,
        "基于实践的学习与改进": Domain.LEARNING,
        "职业素养": Domain.PROFESSIONALISM,
        "人际沟通": Domain.COMMUNICATION,
    }
)
EXPORT_COLUMNS = [
    "type",
    "code",
    "domain",
    "name",
    "name_zh",
    *[f"level_{n}" for n in LEVELS],
    *[f"level_{n}_zh" for n in LEVELS],
]


@dataclass
class ImportResult:
    subcompetencies: int
    epas: int


@dataclass
class _Row:
    number: int
    kind: str
    code: str
    domain: str
    name: str
    name_zh: str
    levels: dict[int, tuple[str, str]]


def _parse(table: list[list[Any]]) -> list[_Row]:
    errors: list[RowError] = []
    columns: dict[str, int] = {}
    for index, header in enumerate(table[0] if table else []):
        key = HEADERS.get(cell_text(header).lower())
        if key and key not in columns:
            columns[key] = index
    for required in ("type", "code", "name"):
        if required not in columns:
            errors.append(RowError(1, required, _("This column is missing.")))
    if errors:
        raise ImportRejected(errors)

    def cell(cells: list[Any], key: str) -> str:
        index = columns.get(key)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell_text(c) for c in cells):
            continue
        row_errors: list[RowError] = []
        kind = TYPES.get(cell(cells, "type").lower())
        code, name, name_zh = cell(cells, "code"), cell(cells, "name"), cell(cells, "name_zh")
        if kind is None:
            row_errors.append(RowError(number, "type", _("Write subcompetency or epa.")))
        if not code or len(code) > 16:
            row_errors.append(RowError(number, "code", _("Give a code of at most 16 characters.")))
        if not name or len(name) > 200:
            row_errors.append(RowError(number, "name", _("Give a name of at most 200 characters.")))
        if len(name_zh) > 200:
            row_errors.append(
                RowError(number, "name_zh", _("Give a name of at most 200 characters."))
            )
        if kind and code:
            if (kind, code) in seen:
                row_errors.append(
                    RowError(
                        number,
                        "code",
                        _("Row %(row)s already has this code.") % {"row": seen[(kind, code)]},
                    )
                )
            seen[(kind, code)] = number
        domain = ""
        levels: dict[int, tuple[str, str]] = {}
        if kind == "sub":
            domain = DOMAINS.get(cell(cells, "domain").lower(), "")
            if not domain:
                row_errors.append(
                    RowError(
                        number,
                        "domain",
                        _("Write one of the competency domains: %(domains)s.")
                        % {"domains": ", ".join(Domain.values)},
                    )
                )
            for level in LEVELS:
                text = cell(cells, f"level_{level}")
                if not text:
                    row_errors.append(RowError(number, f"level_{level}", _("Describe this level.")))
                levels[level] = (text, cell(cells, f"level_{level}_zh"))
        errors.extend(row_errors)
        if not row_errors and kind:
            rows.append(_Row(number, kind, code, domain, name, name_zh, levels))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(None, _("file"), _("The file has no rows to import."))])
    return rows


@transaction.atomic
def set_import(*, actor: User, milestone_set: MilestoneSet, file: Any) -> ImportResult:
    """Add or update the subcompetencies and EPAs of the file's rows (all or nothing)."""
    if milestone_set.is_builtin or not permissions.can_manage_set(actor, milestone_set):
        raise PermissionDenied(_("Only the hospital's training office keeps its milestone sets."))
    rows = _parse(read_table(file))
    subs = epas = 0
    for position, row in enumerate(rows):
        if row.kind == "sub":
            services.subcompetency_save(
                actor=actor,
                milestone_set=milestone_set,
                code=row.code,
                domain=row.domain,
                name=row.name,
                name_zh=row.name_zh,
                levels=row.levels,
                position=position,
            )
            subs += 1
        else:
            services.epa_save(
                actor=actor,
                milestone_set=milestone_set,
                code=row.code,
                name=row.name,
                name_zh=row.name_zh,
                position=position,
            )
            epas += 1
    return ImportResult(subcompetencies=subs, epas=epas)


def set_rows(milestone_set: MilestoneSet) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for sub in selectors.subcompetencies_of(milestone_set):
        levels = {level.level: level for level in sub.levels.all()}
        rows.append(
            [
                "subcompetency",
                sub.code,
                sub.domain,
                sub.name,
                sub.name_zh,
                *[levels[n].description if n in levels else "" for n in LEVELS],
                *[levels[n].description_zh if n in levels else "" for n in LEVELS],
            ]
        )
    for epa in selectors.epas_of(milestone_set):
        rows.append(["epa", epa.code, "", epa.name, epa.name_zh, *[""] * (2 * len(LEVELS))])
    return rows


def set_export(milestone_set: MilestoneSet) -> bytes:
    """The set as an Excel workbook in the import's columns."""
    return workbook(str(milestone_set.version), EXPORT_COLUMNS, set_rows(milestone_set))
