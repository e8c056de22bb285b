"""Every write of case and procedure logs: the resident's entries, the teachers' verification,
the training office's catalogues and minimums (the Excel import is in `services_import`).

Each service checks its predicate, validates the whole input before writing, and records one
audit event per changed row in its transaction. No audit row carries a patient reference.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution
from tandem.logbook import permissions, selectors
from tandem.logbook.hashing import normalise, patient_hash
from tandem.logbook.models import (
    Catalogue,
    CatalogueItem,
    EntryRole,
    EntryStatus,
    ItemKind,
    LogEntry,
    Minimum,
)
from tandem.residency import permissions as residency_permissions
from tandem.residency.models import CohortMember, Department

MAX_PATIENT_REF = 40
ENTRY_FIELDS = ("department", "item", "role", "date", "note")


def _role(value: Any) -> int:
    try:
        role = int(value)
    except (TypeError, ValueError):
        role = 0
    if role not in EntryRole.values:
        raise field_error("role", _("Choose observed, assisted or performed."))
    return role


def _patient(record_number: str) -> str:
    cleaned = normalise(record_number or "")
    if not cleaned:
        raise field_error(
            "patient_ref", _("Give the patient's hospital record number (it is not stored).")
        )
    if len(cleaned) > MAX_PATIENT_REF:
        raise field_error(
            "patient_ref",
            _("A hospital record number has at most %(n)s characters.") % {"n": MAX_PATIENT_REF},
        )
    return cleaned


def _check_entry(
    *, actor: User, department: Department, item: CatalogueItem, role: Any, date: Any
) -> tuple[CohortMember, int]:
    """The stint the entry belongs to and the role, or every error at once."""
    errors: dict[str, list[str]] = {}
    parsed_role = 0
    try:
        parsed_role = _role(role)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not isinstance(date, datetime.date):
        raise ValidationError({**errors, "date": [_("Give the date of the case.")]})
    if date > timezone.localdate():
        errors["date"] = [_("A case cannot be logged for a day that has not come yet.")]
    stint = selectors.stint_on(actor, department.pk, date)
    member = None
    if stint is None:
        errors.setdefault("date", []).append(
            _("You were not rotating in %(department)s on %(date)s.")
            % {"department": department, "date": formats.date_format(date)}
        )
    else:
        member = CohortMember.objects.select_related("program").get(pk=stint.member_id)
        catalogue = selectors.catalogue_for_member(member)
        if catalogue is None:
            errors["item"] = [_("Your program has no case and procedure catalogue yet.")]
        elif item.catalogue_id != catalogue.pk or not item.is_active:
            errors["item"] = [_("Choose a case or procedure of your program's catalogue.")]
    if errors:
        raise ValidationError(errors)
    assert member is not None
    return member, parsed_role


def duplicates_of(entry: LogEntry) -> int:
    """How many other entries of the resident name the same item for the same patient."""
    return (
        LogEntry.objects.filter(
            resident_id=entry.resident_id, patient_hash=entry.patient_hash, item_id=entry.item_id
        )
        .exclude(pk=entry.pk)
        .count()
    )


@transaction.atomic
def entry_log(
    *,
    actor: User,
    department: Department,
    item: CatalogueItem,
    role: Any,
    date: Any,
    patient_ref: str,
    note: str = "",
) -> LogEntry:
    """Log a case or procedure. The entry's `duplicates` says how many entries of the same item
    for the same patient the resident already has (a warning, not a refusal: a patient may be
    seen twice)."""
    if not permissions.can_log_entries(actor):
        raise PermissionDenied(_("Only residents on a published schedule log cases."))
    errors: dict[str, list[str]] = {}
    try:
        cleaned = _patient(patient_ref)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = ""
    try:
        member, parsed_role = _check_entry(
            actor=actor, department=department, item=item, role=role, date=date
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    entry = LogEntry(
        resident=actor,
        member=member,
        department=department,
        item=item,
        role=parsed_role,
        date=date,
        patient_hash=patient_hash(department.base.institution_id, cleaned),
        note=(note or "").strip(),
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="logbook_entry.log",
        target=entry,
        changes={k: [None, v] for k, v in snapshot(entry, ENTRY_FIELDS).items()},
    )
    entry.duplicates = duplicates_of(entry)  # type: ignore[attr-defined]
    return entry


@transaction.atomic
def entry_correct(
    *,
    actor: User,
    entry: LogEntry,
    department: Department,
    item: CatalogueItem,
    role: Any,
    date: Any,
    patient_ref: str = "",
    note: str = "",
) -> LogEntry:
    """The resident corrects an entry that waits or was returned; it waits for verification
    again. A blank patient reference keeps the one given before."""
    entry = LogEntry.objects.select_for_update(of=("self",)).select_related("item").get(pk=entry.pk)
    if not permissions.can_change_entry(actor, entry):
        if entry.resident_id == actor.pk:
            raise ValidationError(_("A verified entry cannot be changed."))
        raise PermissionDenied(_("Only the resident who logged an entry corrects it."))
    errors: dict[str, list[str]] = {}
    cleaned = ""
    if (patient_ref or "").strip():
        try:
            cleaned = _patient(patient_ref)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        member, parsed_role = _check_entry(
            actor=actor, department=department, item=item, role=role, date=date
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    before = snapshot(entry, ENTRY_FIELDS)
    entry.member, entry.department, entry.item = member, department, item
    entry.role, entry.date, entry.note = parsed_role, date, (note or "").strip()
    if cleaned:
        entry.patient_hash = patient_hash(department.base.institution_id, cleaned)
    entry.status = EntryStatus.PENDING
    entry.reviewed_by, entry.reviewed_at, entry.review_comment = None, None, ""
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="logbook_entry.correct",
        target=entry,
        changes=diff(before, snapshot(entry, ENTRY_FIELDS)),
    )
    entry.duplicates = duplicates_of(entry)  # type: ignore[attr-defined]
    return entry


@transaction.atomic
def entry_withdraw(*, actor: User, entry: LogEntry) -> None:
    entry = LogEntry.objects.select_for_update(of=("self",)).select_related("item").get(pk=entry.pk)
    if not permissions.can_change_entry(actor, entry):
        if entry.resident_id == actor.pk:
            raise ValidationError(_("A verified entry cannot be withdrawn."))
        raise PermissionDenied(_("Only the resident who logged an entry withdraws it."))
    audit_record(actor=actor, action="logbook_entry.withdraw", target=entry)
    entry.delete()


def _already_reviewed(entry: LogEntry) -> str:
    reviewer = entry.reviewed_by or _("another teacher")
    if entry.status == EntryStatus.VERIFIED:
        return _("This entry was verified by %(name)s in the meantime.") % {"name": reviewer}
    return _("This entry was returned by %(name)s in the meantime.") % {"name": reviewer}


def _review(actor: User, entry: LogEntry, verify: bool, comment: str) -> None:
    entry.status = EntryStatus.VERIFIED if verify else EntryStatus.RETURNED
    entry.reviewed_by = actor
    entry.reviewed_at = timezone.now()
    entry.review_comment = comment
    entry.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(
        actor=actor,
        action="logbook_entry.verify" if verify else "logbook_entry.return",
        target=entry,
        reason=comment,
    )
    if not verify:
        # Item, date and comment: nothing of the patient.
        notification_send(
            users=[entry.resident_id],
            kind=NotificationKind.LOG_RETURNED,
            params={
                "teacher": str(actor),
                "item": entry.item.name,
                "date": entry.date.isoformat(),
                "comment": comment,
            },
            url=reverse("logbook:entry_detail", kwargs={"pk": entry.pk}),
        )


def _comment(verify: bool, comment: str) -> str:
    comment = (comment or "").strip()
    if not verify and not comment:
        raise field_error("comment", _("Say what to correct when returning an entry."))
    if len(comment) > 500:
        raise field_error("comment", _("A comment has at most 500 characters."))
    return comment


@transaction.atomic
def entry_review(*, actor: User, entry: LogEntry, verify: bool, comment: str = "") -> LogEntry:
    """Verify, or return with a comment. Of two teachers reviewing the same entry, the first
    decides; the second is told (the row is locked, then its status read again)."""
    comment = _comment(verify, comment)
    entry = (
        LogEntry.objects.select_for_update(of=("self",))
        .select_related("item", "reviewed_by")
        .get(pk=entry.pk)
    )
    if not permissions.is_teacher_of(actor, entry):
        raise PermissionDenied(_("Only a teacher of the department verifies its entries."))
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(_already_reviewed(entry))
    _review(actor, entry, verify, comment)
    return entry


@dataclass
class BulkResult:
    done: list[LogEntry] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


MAX_BULK = 500


@transaction.atomic
def entry_review_bulk(
    *, actor: User, entry_ids: list[int], verify: bool, comment: str = ""
) -> BulkResult:
    """Verify or return many entries at once (a week's). Entries someone else reviewed in the
    meantime, or outside the actor's departments, are skipped and named in the result."""
    if not permissions.can_review_any(actor):
        raise PermissionDenied(_("Only a teacher of the department verifies its entries."))
    comment = _comment(verify, comment)
    ids = sorted({int(i) for i in entry_ids})
    if not ids:
        raise field_error("entries", _("Tick at least one entry."))
    if len(ids) > MAX_BULK:
        raise field_error("entries", _("At most %(n)s entries at a time.") % {"n": MAX_BULK})
    result = BulkResult()
    locked = (
        LogEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("item", "reviewed_by")
        .order_by("pk")
    )
    found = {entry.pk: entry for entry in locked}
    for pk in ids:
        entry = found.get(pk)
        if entry is None or not permissions.is_teacher_of(actor, entry):
            result.skipped.append((pk, _("This entry is not one of your departments'.")))
        elif entry.status != EntryStatus.PENDING:
            result.skipped.append((pk, _already_reviewed(entry)))
        else:
            _review(actor, entry, verify, comment)
            result.done.append(entry)
    return result


# --------------------------------------------------------------------------- catalogues


CATALOGUE_FIELDS = ("name", "name_zh", "specialty", "is_active")
ITEM_FIELDS = ("code", "name", "name_zh", "kind", "is_active")


@transaction.atomic
def catalogue_create(
    *, actor: User, institution: Institution, specialty: str, name: str, name_zh: str = ""
) -> Catalogue:
    if not residency_permissions.can_manage_institution(actor, institution.pk):
        raise PermissionDenied(_("Only the hospital's training office keeps its catalogues."))
    specialty = (specialty or "").strip()
    if Catalogue.objects.filter(institution=institution, specialty=specialty).exists():
        raise field_error("specialty", _("This hospital has a catalogue for this specialty."))
    catalogue = Catalogue(
        institution=institution,
        specialty=specialty,
        name=(name or "").strip(),
        name_zh=(name_zh or "").strip(),
    )
    catalogue.full_clean()
    catalogue.save()
    audit_record(
        actor=actor,
        action="logbook_catalogue.create",
        target=catalogue,
        changes={k: [None, v] for k, v in snapshot(catalogue, CATALOGUE_FIELDS).items()},
    )
    return catalogue


def _check_item_fields(code: str, name: str, kind: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = [_("Give the item a code.")]
    elif len(code) > 32:
        errors["code"] = [_("A code has at most 32 characters.")]
    if not name:
        errors["name"] = [_("Give the item a name.")]
    if kind not in ItemKind.values:
        errors["kind"] = [_("Choose disease, procedure or operation.")]
    return errors


@transaction.atomic
def item_save(
    *,
    actor: User,
    catalogue: Catalogue,
    code: str,
    name: str,
    name_zh: str = "",
    kind: str,
    is_active: bool = True,
) -> CatalogueItem:
    """Add an item, or change the one with this code."""
    if not permissions.can_manage_catalogue(actor, catalogue):
        raise PermissionDenied(_("Only the hospital's training office keeps its catalogues."))
    code, name, name_zh = (code or "").strip(), (name or "").strip(), (name_zh or "").strip()
    errors = _check_item_fields(code, name, kind)
    if errors:
        raise ValidationError(errors)
    item = CatalogueItem.objects.filter(catalogue=catalogue, code=code).first()
    before = snapshot(item, ITEM_FIELDS) if item else {}
    if item is None:
        item = CatalogueItem(catalogue=catalogue, code=code)
    item.name, item.name_zh, item.kind, item.is_active = name, name_zh, kind, is_active
    item.full_clean()
    item.save()
    after = snapshot(item, ITEM_FIELDS)
    if after != before:
        audit_record(
            actor=actor,
            action="logbook_item.save",
            target=catalogue,
            changes={"item": [None, item.code], **diff(before, after)},
        )
    return item


@transaction.atomic
def minimum_set(
    *, actor: User, item: CatalogueItem, department: Department | None, role: Any, count: Any
) -> Minimum | None:
    """At least `count` entries of the item in `role` per rotation through `department` (or,
    without one, over the whole training); 0 removes the minimum."""
    catalogue = item.catalogue
    if not permissions.can_manage_catalogue(actor, catalogue):
        raise PermissionDenied(_("Only the hospital's training office keeps its catalogues."))
    parsed_role = _role(role)
    try:
        number = int(count)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 1000:
        raise field_error("count", _("A minimum is a whole number from 0 to 1000."))
    if (
        department is not None
        and not selectors.departments_for_minimums(actor).filter(pk=department.pk).exists()
    ):
        raise field_error("department", _("Choose a department of your hospital or its partners."))
    existing = Minimum.objects.filter(item=item, department=department, role=parsed_role).first()
    old = existing.count if existing else None
    if number == 0:
        if existing is not None:
            existing.delete()
    else:
        existing = existing or Minimum(item=item, department=department, role=parsed_role)
        existing.count = number
        existing.full_clean()
        existing.save()
    if old != (number or None):
        audit_record(
            actor=actor,
            action="logbook_minimum.set",
            target=catalogue,
            changes={
                "item": [None, item.code],
                "department": [None, department],
                "role": [None, str(EntryRole(parsed_role).label)],
                "count": [old, number or None],
            },
        )
    return existing if number else None
