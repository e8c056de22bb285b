"""Reading and checking a people import file (.xlsx or .csv): every row, every error, or none.

The service `people_import` calls `parse_and_validate` and writes only when it returns; this
module never writes. Row numbers are the spreadsheet's own (the header is row 1).
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import (
    MAX_ANNUAL_QUOTA,
    Membership,
    Role,
    StudentNumber,
    SupervisorQualification,
    TraineeKind,
    User,
)
from tandem.institutions.models import Institution, Unit

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# A small .xlsx can unpack to gigabytes or hold a million empty rows: the unpacked size is
# checked before parsing, and reading stops at the row limit (blank rows count, within reason).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 100

# (key, Chinese header, required). The English header is the key itself.
COLUMNS: list[tuple[str, str, bool]] = [
    ("full_name", "姓名", True),
    ("email", "邮箱", True),
    ("role", "角色", True),
    ("unit", "单位", False),
    ("trainee_kind", "学员类型", False),
    ("cohort", "年级", False),
    ("student_number", "学号", False),
    ("title", "职称", False),
    ("qualification", "导师资格", False),
    ("research_areas", "研究方向", False),
    ("annual_quota", "年度名额", False),
]
HEADER_ALIASES = {"电子邮箱": "email", "电子邮件": "email", "e-mail": "email", "name": "full_name"}
CHOICE_ALIASES = {
    "硕导": SupervisorQualification.MASTER,
    "博导": SupervisorQualification.DOCTORAL,
    "学硕": TraineeKind.ACADEMIC_MASTER,
    "专硕": TraineeKind.PROFESSIONAL_MASTER,
    "博士": TraineeKind.DOCTORAL,
    "住培": TraineeKind.RESIDENT,
    "规培": TraineeKind.RESIDENT,
    "教师": Role.TEACHER,
    "协调员": Role.COORDINATOR,
}
TUTOR_COLUMNS = ("title", "qualification", "research_areas", "annual_quota")


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(ValidationError):
    """The file has bad rows; `row_errors` lists every one. Nothing was saved."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = row_errors
        messages: dict[str, list[str]] = {}
        for e in row_errors:
            key = _("row %(row)s, %(column)s") % {"row": e.row or "—", "column": e.column}
            messages.setdefault(key, []).append(e.message)
        super().__init__(messages)


@dataclass
class ImportRow:
    row: int
    full_name: str
    email: str
    role: str
    unit: Unit | None = None
    trainee_kind: str = ""
    cohort: int | None = None
    student_number: str = ""
    title: str = ""
    qualification: str = SupervisorQualification.MASTER
    research_areas: str = ""
    annual_quota: int = 3
    has_tutor_fields: bool = False


@dataclass
class ImportSummary:
    invited: list[str] = field(default_factory=list)
    roles_added: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.invited) + len(self.roles_added)


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).lower().replace(" ", "_") if value is not None else ""


def header_label(key: str, chinese: bool | None = None) -> str:
    """The column header in the current language (English: the key; Chinese: 姓名, …)."""
    if chinese is None:
        chinese = (translation.get_language() or "").startswith("zh")
    if chinese:
        return next(zh for k, zh, _req in COLUMNS if k == key)
    return key


def _header_lookup() -> dict[str, str]:
    lookup = {key: key for key, _zh, _r in COLUMNS}
    lookup.update({zh: key for key, zh, _r in COLUMNS})
    lookup.update(HEADER_ALIASES)
    return {_norm(k): v for k, v in lookup.items()}


def _choice_lookup(choices: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        if value in exclude:
            continue
        lookup[_norm(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[_norm(str(label))] = value
    for alias, value in CHOICE_ALIASES.items():
        if value in dict(choices.choices) and value not in exclude:
            lookup[_norm(alias)] = value
    return lookup


def cell_text(value: Any) -> str:
    """A cell as text: Excel gives 2025.0 for 2025 and numbers for student numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(None, _("file"), _("The file is not UTF-8 or GBK text."))])


def _too_many_rows() -> ImportRejected:
    return ImportRejected(
        [RowError(None, _("file"), _("At most %(n)s rows at a time.") % {"n": MAX_ROWS})]
    )


def _bounded(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The rows, header first, read no further than the row limit: a file over it is refused
    as soon as that is known, not after reading all of it."""
    table: list[list[Any]] = []
    filled = 0
    for scanned, row in enumerate(rows, start=1):
        cells = list(row[:MAX_COLUMNS])
        if any(cell_text(c) for c in cells):
            filled += 1
        if filled > MAX_ROWS + 1 or scanned > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        table.append(cells)
    return table


def _unreadable_workbook() -> ImportRejected:
    return ImportRejected(
        [RowError(None, _("file"), _("The file is not a readable .xlsx workbook."))]
    )


def _check_unpacked_size(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable_workbook() from None
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                RowError(
                    None,
                    _("file"),
                    _("The workbook unpacks to more than %(mb)s MB; split it into smaller files.")
                    % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)},
                )
            ]
        )


def read_table(file: Any) -> list[list[Any]]:
    """The rows of the first sheet (or the CSV), header first, within the limits."""
    name = (getattr(file, "name", "") or "").lower()
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRejected([RowError(None, _("file"), _("The file is larger than 5 MB."))])
    if name.endswith(".xlsx") or data[:2] == b"PK":
        import openpyxl

        _check_unpacked_size(data)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 — any unreadable workbook gets the same answer
            raise _unreadable_workbook() from None
        try:
            sheet = workbook.worksheets[0]
            return _bounded(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
        except ImportRejected:
            raise
        except Exception:  # noqa: BLE001 — a sheet that breaks halfway is as unreadable
            raise _unreadable_workbook() from None
        finally:
            workbook.close()
    if name.endswith(".csv") or name.endswith(".txt"):
        text = _decode_csv(data)
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return _bounded(csv.reader(io.StringIO(text), dialect))
        except csv.Error:
            raise ImportRejected(
                [RowError(None, _("file"), _("The file is not readable as CSV."))]
            ) from None
    raise ImportRejected([RowError(None, _("file"), _("Upload an .xlsx or a .csv file."))])


def parse_and_validate(
    file: Any, institution: Institution, on_row: Callable[[int, int], None] | None = None
) -> list[ImportRow]:
    """Every row checked; raises ImportRejected listing all errors, or returns the rows.
    `on_row(done, total)` is told after each row (a background import shows it as progress)."""
    table = read_table(file)
    if not table or not any(cell_text(c) for c in table[0]):
        raise ImportRejected([RowError(1, "", _("The first row must hold the column headers."))])
    lookup = _header_lookup()
    columns: dict[str, tuple[int, str]] = {}  # key -> (index, header as written)
    for index, header in enumerate(table[0]):
        key = lookup.get(_norm(header))
        if key and key not in columns:
            columns[key] = (index, cell_text(header))
    # Name missing columns the way the file names the others.
    zh_headers = {zh for _k, zh, _r in COLUMNS}
    chinese = any(header in zh_headers for _i, header in columns.values())
    errors = [
        RowError(1, header_label(key, chinese), _("This column is missing."))
        for key, _zh, required in COLUMNS
        if required and key not in columns
    ]
    if errors:
        raise ImportRejected(errors)
    body = [(n, row) for n, row in enumerate(table[1:], start=2) if any(cell_text(c) for c in row)]
    if not body:
        raise ImportRejected([RowError(2, "", _("The file has no rows to import."))])
    if len(body) > MAX_ROWS:
        raise ImportRejected(
            [RowError(None, _("file"), _("At most %(n)s rows at a time.") % {"n": MAX_ROWS})]
        )
    checker = _RowChecker(institution, columns, body, chinese)
    rows = []
    for done, (n, row) in enumerate(body, start=1):
        rows.append(checker.check(n, row))
        if on_row is not None:
            on_row(done, len(body))
    if checker.errors:
        raise ImportRejected(checker.errors)
    return [row for row in rows if row is not None]


class _RowChecker:
    def __init__(
        self,
        institution: Institution,
        columns: dict[str, tuple[int, str]],
        body: list,
        chinese: bool,
    ) -> None:
        self.chinese = chinese
        self.institution = institution
        self.columns = columns
        self.errors: list[RowError] = []
        self.roles = _choice_lookup(Role, exclude=(Role.CONSORTIUM_ADMIN,))
        self.kinds = _choice_lookup(TraineeKind)
        self.qualifications = _choice_lookup(SupervisorQualification)
        self.units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(institution=institution):
            self.units[_norm(unit.name)] = unit
            if unit.name_zh:
                self.units[_norm(unit.name_zh)] = unit
        emails = {self._get(row, "email").lower() for _n, row in body}
        self.existing_users = {
            u.email_lower: u
            for u in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }
        self.existing_roles = set(
            Membership.objects.filter(
                user__in=self.existing_users.values(), institution=institution, is_active=True
            ).values_list("user__email", "role", "unit_id")
        )
        numbers = {self._get(row, "student_number") for _n, row in body} - {""}
        self.taken_numbers = dict(
            StudentNumber.objects.filter(institution=institution, number__in=numbers)
            .annotate(email_lower=Lower("trainee__user__email"))
            .values_list("number", "email_lower")
        )
        self.seen_emails: dict[str, int] = {}
        self.seen_numbers: dict[str, int] = {}

    def _get(self, row: list, key: str) -> str:
        if key not in self.columns:
            return ""
        index = self.columns[key][0]
        return cell_text(row[index]) if index < len(row) else ""

    def _error(self, n: int, key: str, message: str) -> None:
        header = self.columns[key][1] if key in self.columns else header_label(key, self.chinese)
        self.errors.append(RowError(n, header, message))

    def _int(self, n: int, row: list, key: str, low: int, high: int, message: str) -> int | None:
        raw = self._get(row, key)
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self._error(n, key, message)
            return None
        return value

    def check(self, n: int, row: list) -> ImportRow | None:
        before = len(self.errors)
        full_name, email = self._get(row, "full_name"), self._get(row, "email").lower()
        if not full_name:
            self._error(n, "full_name", _("Give the person's full name."))
        if not email:
            self._error(n, "email", _("Give an e-mail address."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                self._error(
                    n, "email", _("“%(value)s” is not an e-mail address.") % {"value": email}
                )
            if email in self.seen_emails:
                self._error(
                    n,
                    "email",
                    _("The same e-mail address is on row %(row)s.")
                    % {"row": self.seen_emails[email]},
                )
            else:
                self.seen_emails[email] = n
        raw_role = self._get(row, "role")
        role = self.roles.get(_norm(raw_role), "")
        if not role:
            self._error(
                n,
                "role",
                _("“%(value)s” is not a role; use one of: %(choices)s.")
                % {
                    "value": raw_role,
                    "choices": ", ".join(
                        str(label)
                        for value, label in Role.choices
                        if value != Role.CONSORTIUM_ADMIN
                    ),
                },
            )
        unit = None
        unit_name = self._get(row, "unit")
        if unit_name:
            unit = self.units.get(_norm(unit_name))
            if unit is None:
                self._error(
                    n,
                    "unit",
                    _("%(institution)s has no unit called “%(value)s”.")
                    % {"institution": self.institution, "value": unit_name},
                )
        existing = self.existing_users.get(email)
        if (
            existing
            and role
            and (existing.email, role, unit.pk if unit else None) in (self.existing_roles)
        ):
            self._error(n, "role", _("This person already holds this role here."))
        result = ImportRow(row=n, full_name=full_name, email=email, role=role, unit=unit)
        if role == Role.TRAINEE:
            self._check_trainee(n, row, email, result)
        if role in (Role.TUTOR, Role.TEACHER):
            self._check_tutor(n, row, result)
        return result if len(self.errors) == before else None

    def _check_trainee(self, n: int, row: list, email: str, result: ImportRow) -> None:
        raw_kind = self._get(row, "trainee_kind")
        result.trainee_kind = self.kinds.get(_norm(raw_kind), "")
        if not result.trainee_kind:
            self._error(
                n,
                "trainee_kind",
                _("Give the trainee kind: %(choices)s.")
                % {"choices": ", ".join(str(label) for _v, label in TraineeKind.choices)},
            )
        result.cohort = self._int(
            n, row, "cohort", 1950, 2100, _("Give the cohort as a year, e.g. 2025.")
        )
        number = self._get(row, "student_number")
        result.student_number = number
        if number:
            owner = self.taken_numbers.get(number)
            if owner is not None and owner != email:
                self._error(
                    n,
                    "student_number",
                    _("The student number %(number)s is already used at this institution.")
                    % {"number": number},
                )
            if number in self.seen_numbers:
                self._error(
                    n,
                    "student_number",
                    _("The same student number is on row %(row)s.")
                    % {"row": self.seen_numbers[number]},
                )
            else:
                self.seen_numbers[number] = n

    def _check_tutor(self, n: int, row: list, result: ImportRow) -> None:
        result.has_tutor_fields = result.role == Role.TUTOR or any(
            self._get(row, key) for key in TUTOR_COLUMNS
        )
        result.title = self._get(row, "title")
        result.research_areas = self._get(row, "research_areas")
        raw_qualification = self._get(row, "qualification")
        if raw_qualification:
            qualification = self.qualifications.get(_norm(raw_qualification), "")
            if not qualification:
                self._error(
                    n,
                    "qualification",
                    _("Give the qualification: %(choices)s.")
                    % {
                        "choices": ", ".join(
                            str(label) for _v, label in SupervisorQualification.choices
                        )
                    },
                )
            result.qualification = qualification
        if self._get(row, "annual_quota"):
            quota = self._int(
                n,
                row,
                "annual_quota",
                0,
                MAX_ANNUAL_QUOTA,
                _("The annual quota is a whole number from 0 to %(max)s.")
                % {"max": MAX_ANNUAL_QUOTA},
            )
            result.annual_quota = quota if quota is not None else 0


def template_workbook() -> bytes:
    """An empty import file with the headers in the current language, and the allowed values."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(gettext_lazy("People"))[:31]
    sheet.append([header_label(key) for key, _zh, _r in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 18
    values = workbook.create_sheet(str(gettext_lazy("Allowed values"))[:31])
    values.append(
        [header_label("role"), header_label("trainee_kind"), header_label("qualification")]
    )
    roles = [str(label) for value, label in Role.choices if value != Role.CONSORTIUM_ADMIN]
    kinds = [str(label) for _v, label in TraineeKind.choices]
    qualifications = [str(label) for _v, label in SupervisorQualification.choices]
    for i in range(max(len(roles), len(kinds), len(qualifications))):
        values.append(
            [
                roles[i] if i < len(roles) else None,
                kinds[i] if i < len(kinds) else None,
                qualifications[i] if i < len(qualifications) else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
