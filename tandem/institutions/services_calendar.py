"""Writes of an institution's working calendar (public holidays and make-up working days), by
its own coordinators. Deadlines counted in working days read it (`workdays.py`)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import tenancy
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.institutions.models import CalendarDay, CalendarDayKind, Institution


def can_manage_calendar(user: Any, institution: Institution) -> bool:
    return institution.pk in tenancy.coordinated_institution_ids(user)


@transaction.atomic
def calendar_day_add(
    *,
    actor: Any,
    institution: Institution,
    date: datetime.date | None,
    kind: str,
    name: str = "",
    name_zh: str = "",
) -> CalendarDay:
    if not can_manage_calendar(actor, institution):
        raise PermissionDenied(_("Only the institution's coordinators edit its calendar."))
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Give the date (YYYY-MM-DD).")]
    if kind not in CalendarDayKind.values:
        errors["kind"] = [_("Choose a public holiday or a make-up working day.")]
    elif date is not None:
        weekend = date.weekday() >= 5
        if kind == CalendarDayKind.HOLIDAY and weekend:
            errors["date"] = [_("This date is a weekend day already: no holiday is needed.")]
        if kind == CalendarDayKind.WORKING_DAY and not weekend:
            errors["date"] = [_("A make-up working day is a Saturday or a Sunday.")]
    if date is not None and CalendarDay.objects.filter(institution=institution, date=date).exists():
        errors["date"] = [_("This date is already on the calendar.")]
    if errors or date is None:
        raise ValidationError(errors)
    day = CalendarDay(
        institution=institution,
        date=date,
        kind=kind,
        name=(name or "").strip(),
        name_zh=(name_zh or "").strip(),
    )
    day.full_clean()
    day.save()
    audit_record(
        actor=actor,
        action="calendar_day.add",
        target=institution,
        changes={"calendar_day": [None, str(day)]},
    )
    return day


@transaction.atomic
def calendar_day_remove(*, actor: Any, institution: Institution, day: CalendarDay) -> None:
    if not can_manage_calendar(actor, institution):
        raise PermissionDenied(_("Only the institution's coordinators edit its calendar."))
    if day.institution_id != institution.pk:
        raise field_error("date", _("This date is not on this institution's calendar."))
    label = str(day)
    day.delete()
    audit_record(
        actor=actor,
        action="calendar_day.remove",
        target=institution,
        changes={"calendar_day": [label, None]},
    )
