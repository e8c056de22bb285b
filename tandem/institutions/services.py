"""Every write about institutions and their units. Nothing is deleted: it is deactivated."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions import permissions
from tandem.institutions.models import Institution, Unit, UnitKind

INSTITUTION_FIELDS = (
    "name",
    "name_zh",
    "code",
    "kind",
    "country",
    "region",
    "tier_labels",
    "parent",
    "is_active",
)
UNIT_FIELDS = ("name", "name_zh", "kind", "specialty", "parent", "is_active")
_SPLIT_LABELS = re.compile(r"[,，;；]")


def parse_tier_labels(text: str) -> list[str]:
    """'Double First-Class, 985，211' -> ['Double First-Class', '985', '211'] (no blanks, no
    repeats, order kept)."""
    return normalize_tier_labels(_SPLIT_LABELS.split(text or ""))


def normalize_tier_labels(labels: Iterable[str]) -> list[str]:
    result: list[str] = []
    for label in labels:
        label = " ".join(str(label).split())
        if label and label not in result:
            result.append(label)
    return result


def _check_institution(institution: Institution) -> None:
    institution.code = (institution.code or "").strip().lower()
    institution.country = (institution.country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", institution.country):
        raise field_error("country", _("Give the two-letter ISO country code, e.g. CN."))
    labels = normalize_tier_labels(institution.tier_labels or [])
    if any(len(label) > 40 for label in labels):
        raise field_error("tier_labels", _("A tier label has at most 40 characters."))
    institution.tier_labels = labels
    parent = institution.parent
    seen: set[int] = set()
    while parent is not None:
        if institution.pk is not None and parent.pk == institution.pk:
            raise field_error(
                "parent", _("An institution cannot be affiliated to itself or to its affiliates.")
            )
        if parent.pk in seen:  # a cycle already in the data; stop walking
            break
        seen.add(parent.pk)
        parent = parent.parent
    institution.full_clean()


@transaction.atomic
def institution_create(
    *,
    actor: Any,
    name: str,
    code: str,
    kind: str,
    region: str,
    name_zh: str = "",
    country: str = "CN",
    tier_labels: Iterable[str] = (),
    parent: Institution | None = None,
) -> Institution:
    if not permissions.can_create_institution(actor):
        raise PermissionDenied(_("Only consortium admins register institutions."))
    institution = Institution(
        name=name.strip(),
        name_zh=name_zh.strip(),
        code=code,
        kind=kind,
        region=region,
        country=country,
        tier_labels=list(tier_labels),
        parent=parent,
    )
    _check_institution(institution)
    institution.save()
    audit_record(
        actor=actor,
        action="institution.create",
        target=institution,
        changes=diff({}, snapshot(institution, INSTITUTION_FIELDS)),
    )
    return institution


@transaction.atomic
def institution_update(
    *, actor: Any, institution: Institution, reason: str = "", **values: Any
) -> Institution:
    """Change the facts of an institution; `is_active=False` deactivates it."""
    if not permissions.can_change_institution(actor, institution):
        raise PermissionDenied(_("Only consortium admins change institutions."))
    unknown = set(values) - set(INSTITUTION_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed here."))
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = snapshot(institution, INSTITUTION_FIELDS)
    for field, value in values.items():
        if field in ("name", "name_zh") and isinstance(value, str):
            value = value.strip()
        if field == "tier_labels":
            value = list(value or [])
        setattr(institution, field, value)
    _check_institution(institution)
    institution.save()
    changes = diff(before, snapshot(institution, INSTITUTION_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="institution.update",
            target=institution,
            changes=changes,
            reason=reason,
        )
    return institution


def _check_unit(unit: Unit) -> None:
    if unit.kind == UnitKind.TRAINING_BASE and not unit.specialty:
        raise field_error("specialty", _("A training base needs a specialty."))
    parent = unit.parent
    if parent is not None:
        if parent.institution_id != unit.institution_id:
            raise field_error("parent", _("The parent unit must belong to the same institution."))
        seen: set[int] = set()
        while parent is not None:
            if unit.pk is not None and parent.pk == unit.pk:
                raise field_error("parent", _("A unit cannot be part of itself or of its parts."))
            if parent.pk in seen:
                break
            seen.add(parent.pk)
            parent = parent.parent
    unit.full_clean()


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    institution: Institution,
    name: str,
    kind: str,
    name_zh: str = "",
    specialty: str = "",
    parent: Unit | None = None,
) -> Unit:
    if not permissions.can_create_unit(actor, institution):
        raise PermissionDenied(_("Only the institution's coordinators add its units."))
    unit = Unit(
        institution=institution,
        name=name.strip(),
        name_zh=name_zh.strip(),
        kind=kind,
        specialty=specialty or "",
        parent=parent,
    )
    _check_unit(unit)
    unit.save()
    audit_record(
        actor=actor,
        action="unit.create",
        target=unit,
        changes=diff({}, snapshot(unit, ("institution", *UNIT_FIELDS))),
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, reason: str = "", **values: Any) -> Unit:
    """Change a unit; `is_active=False` deactivates it. The institution never changes."""
    if not permissions.can_change_unit(actor, unit):
        raise PermissionDenied(_("Only the institution's coordinators change its units."))
    unknown = set(values) - set(UNIT_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed here."))
    unit = Unit.objects.select_for_update().select_related("institution").get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for field, value in values.items():
        if field in ("name", "name_zh", "specialty") and isinstance(value, str | type(None)):
            value = (value or "").strip()
        setattr(unit, field, value)
    _check_unit(unit)
    unit.save()
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(actor=actor, action="unit.update", target=unit, changes=changes, reason=reason)
    return unit
