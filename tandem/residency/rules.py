"""The checks the set-up services share: each raises a ValidationError naming the field.

Kept apart from `services.py` so that the writes read as permission, check, save, audit.
"""

import calendar as pycalendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.agreements.models import AgreementStatus
from tandem.core.audit_labels import generated
from tandem.core.errors import field_error
from tandem.institutions.models import Specialty
from tandem.residency import instancing
from tandem.residency.models import (
    CalendarKind,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    Program,
    Requirement,
)
from tandem.residency.scheduling import InstanceError, parse_instance


def check_capacity(low: int | None, high: int | None) -> None:
    if low is not None and high is not None and low > high:
        raise field_error("max_per_block", _("The most must be at least the least."))


def block_dates(
    kind: str, start: datetime.date, count: int
) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each block."""
    if kind == CalendarKind.FOUR_WEEKS:
        return [
            (start + datetime.timedelta(days=28 * i), start + datetime.timedelta(days=28 * i + 27))
            for i in range(count)
        ]
    result = []
    year, month = start.year, start.month
    for _index in range(count):
        last = pycalendar.monthrange(year, month)[1]
        result.append((datetime.date(year, month, 1), datetime.date(year, month, last)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def validate_program_rules(
    program: Program, rules: dict[str, Any], departments: set[int] | None = None
) -> None:
    """Check the sequence rules in the instance format by parsing a one-program instance.
    `departments`: the program's departments after a change not saved yet (default: as
    stored)."""
    if not isinstance(rules, dict):
        raise field_error("rules", _("The rules must be a JSON object."))
    allowed = {"precedences", "forbidden_sequences", "max_consecutive", "min_stint"}
    unknown = sorted(set(rules) - allowed)
    if unknown:
        raise field_error("rules", _("Unknown rule: %(name)s.") % {"name": unknown[0]})
    if departments is None:
        departments = set(
            Requirement.objects.filter(program_id=program.pk)
            .exclude(departments=None)
            .values_list("departments", flat=True)
        )
    ids = [instancing.department_key(pk) for pk in sorted(departments)]
    if not ids:
        if any(rules.values()):
            raise field_error("rules", _("Add requirements before sequence rules."))
        return
    data = {
        "format": "tandem-rotation-instance/1",
        "name": "check",
        "blocks": 1,
        "sites": ["S"],
        "rotations": [{"id": i, "site": "S"} for i in ids],
        "programs": [{"id": "P", "requirements": [{"rotations": ids}], **rules}],
        "residents": [],
    }
    try:
        parse_instance(data)
    except InstanceError as exc:
        raise field_error("rules", str(exc)) from None


MAX_PREFERENCE_POINTS = 100


class Unchanged:
    """An argument left out, where None is a value of its own (no upper limit)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged()


def apply_or_restore(obj: Any, values: dict[str, Any], check: Any) -> None:
    """Set `values` on `obj` and run `check()`; if it refuses, put the old values back so the
    caller's object still shows what is stored."""
    old = {field: getattr(obj, field) for field in values}
    for field, value in values.items():
        setattr(obj, field, value)
    try:
        check()
    except ValidationError:
        for field, value in old.items():
            setattr(obj, field, value)
        raise


def check_program(program: Program) -> None:
    if program.specialty not in Specialty.values:
        raise field_error("specialty", _("Choose a specialty from the list."))
    try:
        year = int(program.training_year)
    except (TypeError, ValueError):
        year = 0
    if not 1 <= year <= 5:
        raise field_error("training_year", _("The training year is between 1 and 5."))
    if (
        program.code
        and Program.objects.filter(institution_id=program.institution_id, code=program.code)
        .exclude(pk=program.pk)
        .exists()
    ):
        raise field_error("code", _("Another program of this hospital already has this code."))
    program.full_clean()


def requirement_text(
    departments: list[Department], min_blocks: int, max_blocks: int | None, is_elective: bool
) -> dict[str, Any]:
    """How the audit trail records a requirement: worded in the reader's language when shown."""
    code = "residency.requirement_elective" if is_elective else "residency.requirement"
    return generated(
        code,
        {
            "departments": ", ".join(str(d) for d in departments),
            "least": min_blocks,
            "most": max_blocks if max_blocks is not None else "∞",
        },
    )


def rules_text(rules: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A program's sequence rules as sentences (generated texts, one a rule), with department
    names in place of their instance ids: for its page and its history."""
    rules = rules or {}
    keys = (
        {key for item in rules.get("precedences", []) for key in (*item["before"], *item["after"])}
        | {key for pair in rules.get("forbidden_sequences", []) for key in pair}
        | {
            key
            for kind in ("max_consecutive", "min_stint")
            for item in rules.get(kind, [])
            for key in item["rotations"]
        }
    )
    pks = instancing.department_pks(keys)
    names = {instancing.department_key(d.pk): str(d) for d in Department.objects.filter(pk__in=pks)}

    def named(found: list[str]) -> str:
        return ", ".join(names.get(key, key) for key in found)

    sentences = (
        [
            generated(
                "residency.rule_precedence",
                {"first": named(item["before"]), "second": named(item["after"])},
            )
            for item in rules.get("precedences", [])
        ]
        + [
            generated(
                "residency.rule_forbidden", {"first": named([pair[0]]), "second": named([pair[1]])}
            )
            for pair in rules.get("forbidden_sequences", [])
        ]
        + [
            generated(
                f"residency.rule_{kind}",
                {"first": named(item["rotations"]), "blocks": item["blocks"]},
            )
            for kind in ("max_consecutive", "min_stint")
            for item in rules.get(kind, [])
        ]
    )
    return sentences or [generated("residency.rules_none")]


def check_requirement(
    program: Program,
    departments: list[Department],
    new: list[Department],
    min_blocks: int,
    max_blocks: int | None,
) -> None:
    """`new`: the departments this change brings into the program (checked for reach)."""
    if not departments:
        raise field_error("departments", _("Choose at least one department."))
    if min_blocks < 0:
        raise field_error("min_blocks", _("Give zero or more blocks."))
    if max_blocks is not None and max_blocks < min_blocks:
        raise field_error("max_blocks", _("The most must be at least the least."))
    reachable = {program.institution_id} | set(
        ExchangeQuota.objects.filter(
            from_institution_id=program.institution_id, agreement__status=AgreementStatus.ACTIVE
        ).values_list("to_institution_id", flat=True)
    )
    for dept in new:
        if not dept.is_active:
            raise field_error("departments", _("%(name)s is not active.") % {"name": dept})
        if dept.base.institution_id not in reachable:
            raise field_error(
                "departments",
                _(
                    "%(name)s is at a hospital without an exchange quota for this program's "
                    "residents."
                )
                % {"name": dept},
            )


def check_rules_still_hold(
    requirement: Requirement, departments: list[Department] | None, field: str
) -> None:
    """Before a requirement changes its departments (`departments`) or goes (None): the
    program's sequence rules must not name a department that would leave the program."""
    others = set(
        Requirement.objects.filter(program_id=requirement.program_id)
        .exclude(pk=requirement.pk)
        .exclude(departments=None)
        .values_list("departments", flat=True)
    )
    remaining = others | {d.pk for d in departments or []}
    try:
        validate_program_rules(requirement.program, requirement.program.rules or {}, remaining)
    except ValidationError:
        raise field_error(
            field,
            _(
                "The program's sequence rules name a department this change takes out of the "
                "program: change the rules first."
            ),
        ) from None


def check_leave(cohort: Cohort, leave_blocks: Any) -> list[int]:
    """Leave blocks as block indexes (from 0), sorted and once each."""
    try:
        leave = sorted({int(b) for b in leave_blocks})
    except (TypeError, ValueError):
        raise field_error("leave_blocks", _("Leave blocks are block numbers.")) from None
    if any(b < 0 or b >= cohort.calendar.block_count for b in leave):
        raise field_error("leave_blocks", _("A leave block is outside the calendar."))
    return leave


def check_preferences(program: Program, preferences: Any) -> list[dict[str, int]]:
    """[{"department": pk, "points": n}] naming departments of the program, each once."""
    in_program = set(
        Requirement.objects.filter(program=program).values_list("departments", flat=True)
    )
    result: list[dict[str, int]] = []
    try:
        items = list(preferences)
        pairs = [(int(item["department"]), int(item["points"])) for item in items]
    except (KeyError, TypeError, ValueError):
        raise field_error(
            "preferences", _("Each preference needs a department and points.")
        ) from None
    for dept, points in pairs:
        if dept not in in_program:
            name = Department.objects.filter(pk=dept).first() or instancing.department_key(dept)
            raise field_error(
                "preferences", _("%(name)s is not in the resident's program.") % {"name": name}
            )
        if any(p["department"] == dept for p in result):
            raise field_error("preferences", _("Name each department once."))
        if not -MAX_PREFERENCE_POINTS <= points <= MAX_PREFERENCE_POINTS:
            raise field_error(
                "preferences",
                _("Points are between -%(n)s and %(n)s.") % {"n": MAX_PREFERENCE_POINTS},
            )
        result.append({"department": dept, "points": points})
    return result


def member_facts(member: CohortMember) -> dict[str, str]:
    """What the audit trail shows of a member: block numbers from 1, departments by name."""
    names = {
        d.pk: str(d)
        for d in Department.objects.filter(pk__in=[p["department"] for p in member.preferences])
    }
    return {
        "program": str(member.program),
        "leave_blocks": ", ".join(str(b + 1) for b in member.leave_blocks) or "—",
        "preferences": ", ".join(
            f"{names.get(p['department'], p['department'])}: {p['points']:+d}"
            for p in member.preferences
        )
        or "—",
    }


def requirement_needing(quota: ExchangeQuota) -> Requirement | None:
    """A requirement that can only be met at the quota's hospital, with no other quota left."""
    if (
        ExchangeQuota.objects.filter(
            from_institution_id=quota.from_institution_id,
            to_institution_id=quota.to_institution_id,
            agreement__status=AgreementStatus.ACTIVE,
        )
        .exclude(pk=quota.pk)
        .exists()
    ):
        return None
    requirements = (
        Requirement.objects.filter(
            program__institution_id=quota.from_institution_id, min_blocks__gt=0
        )
        .select_related("program")
        .prefetch_related("departments__base")
    )
    for requirement in requirements:
        sites = {d.base.institution_id for d in requirement.departments.all()}
        if sites == {quota.to_institution_id}:
            return requirement
    return None
