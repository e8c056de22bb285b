"""Every write about agreements: drafting, editing, signing, amending and ending them.

Each service checks who may act, validates the whole input before writing anything, and records
one audit event in its own transaction. Signing, amending and ending lock the agreement row
(`select_for_update`) so that two coordinators acting at the same moment cannot lose a
signature or an activation.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.agreements import permissions, rules
from tandem.agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementQuota,
    AgreementSignature,
    AgreementStatus,
)
from tandem.agreements.permissions import ATTACHABLE
from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.resources.models import ResourceOpening

CLAUSE_FIELDS = (
    "reference",
    "funding_clause",
    "corresponding_author_rule",
    "trainee_lists_both_institutions",
    "authorship_clause",
    "ip_clause",
    "ip_owner",
    "ip_owner_other",
    "insurance_clause",
    "insurance_required",
    "stay_may_start_uninsured",
    "housing_clause",
    "housing_provider",
    "exchange_rotation_clause",
    "teacher_exchange_clause",
    "visit_clause",
)
TERM_FIELDS = ("title", "form", "start_date", "end_date", "initiating_tutor")
AUDIT_FIELDS = (*TERM_FIELDS, *CLAUSE_FIELDS, "status", "version")


def _audit_state(agreement: Agreement) -> dict[str, Any]:
    state = snapshot(agreement, AUDIT_FIELDS)
    state["parties"] = [
        f"{p.institution}: {p.funding_share}%"
        for p in agreement.parties.select_related("institution").order_by("id")
    ]
    state["quotas"] = [f"{q.year}: {q.max_trainees}" for q in agreement.quotas.order_by("year")]
    return state


def _require_manager(actor: User, agreement: Agreement, message: str) -> None:
    """The service's side of the pages' `can_manage_agreement` button check."""
    if not permissions.can_manage_agreement(actor, agreement):
        raise PermissionDenied(message)


def _party_ids(agreement: Agreement) -> set[int]:
    return set(agreement.parties.values_list("institution_id", flat=True))


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _apply_terms(
    agreement: Agreement,
    *,
    actor: User,
    title: str,
    form: str,
    start_date: datetime.date,
    end_date: datetime.date,
    parties: list[dict[str, Any]],
    quotas: list[dict[str, Any]],
    initiating_tutor: User | None,
    clauses: dict[str, Any],
) -> tuple[list[rules.PartyTerms], list[rules.QuotaTerms]]:
    """Set the terms on `agreement` (unsaved) and validate everything; raise every problem."""
    unknown = sorted(set(clauses) - set(CLAUSE_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be set on an agreement."))
    errors: rules.Errors = {}
    agreement.title = (title or "").strip()
    agreement.form = form
    agreement.start_date = start_date
    agreement.end_date = end_date
    agreement.initiating_tutor = initiating_tutor
    for field, value in clauses.items():
        setattr(agreement, field, value.strip() if isinstance(value, str) else value)
    ids = (rules.institution_id(p.get("institution")) for p in parties)
    named = {pk for pk in ids if pk is not None}
    # Checked before the input, so an outsider learns nothing from the error messages.
    if named and not permissions.can_act_for_parties(actor, named):
        raise PermissionDenied(
            _("You can only draft agreements to which an institution you coordinate is a party.")
        )
    cleaned_parties = rules.clean_parties(parties, errors)
    cleaned_quotas = rules.clean_quotas(quotas, start_date, end_date, errors)
    rules.check_term(start_date, end_date, errors)
    rules.check_form(form, cleaned_parties, initiating_tutor, errors)
    rules.check_clauses(form, {f: getattr(agreement, f) for f in CLAUSE_FIELDS}, errors)
    try:
        agreement.full_clean(exclude=["amends"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned_parties, cleaned_quotas


def _save_parties_and_quotas(
    agreement: Agreement,
    parties: list[rules.PartyTerms],
    quotas: list[rules.QuotaTerms],
) -> None:
    agreement.parties.all().delete()
    agreement.quotas.all().delete()
    for party in parties:
        row = AgreementParty(
            agreement=agreement,
            institution=party.institution,
            funding_share=party.funding_share,
            responsibilities=party.responsibilities,
        )
        row.full_clean()
        row.save()
    for quota in quotas:
        quota_row = AgreementQuota(
            agreement=agreement, year=quota.year, max_trainees=quota.max_trainees
        )
        quota_row.full_clean()
        quota_row.save()


@transaction.atomic
def agreement_draft(
    *,
    actor: User,
    title: str,
    form: str,
    start_date: datetime.date,
    end_date: datetime.date,
    parties: list[dict[str, Any]],
    quotas: list[dict[str, Any]] | None = None,
    initiating_tutor: User | None = None,
    **clauses: Any,
) -> Agreement:
    """A coordinator of one of the parties (or a consortium admin) drafts a new agreement."""
    if not permissions.can_create_agreement(actor):
        raise PermissionDenied(_("Only coordinators and consortium admins draft agreements."))
    agreement = Agreement(created_by=actor, status=AgreementStatus.DRAFT)
    cleaned_parties, cleaned_quotas = _apply_terms(
        agreement,
        actor=actor,
        title=title,
        form=form,
        start_date=start_date,
        end_date=end_date,
        parties=parties,
        quotas=quotas or [],
        initiating_tutor=initiating_tutor,
        clauses=clauses,
    )
    agreement.save()
    _save_parties_and_quotas(agreement, cleaned_parties, cleaned_quotas)
    audit_record(
        actor=actor,
        action="agreement.draft",
        target=agreement,
        changes=diff({}, _audit_state(agreement)),
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    title: str,
    form: str,
    start_date: datetime.date,
    end_date: datetime.date,
    parties: list[dict[str, Any]],
    quotas: list[dict[str, Any]] | None = None,
    initiating_tutor: User | None = None,
    **clauses: Any,
) -> Agreement:
    """Change a draft: its terms, parties, quotas and clauses. Only before anyone signs."""
    agreement = _lock(agreement)
    _require_manager(
        actor,
        agreement,
        _("Only a coordinator of a party or a consortium admin can edit this agreement."),
    )
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited; once someone has signed, amend it instead.")
        )
    before = _audit_state(agreement)
    cleaned_parties, cleaned_quotas = _apply_terms(
        agreement,
        actor=actor,
        title=title,
        form=form,
        start_date=start_date,
        end_date=end_date,
        parties=parties,
        quotas=quotas or [],
        initiating_tutor=initiating_tutor,
        clauses=clauses,
    )
    agreement.save()
    _save_parties_and_quotas(agreement, cleaned_parties, cleaned_quotas)
    changes = diff(before, _audit_state(agreement))
    if changes:
        audit_record(actor=actor, action="agreement.update", target=agreement, changes=changes)
    return agreement


def _repoint_openings(*, actor: User, old: Agreement, new: Agreement) -> list[int]:
    """Move the resource openings of the old version to the new one, where both the owner and
    the partner are still parties; openings to a party the amendment dropped stay behind."""

    party_ids = _party_ids(new)
    already = set(
        ResourceOpening.objects.filter(agreement=new).values_list("resource_id", "partner_id")
    )
    moved: list[int] = []
    openings = ResourceOpening.objects.select_related("resource", "partner").filter(
        agreement=old, partner_id__in=party_ids, resource__institution_id__in=party_ids
    )
    for opening in openings:
        if (opening.resource_id, opening.partner_id) in already:
            continue
        opening.agreement = new
        opening.save(update_fields=["agreement"])
        audit_record(
            actor=actor,
            action="resource_opening.repoint",
            target=opening,
            changes={"agreement": [str(old), str(new)]},
            reason_code="agreement.amended",
        )
        moved.append(opening.pk)
    return moved


def _activate(*, actor: User, agreement: Agreement) -> None:
    now = timezone.now()
    agreement.status = AgreementStatus.ACTIVE
    agreement.activated_at = now
    if agreement.amends_id is None:
        return
    old = Agreement.objects.select_for_update().get(pk=agreement.amends_id)
    moved = _repoint_openings(actor=actor, old=old, new=agreement)
    before = snapshot(old, ("status",))
    if old.status == AgreementStatus.ACTIVE:
        old.status = AgreementStatus.SUPERSEDED
        old.full_clean()
        old.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="agreement.supersede",
        target=old,
        changes={
            **diff(before, snapshot(old, ("status",))),
            "superseded_by": [None, str(agreement)],
            "resource_openings_moved": [[], moved],
        },
    )


@transaction.atomic
def agreement_sign(*, actor: User, agreement: Agreement, institution: Any = None) -> Agreement:
    """A coordinator signs for one party institution. The first signature closes the draft for
    editing; the last one puts the agreement in force (and retires the version it amends).

    `institution` may be left out when the person coordinates exactly one unsigned party."""
    if agreement.amends_id is not None:
        # Lock the older version first, in the same order as terminate and amend do, so that
        # a signature and a termination racing each other cannot deadlock.
        list(Agreement.objects.select_for_update().filter(pk=agreement.amends_id))
    agreement = _lock(agreement)  # re-read: another coordinator may have just signed
    party_ids = permissions.party_institution_ids(agreement)
    coordinated = permissions.coordinated_party_ids(actor, agreement)
    if not coordinated:
        raise PermissionDenied(_("Only a coordinator of a party institution can sign."))
    if not agreement.is_open:
        raise ValidationError(_("This agreement is not awaiting signatures."))
    signed = permissions.signed_institution_ids(agreement)
    unsigned = permissions.institutions_user_may_sign_for(actor, agreement)
    if institution in (None, ""):
        if not unsigned:
            raise field_error("institution", _("Your institution has already signed."))
        if len(unsigned) > 1:
            raise field_error("institution", _("Choose the institution you sign for."))
        institution_id = unsigned.pop()
    else:
        institution_id = getattr(institution, "pk", institution)
        try:
            institution_id = int(institution_id)
        except (TypeError, ValueError):
            raise field_error("institution", _("Choose a party institution.")) from None
        if institution_id not in party_ids:
            raise field_error("institution", _("This institution is not a party."))
        if institution_id not in coordinated:
            raise PermissionDenied(_("You can only sign for an institution you coordinate."))
        if institution_id not in unsigned:
            raise field_error("institution", _("This institution has already signed."))
    before = snapshot(agreement, ("status", "activated_at"))
    signature = AgreementSignature(
        agreement=agreement, institution_id=institution_id, signed_by=actor
    )
    signature.full_clean()
    signature.save()
    agreement.status = AgreementStatus.SIGNING
    if signed | {institution_id} >= party_ids:
        _activate(actor=actor, agreement=agreement)
    agreement.full_clean()
    agreement.save(update_fields=["status", "activated_at"])
    changes = diff(before, snapshot(agreement, ("status", "activated_at")))
    changes["signed_for"] = [None, signature.institution]  # its name in both languages
    audit_record(actor=actor, action="agreement.sign", target=agreement, changes=changes)
    tenancy.forget(actor)  # the partner institutions may have changed
    return agreement


@transaction.atomic
def agreement_amend(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Open a new version of an agreement in force: a draft copying its terms, parties, quotas,
    clauses and attachments, to be edited and signed by every party again. The version in force
    stays in force until the new one is."""
    agreement = _lock(agreement)
    _require_manager(
        actor,
        agreement,
        _("Only a coordinator of a party or a consortium admin can amend this agreement."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the agreement is amended."))
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("Only an agreement in force can be amended."))
    pending = Agreement.objects.filter(amends=agreement).first()
    if pending is not None:
        raise ValidationError(
            _(
                "Version %(version)s is already being prepared as an amendment; sign or "
                "withdraw it before opening another one."
            )
            % {"version": pending.version}
        )
    amendment = Agreement(
        created_by=actor,
        status=AgreementStatus.DRAFT,
        version=agreement.version + 1,
        amends=agreement,
        **{field: getattr(agreement, field) for field in (*TERM_FIELDS, *CLAUSE_FIELDS)},
    )
    amendment.full_clean()
    amendment.save()
    for party in agreement.parties.all():
        AgreementParty.objects.create(
            agreement=amendment,
            institution_id=party.institution_id,
            funding_share=party.funding_share,
            responsibilities=party.responsibilities,
        )
    for quota in agreement.quotas.all():
        AgreementQuota.objects.create(
            agreement=amendment, year=quota.year, max_trainees=quota.max_trainees
        )
    for attachment in agreement.attachments.all():
        # The new version refers to the same stored file; files are never deleted.
        AgreementAttachment.objects.create(
            agreement=amendment,
            title=attachment.title,
            file=attachment.file.name,
            uploaded_by=attachment.uploaded_by,
            uploaded_at=attachment.uploaded_at,
        )
    audit_record(
        actor=actor,
        action="agreement.amend",
        target=amendment,
        changes={"amends": [None, str(agreement)], "version": [None, amendment.version]},
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="agreement.amendment_open",
        target=agreement,
        changes={"amendment": [None, str(amendment)]},
        reason=reason,
    )
    return amendment


def _end(
    agreement: Agreement,
    *,
    actor: User | None,
    action: str,
    status: str,
    reason: str,
    reason_code: str = "",
) -> Agreement:
    before = snapshot(agreement, ("status", "ended_at", "end_reason", "amends"))
    agreement.status = status
    agreement.ended_at = timezone.now()
    agreement.end_reason = reason
    agreement.full_clean()
    agreement.save(update_fields=["status", "ended_at", "end_reason", "amends"])
    audit_record(
        actor=actor,
        action=action,
        target=agreement,
        changes=diff(before, snapshot(agreement, ("status", "ended_at", "end_reason", "amends"))),
        reason=reason,
        reason_code=reason_code,
    )
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """End an agreement in force before its term. An amendment still being prepared ends too."""
    agreement = _lock(agreement)
    _require_manager(
        actor,
        agreement,
        _("Only a coordinator of a party or a consortium admin can terminate this agreement."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the agreement is terminated."))
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("Only an agreement in force can be terminated."))
    pending = Agreement.objects.select_for_update().filter(amends=agreement).first()
    if pending is not None and pending.is_open:
        _end(
            pending,
            actor=actor,
            action="agreement.withdraw",
            status=AgreementStatus.TERMINATED,
            reason=reason,
        )
    _end(
        agreement,
        actor=actor,
        action="agreement.terminate",
        status=AgreementStatus.TERMINATED,
        reason=reason,
    )
    tenancy.forget(actor)
    return agreement


@transaction.atomic
def agreement_withdraw(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Abandon a draft or an agreement being signed. A withdrawn amendment lets go of the
    version it amended, so that version can be amended again."""
    agreement = _lock(agreement)
    _require_manager(
        actor,
        agreement,
        _("Only a coordinator of a party or a consortium admin can withdraw this agreement."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the agreement is withdrawn."))
    if not agreement.is_open:
        raise ValidationError(_("Only a draft or an agreement being signed can be withdrawn."))
    agreement.amends = None
    return _end(
        agreement,
        actor=actor,
        action="agreement.withdraw",
        status=AgreementStatus.TERMINATED,
        reason=reason,
    )


@transaction.atomic
def agreement_expire_due(*, today: datetime.date, actor: User | None = None) -> list[Agreement]:
    """Mark as expired every agreement in force whose term ended before `today`. Safe to run
    again: agreements already expired are not touched."""
    due = list(
        Agreement.objects.select_for_update()
        .filter(status=AgreementStatus.ACTIVE, end_date__lt=today)
        .order_by("pk")
    )
    for agreement in due:
        _end(
            agreement,
            actor=actor,
            action="agreement.expire",
            status=AgreementStatus.EXPIRED,
            reason="",
            reason_code="agreement.term_ended",
        )
    return due


ATTACHMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "gif", "webp", "doc", "docx", "xls", "xlsx")


@transaction.atomic
def agreement_attachment_add(
    *, actor: User, agreement: Agreement, title: str, file: Any
) -> AgreementAttachment:
    """Attach a document (PDF, image, Word or Excel) to an agreement that has not ended."""
    _require_manager(
        actor,
        agreement,
        _("Only a coordinator of a party or a consortium admin can add attachments."),
    )
    if agreement.status not in ATTACHABLE:
        raise ValidationError(_("This agreement has ended; its attachments can no longer change."))
    if file is None:
        raise field_error("file", _("Choose a file to upload."))
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        message = _("Upload a PDF, an image, or a Word or Excel document (%(kinds)s).")
        raise field_error("file", message % {"kinds": ", ".join(ATTACHMENT_EXTENSIONS)})
    limit = settings.MAX_ATTACHMENT_BYTES
    if (file.size or 0) > limit:
        raise field_error(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
        )
    if not file.size:
        raise field_error("file", _("The file is empty."))
    title = (title or "").strip() or name.rsplit(".", 1)[0][:200]
    attachment = AgreementAttachment(agreement=agreement, title=title, file=file, uploaded_by=actor)
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=actor,
        action="agreement.attachment_add",
        target=agreement,
        changes={"attachments": [None, f"{attachment.title} ({attachment.file.name})"]},
    )
    return attachment
