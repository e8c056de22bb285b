"""Every write about the set-up of residency training: departments of training bases, block
calendars, programs and their requirements, cohorts and exchange quotas.

Schedules (proposals, publishing and changes after publishing) are in `services_schedule.py`;
the checks these writes share are in `rules.py`.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution, Unit
from tandem.residency import capacity, permissions, rules, selectors
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
from tandem.residency.rules import UNCHANGED, Unchanged, block_dates, validate_program_rules

DEPARTMENT_FIELDS = (
    "name",
    "name_zh",
    "code",
    "min_per_block",
    "max_per_block",
    "duration",
    "is_active",
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


TEACHER_ROLES = selectors.TEACHER_ROLES


def _check_teachers(base: Unit, teachers: list[User]) -> None:
    """A department's teachers teach at its hospital: teachers, tutors or base directors there."""
    ids = {t.pk for t in teachers}
    qualified = set(
        selectors.teacher_list_of_institutions([base.institution_id])
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - qualified:
        raise field_error(
            "teachers", _("Choose teachers, tutors or base directors of this hospital.")
        )


@transaction.atomic
def department_create(
    *,
    actor: User,
    base: Unit,
    name: str,
    code: str,
    name_zh: str = "",
    min_per_block: int = 0,
    max_per_block: int = 4,
    duration: int = 1,
    teachers: list[User] | None = None,
) -> Department:
    _require(
        permissions.can_edit_base(actor, base),
        _("Only the training office or the base's director can add departments to it."),
    )
    department = Department(
        base=base,
        name=(name or "").strip(),
        name_zh=name_zh,
        code=code,
        min_per_block=min_per_block,
        max_per_block=max_per_block,
        duration=duration,
    )
    rules.check_capacity(min_per_block, max_per_block)
    department.full_clean()
    _check_teachers(base, teachers or [])
    department.save()
    department.teachers.set(teachers or [])
    audit_record(
        actor=actor,
        action="department.create",
        target=department,
        changes=diff({}, snapshot(department, DEPARTMENT_FIELDS)),
    )
    return department


@transaction.atomic
def department_update(*, actor: User, department: Department, **values: Any) -> Department:
    _require(
        permissions.can_edit_department(actor, department),
        _("Only the training office or the base's director can edit this department."),
    )
    teachers = values.pop("teachers", None)
    unknown = sorted(set(values) - set(DEPARTMENT_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be changed."))
    before = snapshot(department, DEPARTMENT_FIELDS)
    for field, value in values.items():
        setattr(department, field, value)
    rules.check_capacity(department.min_per_block, department.max_per_block)
    capacity.check_department_numbers(
        department, department.min_per_block, department.max_per_block
    )
    department.full_clean()
    if teachers is not None:
        _check_teachers(department.base, teachers)
    department.save()
    if teachers is not None:
        department.teachers.set(teachers)
    audit_record(
        actor=actor,
        action="department.update",
        target=department,
        changes=diff(before, snapshot(department, DEPARTMENT_FIELDS)),
    )
    return department


@transaction.atomic
def calendar_create(
    *,
    actor: User,
    name: str,
    training_year: int,
    kind: str,
    start_date: datetime.date,
    block_count: int,
    institution: Institution | None = None,
) -> BlockCalendar:
    if institution is None:
        _require(
            tenancy.is_consortium_admin(actor) or permissions.can_manage_any(actor),
            _("Only training offices create block calendars."),
        )
    else:
        _require(
            permissions.can_manage_institution(actor, institution.pk),
            _("Only the hospital's training office creates its block calendars."),
        )
    cal = BlockCalendar(
        institution=institution,
        name=(name or "").strip(),
        training_year=training_year,
        kind=kind,
        start_date=start_date,
        block_count=block_count,
    )
    cal.full_clean()
    if not 2000 <= start_date.year <= 2100:  # the blocks' dates must stay representable
        raise field_error("start_date", _("Choose a first day between 2000 and 2100."))
    if kind == CalendarKind.MONTHS and start_date.day != 1:
        raise field_error("start_date", _("Calendar months start on the first day of a month."))
    cal.save()
    for index, (first, last) in enumerate(block_dates(kind, start_date, block_count)):
        Block.objects.create(calendar=cal, index=index, start_date=first, end_date=last)
    audit_record(
        actor=actor,
        action="calendar.create",
        target=cal,
        changes={"blocks": [None, block_count], "kind": [None, kind]},
    )
    return cal


PROGRAM_FIELDS = ("code", "name", "specialty", "training_year", "may_idle", "rules")


@transaction.atomic
def program_create(
    *,
    actor: User,
    institution: Institution,
    code: str,
    name: str,
    specialty: str,
    training_year: int = 1,
    may_idle: bool = False,
) -> Program:
    _require(
        permissions.can_manage_institution(actor, institution.pk),
        _("Only the hospital's training office manages its programs."),
    )
    program = Program(
        institution=institution,
        code=code,
        name=(name or "").strip(),
        specialty=specialty,
        training_year=training_year,
        may_idle=may_idle,
    )
    rules.check_program(program)
    program.save()
    audit_record(
        actor=actor,
        action="program.create",
        target=program,
        changes=diff({}, snapshot(program, PROGRAM_FIELDS)),
    )
    return program


@transaction.atomic
def program_update(
    *,
    actor: User,
    program: Program,
    name: str | None = None,
    code: str | None = None,
    specialty: str | None = None,
    training_year: int | None = None,
    may_idle: bool | None = None,
) -> Program:
    """Change what is given (None leaves a field as it is); the code stays unique per
    hospital."""
    _require(
        permissions.can_edit_program(actor, program),
        _("Only the hospital's training office manages its programs."),
    )
    before = snapshot(program, PROGRAM_FIELDS)
    given = {
        "name": (name or "").strip() if name is not None else None,
        "code": code,
        "specialty": specialty,
        "training_year": training_year,
        "may_idle": may_idle,
    }
    rules.apply_or_restore(
        program,
        {k: v for k, v in given.items() if v is not None},
        lambda: rules.check_program(program),
    )
    program.save()
    changes = diff(before, snapshot(program, PROGRAM_FIELDS))
    if changes:
        audit_record(actor=actor, action="program.update", target=program, changes=changes)
    return program


@transaction.atomic
def program_rules_update(
    *, actor: User, program: Program, rules: dict[str, Any], may_idle: bool | None = None
) -> Program:
    _require(
        permissions.can_manage_institution(actor, program.institution_id),
        _("Only the hospital's training office manages its programs."),
    )
    before = snapshot(program, PROGRAM_FIELDS)
    validate_program_rules(program, rules)
    program.rules = rules
    if may_idle is not None:
        program.may_idle = may_idle
    program.full_clean()
    program.save()
    audit_record(
        actor=actor,
        action="program.update",
        target=program,
        changes=diff(before, snapshot(program, PROGRAM_FIELDS)),
    )
    return program


@transaction.atomic
def requirement_add(
    *,
    actor: User,
    program: Program,
    departments: list[Department],
    min_blocks: int,
    max_blocks: int | None = None,
    is_elective: bool = False,
) -> Requirement:
    _require(
        permissions.can_edit_program(actor, program),
        _("Only the hospital's training office manages its programs."),
    )
    departments = list(departments)
    rules.check_requirement(program, departments, departments, min_blocks, max_blocks)
    requirement = Requirement(
        program=program, min_blocks=min_blocks, max_blocks=max_blocks, is_elective=is_elective
    )
    requirement.full_clean()
    requirement.save()
    requirement.departments.set(departments)
    audit_record(
        actor=actor,
        action="program.requirement_add",
        target=program,
        changes={
            "requirement": [
                None,
                rules.requirement_text(departments, min_blocks, max_blocks, is_elective),
            ]
        },
    )
    return requirement


@transaction.atomic
def requirement_update(
    *,
    actor: User,
    requirement: Requirement,
    departments: list[Department] | None = None,
    min_blocks: int | None = None,
    max_blocks: int | None | Unchanged = UNCHANGED,
    is_elective: bool | None = None,
) -> Requirement:
    """Change what is given; `max_blocks=None` removes the upper limit."""
    program = requirement.program
    _require(
        permissions.can_edit_program(actor, program),
        _("Only the hospital's training office manages its programs."),
    )
    old_departments = list(requirement.departments.all())
    before = rules.requirement_text(
        old_departments, requirement.min_blocks, requirement.max_blocks, requirement.is_elective
    )
    new_departments = list(departments) if departments is not None else old_departments
    old_pks = {d.pk for d in old_departments}
    low = requirement.min_blocks if min_blocks is None else min_blocks
    high = requirement.max_blocks if isinstance(max_blocks, Unchanged) else max_blocks
    elective = requirement.is_elective if is_elective is None else is_elective

    def check() -> None:
        rules.check_requirement(
            program, new_departments, [d for d in new_departments if d.pk not in old_pks], low, high
        )
        requirement.full_clean()
        if departments is not None:
            rules.check_rules_still_hold(requirement, new_departments, "departments")

    rules.apply_or_restore(
        requirement, {"min_blocks": low, "max_blocks": high, "is_elective": elective}, check
    )
    requirement.save()
    if departments is not None:
        requirement.departments.set(new_departments)
    after = rules.requirement_text(new_departments, low, high, elective)
    if after != before:
        audit_record(
            actor=actor,
            action="program.requirement_update",
            target=program,
            changes={"requirement": [before, after]},
        )
    return requirement


@transaction.atomic
def requirement_remove(*, actor: User, requirement: Requirement) -> None:
    program = requirement.program
    _require(
        permissions.can_edit_program(actor, program),
        _("Only the hospital's training office manages its programs."),
    )
    text = rules.requirement_text(
        list(requirement.departments.all()),
        requirement.min_blocks,
        requirement.max_blocks,
        requirement.is_elective,
    )
    rules.check_rules_still_hold(requirement, None, "requirement")
    requirement.delete()
    audit_record(
        actor=actor,
        action="program.requirement_remove",
        target=program,
        changes={"requirement": [text, None]},
    )


@transaction.atomic
def cohort_create(
    *, actor: User, institution: Institution, calendar: BlockCalendar, name: str
) -> Cohort:
    _require(
        permissions.can_manage_institution(actor, institution.pk),
        _("Only the hospital's training office creates its cohorts."),
    )
    if calendar.institution_id not in (None, institution.pk):
        raise field_error("calendar", _("Use a calendar of this hospital or of the consortium."))
    cohort = Cohort(institution=institution, calendar=calendar, name=(name or "").strip())
    if Cohort.objects.filter(institution=institution, name=cohort.name).exists():
        raise field_error("name", _("This hospital already has a cohort with this name."))
    cohort.full_clean()
    cohort.save()
    audit_record(
        actor=actor,
        action="cohort.create",
        target=cohort,
        changes={"name": [None, cohort.name], "calendar": [None, str(calendar)]},
    )
    return cohort


@transaction.atomic
def member_add(
    *,
    actor: User,
    cohort: Cohort,
    resident: User,
    program: Program,
    leave_blocks: list[int] | None = None,
    preferences: list[dict[str, int]] | None = None,
) -> CohortMember:
    _require(
        permissions.can_manage_cohort(actor, cohort),
        _("Only the hospital's training office manages its cohorts."),
    )
    if (
        not selectors.resident_list_of_institution(cohort.institution_id)
        .filter(pk=resident.pk)
        .exists()
    ):
        raise field_error("resident", _("Choose a resident of this hospital."))
    if program.institution_id != cohort.institution_id:
        raise field_error("program", _("Choose a program of this hospital."))
    User.objects.select_for_update().filter(pk=resident.pk).first()  # one add at a time
    overlapping = selectors.membership_overlapping(
        resident, cohort.calendar_id, exclude_cohort_id=cohort.pk
    )
    if overlapping is not None:
        first, last = selectors.calendar_span(overlapping.cohort.calendar_id)
        raise field_error(
            "resident",
            _(
                "%(name)s is already in %(cohort)s, whose calendar (%(first)s – %(last)s) shares "
                "days with this cohort's: a resident follows one rotation schedule at a time."
            )
            % {
                "name": resident,
                "cohort": overlapping.cohort,
                "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
            },
        )
    leave = rules.check_leave(cohort, leave_blocks or [])
    member = CohortMember(
        cohort=cohort,
        resident=resident,
        program=program,
        leave_blocks=leave,
        preferences=rules.check_preferences(program, preferences or []),
    )
    try:
        member.full_clean()
    except ValidationError as exc:
        if "__all__" in exc.message_dict:
            raise field_error("resident", _("This resident is already in the cohort.")) from None
        raise
    member.save()
    audit_record(
        actor=actor,
        action="cohort.member_add",
        target=cohort,
        changes={"member": [None, f"{resident} ({program})"]},
    )
    return member


@transaction.atomic
def member_add_many(
    *, actor: User, cohort: Cohort, residents: list[User], program: Program
) -> list[CohortMember]:
    """Add several residents with one program: all of them or, if one is refused, none."""
    if not residents:
        raise field_error("residents", _("Choose at least one resident."))
    added = []
    for resident in residents:
        try:
            added.append(member_add(actor=actor, cohort=cohort, resident=resident, program=program))
        except ValidationError as exc:
            field = "program" if "program" in getattr(exc, "error_dict", {}) else "residents"
            raise field_error(field, f"{resident}: {' '.join(exc.messages)}") from None
    return added


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: CohortMember,
    program: Program | None = None,
    leave_blocks: list[int] | None = None,
    preferences: list[dict[str, int]] | None = None,
) -> CohortMember:
    """Change what is given. A published schedule is not changed by this: the next proposal
    uses it (after publishing, leave goes through leave requests)."""
    cohort = member.cohort
    _require(
        permissions.can_edit_member(actor, member),
        _("Only the hospital's training office manages its cohorts."),
    )
    new_program = program if program is not None else member.program
    if new_program.institution_id != cohort.institution_id:
        raise field_error("program", _("Choose a program of this hospital."))
    leave = (
        rules.check_leave(cohort, leave_blocks) if leave_blocks is not None else member.leave_blocks
    )
    prefs = rules.check_preferences(
        new_program, preferences if preferences is not None else member.preferences
    )
    before = rules.member_facts(member)
    rules.apply_or_restore(
        member,
        {"program": new_program, "leave_blocks": leave, "preferences": prefs},
        member.full_clean,
    )
    member.save()
    changes = {
        f"{member.resident} — {field}": change
        for field, change in diff(before, rules.member_facts(member)).items()
    }
    if changes:
        audit_record(actor=actor, action="cohort.member_update", target=cohort, changes=changes)
    return member


@transaction.atomic
def member_remove(*, actor: User, member: CohortMember) -> None:
    cohort = member.cohort
    _require(
        permissions.can_edit_member(actor, member),
        _("Only the hospital's training office manages its cohorts."),
    )
    if selectors.member_on_schedule(member):
        raise field_error(
            "member",
            _(
                "%(name)s is on this cohort's published schedule: their rotations, leave and "
                "swaps are part of its record, so they cannot be removed."
            )
            % {"name": member.resident},
        )
    text = f"{member.resident} ({member.program})"
    member.delete()
    audit_record(
        actor=actor, action="cohort.member_remove", target=cohort, changes={"member": [text, None]}
    )


@transaction.atomic
def quota_set(
    *,
    actor: User,
    agreement: Agreement,
    from_institution: Institution,
    to_institution: Institution,
    max_per_block: int,
) -> ExchangeQuota:
    parties = set(agreement.parties.values_list("institution_id", flat=True))
    _require(
        permissions.can_manage_institution(actor, from_institution.pk)
        or permissions.can_manage_institution(actor, to_institution.pk),
        _("Only a party's training office sets exchange quotas."),
    )
    if agreement.status != AgreementStatus.ACTIVE:
        raise field_error("agreement", _("Exchange quotas need an agreement in force."))
    for field, inst in (("from_institution", from_institution), ("to_institution", to_institution)):
        if inst.pk not in parties:
            raise field_error(field, _("This hospital is not a party to the agreement."))
    if from_institution.pk == to_institution.pk:
        raise field_error("to_institution", _("Choose two different hospitals."))
    quota = ExchangeQuota.objects.filter(
        agreement=agreement, from_institution=from_institution, to_institution=to_institution
    ).first() or ExchangeQuota(
        agreement=agreement,
        from_institution=from_institution,
        to_institution=to_institution,
        max_per_block=0,
    )
    before = quota.max_per_block if quota.pk else None
    quota.max_per_block = max_per_block
    quota.full_clean(exclude=["agreement", "from_institution", "to_institution"])
    quota.save()
    audit_record(
        actor=actor,
        action="exchange_quota.set",
        target=agreement,
        changes={f"{from_institution} → {to_institution}": [before, max_per_block]},
    )
    return quota


@transaction.atomic
def quota_remove(*, actor: User, quota: ExchangeQuota) -> None:
    _require(
        permissions.can_edit_quota(actor, quota),
        _("Only a party's training office removes exchange quotas."),
    )
    needing = rules.requirement_needing(quota)
    if needing is not None:
        raise field_error(
            "quota",
            _(
                "%(program)s needs at least %(n)s blocks at %(hospital)s: change that requirement "
                "first."
            )
            % {
                "program": needing.program,
                "n": needing.min_blocks,
                "hospital": quota.to_institution,
            },
        )
    agreement = quota.agreement
    label = f"{quota.from_institution} → {quota.to_institution}"
    before = quota.max_per_block
    quota.delete()
    audit_record(
        actor=actor,
        action="exchange_quota.remove",
        target=agreement,
        changes={label: [before, None]},
    )
