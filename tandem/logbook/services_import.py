"""Importing a catalogue from Excel (.xlsx) or CSV: every row checked first, every error listed
with its row number, and nothing saved unless all rows are good. The file limits (size,
unpacked size, rows) are those of the people import (`tandem.accounts.importing.read_table`).

Columns (English or Chinese headers): code/编码, kind/类别, name/名称, name_zh/中文名称, and
optionally department/科室 (a department code of the hospital; empty: the whole training),
role/角色 and minimum/最低例数. A code may appear on several rows to give several minimums.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.importing import ImportRejected, RowError, cell_text, read_table
from tandem.accounts.models import User
from tandem.logbook import permissions, services
from tandem.logbook.models import Catalogue, EntryRole, ItemKind
from tandem.residency.models import Department

__all__ = ["ImportRejected", "ImportResult", "catalogue_import"]

HEADERS = {
    "code": "code",
    "编码": "code",
    "kind": "kind",
    "类别": "kind",
    "name": "name",
    "名称": "name",
    "name_zh": "name_zh",
    "中文名称": "name_zh",
    "department": "department",
    "科室": "department",
    "role": "role",
    "角色": "role",
    "minimum": "minimum",
    "最低例数": "minimum",
}
KINDS = {
    "disease": ItemKind.DISEASE,
    "病种": ItemKind.DISEASE,
    "procedure": ItemKind.PROCEDURE,
    "操作": ItemKind.PROCEDURE,
    "技能操作": ItemKind.PROCEDURE,
    "operation": ItemKind.OPERATION,
    "手术": ItemKind.OPERATION,
}
ROLES = {
    "observed": EntryRole.OBSERVED,
    "观察": EntryRole.OBSERVED,
    "assisted": EntryRole.ASSISTED,
    "助手": EntryRole.ASSISTED,
    "参与": EntryRole.ASSISTED,
    "performed": EntryRole.PERFORMED,
    "主持": EntryRole.PERFORMED,
    "完成": EntryRole.PERFORMED,
}


@dataclass
class ImportResult:
    items: int
    minimums: int


@dataclass
class _Row:
    number: int
    code: str
    kind: str
    name: str
    name_zh: str
    department: Department | None
    role: int | None
    minimum: int | None


def _parse(table: list[list[Any]], catalogue: Catalogue) -> list[_Row]:
    errors: list[RowError] = []
    columns: dict[str, int] = {}
    for index, header in enumerate(table[0] if table else []):
        key = HEADERS.get(cell_text(header).lower())
        if key and key not in columns:
            columns[key] = index
    for required in ("code", "kind", "name"):
        if required not in columns:
            errors.append(RowError(1, required, _("This column is missing.")))
    if errors:
        raise ImportRejected(errors)
    departments: dict[str, list[Department]] = {}
    for found_department in Department.objects.filter(
        base__institution_id=catalogue.institution_id
    ):
        departments.setdefault(found_department.code.lower(), []).append(found_department)
    rows: list[_Row] = []
    seen: dict[tuple[str, Any, Any], int] = {}
    names: dict[str, tuple[str, str]] = {}

    def cell(cells: list[Any], key: str) -> str:
        index = columns.get(key)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in enumerate(table[1:], start=2):
        if not any(cell_text(c) for c in cells):
            continue
        code, name, name_zh = cell(cells, "code"), cell(cells, "name"), cell(cells, "name_zh")
        kind = KINDS.get(cell(cells, "kind").lower())
        row_errors: list[RowError] = []
        if not code or len(code) > 32:
            row_errors.append(RowError(number, "code", _("Give a code of at most 32 characters.")))
        if not name or len(name) > 200:
            row_errors.append(RowError(number, "name", _("Give a name of at most 200 characters.")))
        if kind is None:
            row_errors.append(RowError(number, "kind", _("Write disease, procedure or operation.")))
        if code and code in names and names[code] != (name, name_zh):
            row_errors.append(
                RowError(number, "name", _("The same code has another name on an earlier row."))
            )
        department: Department | None = None
        role: int | None = None
        minimum: int | None = None
        department_code = cell(cells, "department")
        role_text, minimum_text = cell(cells, "role"), cell(cells, "minimum")
        if department_code:
            found = departments.get(department_code.lower(), [])
            if len(found) != 1:
                row_errors.append(
                    RowError(
                        number,
                        "department",
                        _("No single department of the hospital has the code %(code)s.")
                        % {"code": department_code},
                    )
                )
            else:
                department = found[0]
        if role_text or minimum_text or department_code:
            role = ROLES.get(role_text.lower())
            if role is None:
                row_errors.append(
                    RowError(number, "role", _("Write observed, assisted or performed."))
                )
            try:
                minimum = int(float(minimum_text))
            except ValueError:
                minimum = None
            if minimum is None or not 1 <= minimum <= 1000:
                row_errors.append(
                    RowError(number, "minimum", _("A minimum is a whole number from 1 to 1000."))
                )
            minimum_key = (code, department.pk if department else None, role)
            if minimum_key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "minimum",
                        _("Row %(row)s already gives this minimum.") % {"row": seen[minimum_key]},
                    )
                )
            seen[minimum_key] = number
        errors.extend(row_errors)
        if not row_errors and kind is not None:
            names[code] = (name, name_zh)
            rows.append(_Row(number, code, kind, name, name_zh, department, role, minimum))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(None, _("file"), _("The file has no rows to import."))])
    return rows


@transaction.atomic
def catalogue_import(*, actor: User, catalogue: Catalogue, file: Any) -> ImportResult:
    """Add or update the items and minimums of the file's rows (items and minimums not in the
    file stay as they are)."""
    if not permissions.can_manage_catalogue(actor, catalogue):
        raise PermissionDenied(_("Only the hospital's training office keeps its catalogues."))
    rows = _parse(read_table(file), catalogue)
    items = {}
    minimums = 0
    for row in rows:
        if row.code not in items:
            items[row.code] = services.item_save(
                actor=actor,
                catalogue=catalogue,
                code=row.code,
                name=row.name,
                name_zh=row.name_zh,
                kind=row.kind,
            )
        if row.role is not None and row.minimum is not None:
            services.minimum_set(
                actor=actor,
                item=items[row.code],
                department=row.department,
                role=row.role,
                count=row.minimum,
            )
            minimums += 1
    return ImportResult(items=len(items), minimums=minimums)
