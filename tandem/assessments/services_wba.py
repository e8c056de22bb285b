"""Every write about workplace-based assessments: starting one (the resident), confirming or
declining it (its teacher, on their own account), issuing a one-time code (the teacher's
account) and confirming with it on the resident's phone (decision 106)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.assessments import codes, permissions, selectors
from tandem.assessments.models import (
    ConfirmedBy,
    Wba,
    WbaCode,
    WbaForm,
    WbaKind,
    WbaRequirement,
    WbaStatus,
)
from tandem.assessments.standard import STANDARD_FORMS
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.residency.models import CohortMember, Department, Program

MAX_CASE_CHARS = 200
MAX_FEEDBACK_CHARS = 2000


def _clean_ratings(form: WbaForm, ratings: dict[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for code, label in form.domain_labels():
        value = (ratings or {}).get(code)
        if value in (None, ""):
            raise field_error(f"rating_{code}", _("Rate “%(domain)s”.") % {"domain": label})
        try:
            number = int(str(value))
        except ValueError:
            raise field_error(
                f"rating_{code}", _("“%(domain)s”: give a whole number.") % {"domain": label}
            ) from None
        if not form.scale_min <= number <= form.scale_max:
            raise field_error(
                f"rating_{code}",
                _("“%(domain)s”: the rating is from %(low)s to %(high)s.")
                % {"domain": label, "low": form.scale_min, "high": form.scale_max},
            )
        cleaned[code] = number
    return cleaned


@transaction.atomic
def wba_start(
    *,
    actor: User,
    department: Department,
    form: WbaForm,
    teacher: User,
    date: datetime.date,
    case: str,
    ratings: dict[str, Any],
    feedback: str = "",
) -> Wba:
    """The resident records a WBA of a rotation they are (or were) in, observed by one of the
    department's teachers; it waits for the teacher's confirmation."""
    if not permissions.can_start_wba(actor):
        raise PermissionDenied(_("Only residents on a published schedule start WBAs."))
    if date is None or date > timezone.localdate():
        raise field_error("date", _("The date cannot be in the future."))
    stint = selectors.stint_on(actor.pk, department.pk, date)
    if stint is None:
        raise field_error("department", _("You were not rotating in this department on that day."))
    member = CohortMember.objects.get(pk=stint.member_id)
    if not selectors.forms_for_member(member).filter(pk=form.pk).exists():
        raise field_error("form", _("Choose a form of your program."))
    if teacher.pk == actor.pk or teacher.pk not in set(
        department.teachers.values_list("pk", flat=True)
    ):
        raise field_error("teacher", _("Choose a teacher of this department."))
    case = (case or "").strip()
    if not case:
        raise field_error("case", _("Name the case or procedure observed."))
    if len(case) > MAX_CASE_CHARS:
        raise field_error("case", _("At most 200 characters."))
    feedback = (feedback or "").strip()
    if len(feedback) > MAX_FEEDBACK_CHARS:
        raise field_error("feedback", _("At most 2,000 characters."))
    wba = Wba(
        resident=actor,
        member=member,
        department=department,
        form=form,
        teacher=teacher,
        date=date,
        case=case,
        ratings=_clean_ratings(form, ratings),
        feedback=feedback,
    )
    wba.full_clean()
    wba.save()
    audit_record(
        actor=actor,
        action="wba.start",
        target=wba,
        changes={"form": str(form), "teacher": str(teacher), "date": date},
    )
    notification_send(
        users=[teacher.pk],
        kind=NotificationKind.WBA_TO_CONFIRM,
        params={"resident": str(actor), "form": form.name},
        url=reverse("assessments:wba_detail", args=[wba.pk]),
    )
    return wba


def _lock(wba: Wba) -> Wba:
    return Wba.objects.select_for_update().get(pk=wba.pk)


@transaction.atomic
def wba_confirm(*, actor: User, wba: Wba, confirm: bool = True, note: str = "") -> Wba:
    """The teacher confirms (or declines, with a reason) on their own account."""
    wba = _lock(wba)
    if wba.teacher_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the WBA's teacher confirms it."))
    if wba.status != WbaStatus.AWAITING:
        raise field_error("status", _("This WBA has been answered already."))
    note = (note or "").strip()
    if not confirm and not note:
        raise field_error("note", _("Give the reason for declining."))
    before = wba.status
    if confirm:
        wba.status = WbaStatus.CONFIRMED
        wba.confirmed_by = ConfirmedBy.ACCOUNT
        wba.confirmed_at = timezone.now()
    else:
        wba.status = WbaStatus.DECLINED
    wba.full_clean()
    wba.save()
    audit_record(
        actor=actor,
        action="wba.confirm" if confirm else "wba.decline",
        target=wba,
        changes={"status": [before, wba.status]},
        reason=note,
    )
    return wba


@transaction.atomic
def wba_code_issue(*, actor: User) -> tuple[WbaCode, str]:
    """A new one-time code for the teacher; the plain code is returned once, to be shown."""
    if not permissions.can_issue_codes(actor):
        raise PermissionDenied(_("Only teachers of a department issue codes."))
    plain = codes.new_code()
    now = timezone.now()
    row = WbaCode.objects.create(
        teacher=actor,
        code_hash=codes.code_hash(actor.pk, plain),
        issued_at=now,
        expires_at=now + datetime.timedelta(minutes=codes.CODE_MINUTES),
    )
    audit_record(
        actor=actor, action="wba.code_issue", target=row, changes={"minutes": codes.CODE_MINUTES}
    )
    return row, plain


def _wrong_code(wba: Wba) -> None:
    """Count the failure in its own savepoint-free update (kept although the call fails)."""
    Wba.objects.filter(pk=wba.pk).update(code_failures=wba.code_failures + 1)


def wba_confirm_with_code(*, actor: User, wba: Wba, code: str) -> Wba:
    """On the resident's phone: the teacher types a code their account issued. A wrong,
    expired or used code is refused and nothing changes but the count of wrong tries; after
    five the WBA is confirmed on the teacher's account only."""
    failure = None
    with transaction.atomic():
        locked = _lock(wba)
        if locked.resident_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Only the resident's own phone takes the teacher's code."))
        if locked.status != WbaStatus.AWAITING:
            raise field_error("code", _("This WBA has been answered already."))
        if locked.code_failures >= codes.MAX_CODE_TRIES:
            raise field_error(
                "code",
                _("Too many wrong codes: the teacher confirms this WBA on their own account."),
            )
        plain = codes.normalized(code)
        row = (
            WbaCode.objects.select_for_update()
            .filter(
                teacher_id=locked.teacher_id, code_hash=codes.code_hash(locked.teacher_id, plain)
            )
            .first()
            if plain.isdigit() and len(plain) == codes.CODE_DIGITS
            else None
        )
        now = timezone.now()
        if row is None:
            failure = _("This is not a code of the WBA's teacher.")
        elif row.used_at is not None:
            failure = _("This code has been used already: the teacher issues a new one.")
        elif row.expires_at <= now:
            failure = _("This code has expired: the teacher issues a new one.")
        if failure is None and row is not None:
            row.used_at = now
            row.wba = locked
            row.save(update_fields=["used_at", "wba"])
            locked.status = WbaStatus.CONFIRMED
            locked.confirmed_by = ConfirmedBy.CODE
            locked.confirmed_at = now
            locked.full_clean()
            locked.save()
            audit_record(
                actor=actor,
                action="wba.confirm_code",
                target=locked,
                changes={"status": [WbaStatus.AWAITING, WbaStatus.CONFIRMED]},
            )
            return locked
    with transaction.atomic():
        _wrong_code(Wba.objects.select_for_update().get(pk=wba.pk))
    raise field_error("code", str(failure))


# --------------------------------------------------------------------------- forms of programs


@transaction.atomic
def wba_form_create(
    *,
    actor: User,
    program: Program,
    name: str,
    name_zh: str,
    domains: list[dict[str, str]],
    scale_min: int = 1,
    scale_max: int = 9,
) -> WbaForm:
    if not permissions.can_manage_program(actor, program):
        raise PermissionDenied(_("Only the program's training office defines its forms."))
    if not domains:
        raise field_error("domains", _("Give at least one domain."))
    seen = set()
    for domain in domains:
        code = str(domain.get("code") or "").strip()
        if not code or not str(domain.get("name") or "").strip() or code in seen:
            raise field_error("domains", _("Each domain needs a code of its own and a name."))
        seen.add(code)
    form = WbaForm(
        kind=WbaKind.PROGRAM,
        program=program,
        name=(name or "").strip(),
        name_zh=(name_zh or "").strip(),
        domains=domains,
        scale_min=scale_min,
        scale_max=scale_max,
    )
    form.full_clean()
    form.save()
    audit_record(actor=actor, action="wba_form.create", target=form, changes={"name": form.name})
    return form


@transaction.atomic
def wba_requirement_set(
    *,
    actor: User,
    program: Program,
    form: WbaForm,
    count: int,
    department: Department | None = None,
) -> WbaRequirement | None:
    """How many confirmed WBAs of the form per rotation; 0 removes the requirement."""
    if not permissions.can_manage_program(actor, program):
        raise PermissionDenied(_("Only the program's training office sets its requirements."))
    if form.program_id not in (None, program.pk):
        raise field_error("form", _("Choose a standard form or a form of this program."))
    if not 0 <= int(count) <= 50:
        raise field_error("count", _("Give a number from 0 to 50."))
    found = WbaRequirement.objects.filter(program=program, form=form, department=department).first()
    before = found.count if found else 0
    if int(count) == 0:
        if found:
            found.delete()
        result = None
    else:
        result = found or WbaRequirement(program=program, form=form, department=department)
        result.count = int(count)
        result.full_clean()
        result.save()
    audit_record(
        actor=actor,
        action="wba_requirement.set",
        target=program,
        changes={"form": str(form), "count": [before, int(count)]},
    )
    return result


def standard_forms() -> dict[str, WbaForm]:
    """{kind: form} of the standard forms, written again if missing (a data migration writes
    them; a test database flushed between transactional tests has lost them)."""
    found = {}
    for spec in STANDARD_FORMS:
        form, _created = WbaForm.objects.get_or_create(
            kind=spec["kind"], program=None, defaults=spec
        )
        found[spec["kind"]] = form
    return found
