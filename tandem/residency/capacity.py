"""A department's capacity per block: the reads and the one write of this sub-area.

A department takes `min_per_block`–`max_per_block` residents in every block. For one block
calendar it may take other numbers in some blocks (fewer around the Spring Festival, more when a
teaching ward opens, none while a ward is renovated): a `CapacityOverride` per such block, whose
empty side keeps the department's own number. The solver's instance then carries per-block
lists (`cohort_instance.instance_for_cohort`). Blocks are stored from 0 and named from 1.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.residency import permissions, selectors
from tandem.residency.models import Block, BlockCalendar, CapacityOverride, Department

# The largest number a department's own capacity may hold (a PositiveSmallIntegerField).
MAX_RESIDENTS = 32767

Row = tuple[int | None, int | None] | None


@dataclass(frozen=True)
class BlockCapacity:
    """One block of a calendar for one department: the override, if any, and what is in
    force."""

    block: Block
    override_min: int | None
    override_max: int | None
    min_per_block: int
    max_per_block: int

    @property
    def number(self) -> int:
        return self.block.index + 1

    @property
    def is_overridden(self) -> bool:
        return self.override_min is not None or self.override_max is not None

    @property
    def is_contradictory(self) -> bool:
        """The department's own numbers changed since, and no longer fit this block's."""
        return self.min_per_block > self.max_per_block


# --------------------------------------------------------------------------- selectors


def calendar_list_for_department(user: Any, department: Department) -> QuerySet[BlockCalendar]:
    """Calendars a department's capacity is set on: its hospital's and the consortium's (of
    those the person sees)."""
    return selectors.calendar_list_visible_to(user).filter(
        Q(institution__isnull=True) | Q(institution_id=department.base.institution_id)
    )


def calendar_for_department_or_404(user: Any, department: Department, pk: int) -> BlockCalendar:
    return get_object_or_404(calendar_list_for_department(user, department), pk=pk)


def override_list(department: Department, calendar: BlockCalendar) -> QuerySet[CapacityOverride]:
    """The department's overrides on this calendar (the caller checked access to both)."""
    return (
        CapacityOverride.objects.filter(department=department, block__calendar=calendar)
        .select_related("block")
        .order_by("block__index")
    )


def capacity_by_block(department: Department, calendar: BlockCalendar) -> list[BlockCapacity]:
    """Every block of the calendar with the department's capacity in it (two queries)."""
    overrides = {o.block_id: o for o in override_list(department, calendar)}
    result = []
    for block in Block.objects.filter(calendar=calendar).order_by("index"):
        override = overrides.get(block.pk)
        low = override.min_per_block if override else None
        high = override.max_per_block if override else None
        result.append(
            BlockCapacity(
                block,
                low,
                high,
                department.min_per_block if low is None else low,
                department.max_per_block if high is None else high,
            )
        )
    return result


# --------------------------------------------------------------------------- the write


def _number_problem(value: Any) -> bool:
    return value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RESIDENTS
    )


def _row_problem(department: Department, number: int, row: Row) -> str | None:
    """What is wrong with one row, in words naming the block; None when it is fine."""
    if row is None:
        return None
    low, high = row
    if _number_problem(low) or _number_problem(high):
        return _("Block %(number)s: give a number of residents from 0 to %(most)s.") % {
            "number": number,
            "most": MAX_RESIDENTS,
        }
    if low is not None and high is not None and low > high:
        return _("Block %(number)s: the least (%(min)s) is more than the most (%(max)s).") % {
            "number": number,
            "min": low,
            "max": high,
        }
    if low is not None and high is None and low > department.max_per_block:
        return _(
            "Block %(number)s: at least %(min)s is more than the department takes at "
            "most (%(max)s)."
        ) % {"number": number, "min": low, "max": department.max_per_block}
    if high is not None and low is None and high < department.min_per_block:
        return _(
            "Block %(number)s: at most %(max)s is less than the department needs at "
            "least (%(min)s)."
        ) % {"number": number, "max": high, "min": department.min_per_block}
    return None


@transaction.atomic
def capacity_set(
    *, actor: User, department: Department, calendar: BlockCalendar, rows: Mapping[int, Row]
) -> list[CapacityOverride]:
    """Set the department's capacity in some blocks of the calendar.

    `rows` maps a block's index (from 0) to (least, most) — either may be None for the
    department's own number — or to None for the department's own numbers. Blocks not named
    stay as they are. One bad row saves nothing: every problem is reported, naming its block.
    Returns the department's overrides on the calendar."""
    if not permissions.can_edit_department(actor, department):
        raise PermissionDenied(
            _("Only the training office or the base's director can edit this department.")
        )
    if calendar.institution_id not in (None, department.base.institution_id):
        raise field_error(
            "calendar", _("Use a calendar of the department's hospital or of the consortium.")
        )
    blocks = {b.index: b for b in Block.objects.filter(calendar=calendar)}
    current = {o.block.index: o for o in override_list(department, calendar)}
    problems = []
    wanted: dict[int, tuple[int | None, int | None]] = {}
    for index, row in sorted(rows.items(), key=lambda item: item[0]):
        if index not in blocks:
            problems.append(_("Block %(number)s is not in this calendar.") % {"number": index + 1})
            continue
        problem = _row_problem(department, index + 1, row)
        if problem:
            problems.append(problem)
            continue
        wanted[index] = row if row is not None else (None, None)
    if problems:
        raise ValidationError({"rows": problems})
    changes: dict[str, list[int]] = {}
    for index, (low, high) in wanted.items():
        override = current.get(index)
        before = (override.min_per_block, override.max_per_block) if override else (None, None)
        if before == (low, high):
            continue
        if override is not None and low is None and high is None:
            override.delete()
        else:
            override = override or CapacityOverride(department=department, block=blocks[index])
            override.min_per_block, override.max_per_block = low, high
            override.full_clean()
            override.save()
        # The numbers in force before and after, under the model's field names (which the
        # history shows in the reader's language).
        head = _("%(calendar)s, block %(number)s") % {
            "calendar": calendar.name,
            "number": index + 1,
        }
        for field, old, new, default in (
            ("min_per_block", before[0], low, department.min_per_block),
            ("max_per_block", before[1], high, department.max_per_block),
        ):
            if old != new:
                changes[f"{head} — {field}"] = [
                    default if old is None else old,
                    default if new is None else new,
                ]
    if changes:
        audit_record(
            actor=actor, action="department.capacity_set", target=department, changes=changes
        )
    return list(override_list(department, calendar))


def check_department_numbers(
    department: Department, min_per_block: int, max_per_block: int
) -> None:
    """Before the department's own numbers change: every block whose override keeps one side
    must still fit the new other side. (For `services.department_update`.)"""
    clash = (
        CapacityOverride.objects.filter(department=department)
        .filter(
            Q(min_per_block__isnull=True, max_per_block__lt=min_per_block)
            | Q(max_per_block__isnull=True, min_per_block__gt=max_per_block)
        )
        .select_related("block__calendar")
        .order_by("block__calendar_id", "block__index")
        .first()
    )
    if clash is not None:
        raise field_error(
            "max_per_block",
            _(
                "%(calendar)s, block %(number)s has its own capacity that these numbers would "
                "contradict: change it on the capacity page first."
            )
            % {"calendar": clash.block.calendar.name, "number": clash.block.index + 1},
        )
