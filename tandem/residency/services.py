"""Every write about the set-up of residency training: departments of training bases, block
calendars, programs and their requirements, cohorts and exchange quotas.

Schedules (proposals, publishing and changes after publishing) are in `schedule_services.py`.
"""

import calendar as pycalendar
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Role, TraineeKind, User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution, Unit
from tandem.residency import instancing, permissions
from tandem.residency.models import (
    Block,
    BlockCalendar,
    CalendarKind,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    Program,
    Requirement,
)
from tandem.residency.scheduling import InstanceError, parse_instance

DEPARTMENT_FIELDS = ("name", "name_zh", "code", "min_per_block", "max_per_block", "duration",
                     "is_active")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)


@transaction.atomic
def department_create(*, actor: User, base: Unit, name: str, code: str, name_zh: str = "",
                      min_per_block: int = 0, max_per_block: int = 4, duration: int = 1,
                      teachers: list[User] | None = None) -> Department:
    _require(permissions.can_edit_base(actor, base),
             _("Only the training office or the base's director can add departments to it."))
    department = Department(base=base, name=(name or "").strip(), name_zh=name_zh, code=code,
                            min_per_block=min_per_block, max_per_block=max_per_block,
                            duration=duration)
    _check_capacity(min_per_block, max_per_block)
    _clean(department)
    department.save()
    department.teachers.set(teachers or [])
    audit_record(actor=actor, action="department.create", target=department,
                 changes=diff({}, snapshot(department, DEPARTMENT_FIELDS)))
    return department


def _check_capacity(low: int | None, high: int | None) -> None:
    if low is not None and high is not None and low > high:
        raise field_error("max_per_block", _("The most must be at least the least."))


@transaction.atomic
def department_update(*, actor: User, department: Department, **values: Any) -> Department:
    _require(permissions.can_edit_department(actor, department),
             _("Only the training office or the base's director can edit this department."))
    teachers = values.pop("teachers", None)
    unknown = sorted(set(values) - set(DEPARTMENT_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be changed."))
    before = snapshot(department, DEPARTMENT_FIELDS)
    for field, value in values.items():
        setattr(department, field, value)
    _check_capacity(department.min_per_block, department.max_per_block)
    _clean(department)
    department.save()
    if teachers is not None:
        department.teachers.set(teachers)
    audit_record(actor=actor, action="department.update", target=department,
                 changes=diff(before, snapshot(department, DEPARTMENT_FIELDS)))
    return department


def block_dates(kind: str, start: datetime.date, count: int) -> list[tuple[datetime.date,
                                                                          datetime.date]]:
    """(first day, last day) of each block."""
    if kind == CalendarKind.FOUR_WEEKS:
        return [
            (start + datetime.timedelta(days=28 * i),
             start + datetime.timedelta(days=28 * i + 27))
            for i in range(count)
        ]
    result = []
    year, month = start.year, start.month
    for _index in range(count):
        last = pycalendar.monthrange(year, month)[1]
        result.append((datetime.date(year, month, 1), datetime.date(year, month, last)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


@transaction.atomic
def calendar_create(*, actor: User, name: str, training_year: int, kind: str,
                    start_date: datetime.date, block_count: int,
                    institution: Institution | None = None) -> BlockCalendar:
    if institution is None:
        _require(tenancy.is_consortium_admin(actor) or permissions.can_manage_any(actor),
                 _("Only training offices create block calendars."))
    else:
        _require(permissions.can_manage_institution(actor, institution.pk),
                 _("Only the hospital's training office creates its block calendars."))
    cal = BlockCalendar(institution=institution, name=(name or "").strip(),
                        training_year=training_year, kind=kind, start_date=start_date,
                        block_count=block_count)
    _clean(cal)
    if kind == CalendarKind.MONTHS and start_date.day != 1:
        raise field_error("start_date", _("Calendar months start on the first day of a month."))
    cal.save()
    for index, (first, last) in enumerate(block_dates(kind, start_date, block_count)):
        Block.objects.create(calendar=cal, index=index, start_date=first, end_date=last)
    audit_record(actor=actor, action="calendar.create", target=cal,
                 changes={"blocks": [None, block_count], "kind": [None, kind]})
    return cal


def validate_program_rules(program: Program, rules: dict[str, Any]) -> None:
    """Check the sequence rules in the instance format by parsing a one-program instance."""
    if not isinstance(rules, dict):
        raise field_error("rules", _("The rules must be a JSON object."))
    allowed = {"precedences", "forbidden_sequences", "max_consecutive", "min_stint"}
    unknown = sorted(set(rules) - allowed)
    if unknown:
        raise field_error("rules", _("Unknown rule: %(name)s.") % {"name": unknown[0]})
    requirements = list(program.requirements.prefetch_related("departments")) if program.pk else []
    departments = {d.pk for r in requirements for d in r.departments.all()}
    ids = [instancing.department_key(pk) for pk in sorted(departments)]
    if not ids:
        if any(rules.values()):
            raise field_error("rules", _("Add requirements before sequence rules."))
        return
    data = {
        "format": "tandem-rotation-instance/1", "name": "check", "blocks": 1, "sites": ["S"],
        "rotations": [{"id": i, "site": "S"} for i in ids],
        "programs": [{"id": "P", "requirements": [{"rotations": ids}], **rules}],
        "residents": [],
    }
    try:
        parse_instance(data)
    except InstanceError as exc:
        raise field_error("rules", str(exc)) from None


PROGRAM_FIELDS = ("code", "name", "specialty", "training_year", "may_idle", "rules")


@transaction.atomic
def program_create(*, actor: User, institution: Institution, code: str, name: str,
                   specialty: str, training_year: int = 1, may_idle: bool = False) -> Program:
    _require(permissions.can_manage_institution(actor, institution.pk),
             _("Only the hospital's training office manages its programs."))
    program = Program(institution=institution, code=code, name=(name or "").strip(),
                      specialty=specialty, training_year=training_year, may_idle=may_idle)
    _clean(program)
    program.save()
    audit_record(actor=actor, action="program.create", target=program,
                 changes=diff({}, snapshot(program, PROGRAM_FIELDS)))
    return program


@transaction.atomic
def program_rules_update(*, actor: User, program: Program, rules: dict[str, Any],
                         may_idle: bool | None = None) -> Program:
    _require(permissions.can_manage_institution(actor, program.institution_id),
             _("Only the hospital's training office manages its programs."))
    before = snapshot(program, PROGRAM_FIELDS)
    validate_program_rules(program, rules)
    program.rules = rules
    if may_idle is not None:
        program.may_idle = may_idle
    _clean(program)
    program.save()
    audit_record(actor=actor, action="program.update", target=program,
                 changes=diff(before, snapshot(program, PROGRAM_FIELDS)))
    return program


@transaction.atomic
def requirement_add(*, actor: User, program: Program, departments: list[Department],
                    min_blocks: int, max_blocks: int | None = None,
                    is_elective: bool = False) -> Requirement:
    _require(permissions.can_manage_institution(actor, program.institution_id),
             _("Only the hospital's training office manages its programs."))
    if not departments:
        raise field_error("departments", _("Choose at least one department."))
    if max_blocks is not None and max_blocks < min_blocks:
        raise field_error("max_blocks", _("The most must be at least the least."))
    reachable = {program.institution_id} | set(
        ExchangeQuota.objects.filter(
            from_institution_id=program.institution_id, agreement__status=AgreementStatus.ACTIVE
        ).values_list("to_institution_id", flat=True)
    )
    for dept in departments:
        if dept.base.institution_id not in reachable:
            raise field_error("departments", _(
                "%(name)s is at a hospital without an exchange quota for this program's "
                "residents.") % {"name": dept})
    requirement = Requirement(program=program, min_blocks=min_blocks, max_blocks=max_blocks,
                              is_elective=is_elective)
    _clean(requirement)
    requirement.save()
    requirement.departments.set(departments)
    audit_record(actor=actor, action="program.requirement_add", target=program, changes={
        "requirement": [None, f"{', '.join(str(d) for d in departments)}: "
                              f"{min_blocks}–{max_blocks if max_blocks is not None else '∞'}"]})
    return requirement


@transaction.atomic
def cohort_create(*, actor: User, institution: Institution, calendar: BlockCalendar,
                  name: str) -> Cohort:
    _require(permissions.can_manage_institution(actor, institution.pk),
             _("Only the hospital's training office creates its cohorts."))
    if calendar.institution_id not in (None, institution.pk):
        raise field_error("calendar", _("Use a calendar of this hospital or of the consortium."))
    cohort = Cohort(institution=institution, calendar=calendar, name=(name or "").strip())
    _clean(cohort)
    cohort.save()
    audit_record(actor=actor, action="cohort.create", target=cohort,
                 changes={"name": [None, cohort.name], "calendar": [None, str(calendar)]})
    return cohort


@transaction.atomic
def member_add(*, actor: User, cohort: Cohort, resident: User, program: Program,
               leave_blocks: list[int] | None = None,
               preferences: list[dict[str, int]] | None = None) -> CohortMember:
    _require(permissions.can_manage_cohort(actor, cohort),
             _("Only the hospital's training office manages its cohorts."))
    is_resident = (
        getattr(getattr(resident, "trainee_profile", None), "kind", None) == TraineeKind.RESIDENT
        and resident.memberships.filter(role=Role.TRAINEE, institution_id=cohort.institution_id,
                                        is_active=True).exists()
    )
    if not is_resident:
        raise field_error("resident", _("Choose a resident of this hospital."))
    if program.institution_id != cohort.institution_id:
        raise field_error("program", _("Choose a program of this hospital."))
    leave = sorted({int(b) for b in leave_blocks or []})
    if any(b < 0 or b >= cohort.calendar.block_count for b in leave):
        raise field_error("leave_blocks", _("A leave block is outside the calendar."))
    member = CohortMember(cohort=cohort, resident=resident, program=program, leave_blocks=leave,
                          preferences=preferences or [])
    try:
        _clean(member)
    except ValidationError as exc:
        if "__all__" in exc.message_dict:
            raise field_error("resident", _("This resident is already in the cohort.")) from None
        raise
    member.save()
    audit_record(actor=actor, action="cohort.member_add", target=cohort,
                 changes={"member": [None, f"{resident} ({program})"]})
    return member


@transaction.atomic
def quota_set(*, actor: User, agreement: Agreement, from_institution: Institution,
              to_institution: Institution, max_per_block: int) -> ExchangeQuota:
    parties = set(agreement.parties.values_list("institution_id", flat=True))
    _require(permissions.can_manage_institution(actor, from_institution.pk)
             or permissions.can_manage_institution(actor, to_institution.pk),
             _("Only a party's training office sets exchange quotas."))
    if agreement.status != AgreementStatus.ACTIVE:
        raise field_error("agreement", _("Exchange quotas need an agreement in force."))
    for field, inst in (("from_institution", from_institution),
                        ("to_institution", to_institution)):
        if inst.pk not in parties:
            raise field_error(field, _("This hospital is not a party to the agreement."))
    if from_institution.pk == to_institution.pk:
        raise field_error("to_institution", _("Choose two different hospitals."))
    quota = ExchangeQuota.objects.filter(
        agreement=agreement, from_institution=from_institution, to_institution=to_institution
    ).first() or ExchangeQuota(agreement=agreement, from_institution=from_institution,
                               to_institution=to_institution, max_per_block=0)
    before = quota.max_per_block if quota.pk else None
    quota.max_per_block = max_per_block
    _clean(quota, exclude=["agreement", "from_institution", "to_institution"])
    quota.save()
    audit_record(actor=actor, action="exchange_quota.set", target=agreement,
                 changes={f"{from_institution} → {to_institution}": [before, max_per_block]})
    return quota
