"""Importing a joint record exported by another Tandem installation (`tandem-joint-record/1`).

Two passes: first every value is checked and every problem is reported under its JSON path
(`plan.versions[1].courses[0].credits`); only a record without problems is written, in one
transaction, so nothing is half-imported. Institutions, people and the agreement are matched by
their natural keys and created when missing.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from tandem.accounts.models import TraineeKind, User
from tandem.agreements.models import AgreementForm, AgreementStatus
from tandem.core.audit import audit_record
from tandem.cultivation.models import (
    CultivationStatus,
    DecisionKind,
    JointCultivation,
    StayMode,
    TutorRole,
)
from tandem.institutions.models import Institution, InstitutionKind, Region
from tandem.plans import permissions
from tandem.plans.models import (
    CourseKind,
    MilestoneKind,
    MilestoneStatus,
    ReasonKind,
    ReviewOutcome,
    VersionStatus,
)
from tandem.plans.record import FORMAT
from tandem.plans.record_write import write_record

OPEN = ("proposed", "approved", "active", "suspended")


class _Check:
    """Reads values out of the JSON, recording a message per bad path."""

    def __init__(self, people: set[str], institutions: set[str]) -> None:
        self.errors: dict[str, list[str]] = {}
        self.people = people
        self.institutions = institutions

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def obj(self, data: Any, path: str) -> dict:
        if not isinstance(data, dict):
            self.fail(path, _("Expected an object."))
            return {}
        return data

    def items(self, data: dict, key: str, path: str) -> list[tuple[str, dict]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(path, _("Expected a list."))
            return []
        return [(f"{path}[{i}]", self.obj(item, f"{path}[{i}]")) for i, item in enumerate(value)]

    def text(
        self, data: dict, key: str, path: str, *, required: bool = False, max_length: int = 10000
    ) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("Expected text."))
            return ""
        if required and not value.strip():
            self.fail(f"{path}.{key}", _("This field is required."))
        if len(value) > max_length:
            self.fail(f"{path}.{key}", _("At most %(n)s characters.") % {"n": max_length})
        return value

    def choice(self, data: dict, key: str, path: str, choices: Any, *, blank: bool = False) -> str:
        value = data.get(key, "")
        if blank and value in ("", None):
            return ""
        if value not in choices:
            self.fail(f"{path}.{key}", _("Unknown value %(value)r.") % {"value": value})
        return str(value)

    def integer(self, data: dict, key: str, path: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 32767:
            self.fail(f"{path}.{key}", _("Expected a whole number."))
            return 0
        return value

    def date(self, data: dict, key: str, path: str, *, null: bool = False) -> Any:
        value = data.get(key)
        if value is None and null:
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.fail(f"{path}.{key}", _("Expected a date (YYYY-MM-DD)."))
        return parsed

    def when(self, data: dict, key: str, path: str, *, null: bool = False) -> Any:
        value = data.get(key)
        if value is None and null:
            return None
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail(f"{path}.{key}", _("Expected a date and time with a time zone."))
            return None
        return parsed

    def decimal(self, data: dict, key: str, path: str) -> Decimal:
        try:
            value = Decimal(str(data.get(key)))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.fail(f"{path}.{key}", _("Expected a number."))
            return Decimal("0")
        return value

    def person(self, data: dict, key: str, path: str, *, null: bool = False) -> str | None:
        value = data.get(key)
        if value is None and null:
            return None
        if value not in self.people:
            self.fail(f"{path}.{key}", _("Not listed under people."))
        return value

    def inst(self, data: dict, key: str, path: str, *, null: bool = False) -> str | None:
        value = data.get(key)
        if value is None and null:
            return None
        if value not in self.institutions:
            self.fail(f"{path}.{key}", _("Not listed under institutions."))
        return value


def _check_refs(data: dict, check: _Check) -> None:
    seen: set[str] = set()
    for path, row in check.items(data, "institutions", "institutions"):
        code = check.text(row, "code", path, required=True, max_length=32)
        check.text(row, "name", path, required=True, max_length=200)
        check.text(row, "name_zh", path, max_length=200)
        check.choice(row, "kind", path, InstitutionKind.values)
        check.choice(row, "region", path, Region.values)
        if code in seen:
            check.fail(f"{path}.code", _("Listed twice."))
        seen.add(code)
        existing = Institution.objects.filter(name=row.get("name")).exclude(code=code).first()
        if existing is not None:
            check.fail(
                f"{path}.name",
                _("Another institution here already has this name (code %(code)s).")
                % {"code": existing.code},
            )
    seen = set()
    for path, row in check.items(data, "people", "people"):
        username = check.text(row, "username", path, required=True, max_length=150)
        email = check.text(row, "email", path, max_length=254)
        check.text(row, "full_name", path, max_length=150)
        if username in seen:
            check.fail(f"{path}.username", _("Listed twice."))
        seen.add(username)
        if email and User.objects.filter(email__iexact=email).exclude(username=username).exists():
            check.fail(f"{path}.email", _("This e-mail belongs to another person here."))


def _check_body(data: dict, check: _Check) -> None:
    agreement = check.obj(data.get("agreement"), "agreement")
    check.text(agreement, "title", "agreement", required=True, max_length=200)
    check.integer(agreement, "version", "agreement")
    check.choice(agreement, "form", "agreement", AgreementForm.values)
    check.choice(agreement, "status", "agreement", AgreementStatus.values)
    start = check.date(agreement, "start_date", "agreement")
    end = check.date(agreement, "end_date", "agreement")
    if start and end and end <= start:
        check.fail("agreement.end_date", _("The end must come after the start."))
    check.when(agreement, "activated_at", "agreement", null=True)
    check.when(agreement, "ended_at", "agreement", null=True)
    check.person(agreement, "created_by", "agreement")
    for path, row in check.items(agreement, "parties", "agreement.parties"):
        check.inst(row, "institution", path)
        check.decimal(row, "funding_share", path)

    c = check.obj(data.get("cultivation"), "cultivation")
    check.person(c, "trainee", "cultivation")
    check.person(c, "proposed_by", "cultivation")
    profile = c.get("trainee_profile")
    if profile is not None:
        profile = check.obj(profile, "cultivation.trainee_profile")
        check.choice(profile, "kind", "cultivation.trainee_profile", TraineeKind.values)
        check.integer(profile, "cohort", "cultivation.trainee_profile")
    home = check.inst(c, "home", "cultivation")
    host = check.inst(c, "host", "cultivation")
    if home and home == host:
        check.fail("cultivation.host", _("The host must differ from the home institution."))
    status = check.choice(c, "status", "cultivation", CultivationStatus.values)
    check.choice(c, "stay_mode", "cultivation", StayMode.values)
    check.integer(c, "quota_year", "cultivation")
    start = check.date(c, "planned_start", "cultivation")
    end = check.date(c, "planned_end", "cultivation")
    if start and end and end <= start:
        check.fail("cultivation.planned_end", _("The end must come after the start."))
    check.when(c, "created_at", "cultivation")
    if (
        status in OPEN
        and JointCultivation.objects.filter(
            trainee__username=c.get("trainee"), status__in=OPEN
        ).exists()
    ):
        check.fail(
            "cultivation.status", _("This trainee already has an open joint cultivation here.")
        )
    for path, row in check.items(data, "stays", "stays"):
        check.inst(row, "institution", path)
        s, e = check.date(row, "start", path), check.date(row, "end", path)
        if s and e and e <= s:
            check.fail(f"{path}.end", _("The end must come after the start."))
    for path, row in check.items(data, "decisions", "decisions"):
        check.choice(row, "kind", path, DecisionKind.values)
        check.inst(row, "institution", path, null=True)
        check.person(row, "decided_by", path)
        check.when(row, "decided_at", path)
        check.choice(row, "from_status", path, CultivationStatus.values, blank=True)
        check.choice(row, "to_status", path, CultivationStatus.values, blank=True)
    current_roles: list[str] = []
    for path, row in check.items(data, "tutor_assignments", "tutor_assignments"):
        check.person(row, "tutor", path)
        role = check.choice(row, "role", path, TutorRole.values)
        check.inst(row, "institution", path)
        check.integer(row, "quota_year", path)
        check.when(row, "started_at", path)
        if check.when(row, "ended_at", path, null=True) is None and row.get("ended_at") is None:
            if role in current_roles:
                check.fail(f"{path}.role", _("Two current tutors in the same role."))
            current_roles.append(role)
    assignments = {
        (a.get("tutor"), a.get("role"), a.get("started_at"))
        for a in data.get("tutor_assignments") or []
        if isinstance(a, dict)
    }
    for path, row in check.items(data, "responsibilities", "responsibilities"):
        check.integer(row, "position", path)
        check.choice(row, "role", path, TutorRole.values)
        if not row.get("key") and not row.get("title"):
            check.fail(f"{path}.title", _("Give a standard key or a wording."))
    for path, row in check.items(data, "responsibility_signatures", "responsibility_signatures"):
        check.person(row, "tutor", path)
        check.when(row, "signed_at", path)
        if (row.get("tutor"), row.get("role"), row.get("assignment_started_at")) not in assignments:
            check.fail(f"{path}.assignment_started_at", _("No such tutor assignment."))
    if data.get("plan") is not None:
        _check_plan(check.obj(data["plan"], "plan"), check)


def _check_plan(plan: dict, check: _Check) -> None:
    check.person(plan, "created_by", "plan")
    check.when(plan, "created_at", "plan")
    keys: set[str] = set()
    for path, row in check.items(plan, "milestones", "plan.milestones"):
        key = check.text(row, "key", path, required=True, max_length=40)
        if key in keys:
            check.fail(f"{path}.key", _("Listed twice."))
        keys.add(key)
        check.choice(row, "kind", path, MilestoneKind.values)
        check.choice(row, "status", path, MilestoneStatus.values)
        check.date(row, "earliest", path, null=True)
        check.date(row, "latest", path, null=True)
        for spath, sub in check.items(row, "submissions", f"{path}.submissions"):
            check.integer(sub, "number", spath)
            check.person(sub, "submitted_by", spath)
            check.when(sub, "submitted_at", spath)
            check.choice(sub, "outcome", spath, ReviewOutcome.values, blank=True)
            check.person(sub, "reviewed_by", spath, null=True)
            check.when(sub, "reviewed_at", spath, null=True)
            for epath, ev in check.items(sub, "evidence", f"{spath}.evidence"):
                check.text(ev, "name", epath, required=True, max_length=200)
                check.text(ev, "sha256", epath, required=True, max_length=64)
    numbers = []
    for path, row in check.items(plan, "versions", "plan.versions"):
        numbers.append(check.integer(row, "number", path))
        check.choice(row, "status", path, VersionStatus.values)
        check.choice(row, "reason_kind", path, ReasonKind.values)
        check.person(row, "created_by", path)
        check.when(row, "created_at", path)
        check.when(row, "signed_at", path, null=True)
        note = row.get("confidential_note")
        if note is not None:
            note = check.obj(note, f"{path}.confidential_note")
            check.text(note, "text", f"{path}.confidential_note", required=True)
            check.person(note, "created_by", f"{path}.confidential_note")
            check.when(note, "created_at", f"{path}.confidential_note")
        for spath, sig in check.items(row, "signatures", f"{path}.signatures"):
            check.person(sig, "tutor", spath)
            check.choice(sig, "role", spath, TutorRole.values)
            check.when(sig, "signed_at", spath)
        for cpath, course in check.items(row, "courses", f"{path}.courses"):
            check.text(course, "title", cpath, required=True, max_length=200)
            check.decimal(course, "credits", cpath)
            check.choice(course, "kind", cpath, CourseKind.values)
            check.inst(course, "institution", cpath)
        for wpath, window in check.items(row, "milestone_windows", f"{path}.milestone_windows"):
            if window.get("milestone") not in keys:
                check.fail(f"{wpath}.milestone", _("Not listed under plan.milestones."))
            e, lt = check.date(window, "earliest", wpath), check.date(window, "latest", wpath)
            if e and lt and e > lt:
                check.fail(f"{wpath}.latest", _("The latest date cannot be before the earliest."))
    if numbers != list(range(1, len(numbers) + 1)):
        check.fail("plan.versions", _("Versions must be numbered 1, 2, 3 … in order."))
    current = plan.get("current_version")
    if current is not None and current not in numbers:
        check.fail("plan.current_version", _("No such version."))


def joint_record_validate(data: Any) -> None:
    """Raise a ValidationError naming every bad JSON path; return quietly if all is well."""
    if not isinstance(data, dict):
        raise ValidationError({"$": [_("Expected a JSON object.")]})
    if data.get("format") != FORMAT:
        raise ValidationError({"format": [_("Expected %(format)s.") % {"format": FORMAT}]})
    people = {p.get("username") for p in data.get("people") or [] if isinstance(p, dict)}
    insts = {i.get("code") for i in data.get("institutions") or [] if isinstance(i, dict)}
    check = _Check(people, insts)  # type: ignore[arg-type]
    record_id = check.text(data, "id", "$", required=True, max_length=64)
    if record_id and JointCultivation.objects.filter(external_id=record_id).exists():
        check.fail("id", _("This joint record has already been imported."))
    _check_refs(data, check)
    _check_body(data, check)
    if check.errors:
        raise ValidationError({k.removeprefix("$."): v for k, v in check.errors.items()})


def _save(obj: Any, path: str) -> Any:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {f"{path}.{field}": msgs for field, msgs in exc.message_dict.items()}
        ) from None
    obj.save()
    return obj


@transaction.atomic
def joint_record_import(*, actor: User, data: Any) -> JointCultivation:
    """A consortium admin imports a joint record: all of it or nothing."""
    if not permissions.can_import_record(actor):
        raise PermissionDenied(_("Only consortium admins import joint records."))
    joint_record_validate(data)

    cultivation = write_record(data, _save)
    audit_record(
        actor=actor,
        action="joint_record.import",
        target=cultivation,
        changes={"record": [None, data["id"]]},
    )
    return cultivation
