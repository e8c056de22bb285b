"""Every write about wellbeing: officers and settings (by the institution's coordinator),
check-ins and consent (by the trainee), alerts and proposals (by the officers).

Each service checks its predicate, validates the whole input before writing and records one
audit event in its transaction. No audit row carries a score, a note or an outcome: they live
in this app's tables only, which no page outside the named roles reads (decision 089).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution
from tandem.plans import services as plans_services
from tandem.plans.models import ReasonKind, TrainingPlan
from tandem.wellbeing import permissions, selectors
from tandem.wellbeing.models import (
    SCORE_FIELDS,
    AdjustmentProposal,
    AlertNote,
    AlertStatus,
    CheckIn,
    NoteKind,
    ProposalStatus,
    TutorConsent,
    WellbeingAlert,
    WellbeingOfficer,
    WellbeingSettings,
)

SETTINGS_FIELDS = (
    "period_weeks",
    "physical_alert_at",
    "mental_alert_at",
    "workload_alert_at",
    "living_alert_at",
)


def _score_labels() -> dict[str, str]:
    return {
        "physical": _("physical health"),
        "mental": _("mental health"),
        "workload": _("workload"),
        "living": _("living conditions"),
    }


def _int_in(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


# --- officers and settings -------------------------------------------------------------


@transaction.atomic
def officer_appoint(*, actor: User, institution: Institution, user: User) -> WellbeingOfficer:
    if not permissions.can_manage_officers(actor, institution):
        raise PermissionDenied(
            _("Only the institution's coordinators name its wellbeing officers.")
        )
    if not selectors.officer_candidates(institution).filter(pk=user.pk).exists():
        raise field_error(
            "user", _("A wellbeing officer must be a staff member of the institution.")
        )
    if selectors.officer_list_of(institution).filter(user=user).exists():
        raise field_error("user", _("This person is already a wellbeing officer here."))
    officer = WellbeingOfficer(institution=institution, user=user, appointed_by=actor)
    officer.full_clean()
    officer.save()
    audit_record(
        actor=actor,
        action="wellbeing_officer.appoint",
        target=institution,
        changes={"officer": [None, user]},
    )
    selectors.forget(user)
    return officer


@transaction.atomic
def officer_end(*, actor: User, officer: WellbeingOfficer) -> WellbeingOfficer:
    officer = WellbeingOfficer.objects.select_for_update().get(pk=officer.pk)
    if not permissions.can_manage_officers(actor, officer.institution):
        raise PermissionDenied(
            _("Only the institution's coordinators name its wellbeing officers.")
        )
    if officer.ended_at is not None:
        raise ValidationError(_("This appointment has already ended."))
    officer.ended_at = timezone.now()
    officer.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action="wellbeing_officer.end",
        target=officer.institution,
        changes={"officer": [officer.user, None]},
    )
    selectors.forget(officer.user)
    return officer


@transaction.atomic
def settings_update(*, actor: User, institution: Institution, **values: Any) -> WellbeingSettings:
    if not permissions.can_manage_officers(actor, institution):
        raise PermissionDenied(_("Only the institution's coordinators change these settings."))
    row, _created = WellbeingSettings.objects.select_for_update().get_or_create(
        institution=institution
    )
    before = snapshot(row, SETTINGS_FIELDS)
    errors: dict[str, list[str]] = {}
    for name in SETTINGS_FIELDS:
        if name not in values:
            continue
        low, high = (1, 26) if name == "period_weeks" else (0, 4)
        number = _int_in(values[name], low, high)
        if number is None:
            errors[name] = [
                _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            ]
        else:
            setattr(row, name, number)
    if errors:
        raise ValidationError(errors)
    row.full_clean()
    row.save()
    changes = diff(before, snapshot(row, SETTINGS_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="wellbeing_settings.update", target=institution, changes=changes
        )
    return row


# --- check-ins and consent ---------------------------------------------------------------


def _is_worrying(checkin: CheckIn) -> bool:
    if checkin.wants_contact:
        return True
    config = selectors.settings_for(checkin.home_id)
    return any(
        getattr(checkin, name) <= getattr(config, f"{name}_alert_at") for name in SCORE_FIELDS
    )


def _notify_officers(alert: WellbeingAlert) -> None:
    checkin = alert.checkin
    institutions = {checkin.home_id}
    if checkin.share_with_host and checkin.host_id:
        institutions.add(checkin.host_id)
    officers = selectors.officer_ids_of(institutions) - {checkin.trainee_id}
    # The text is the kind's label alone and the link: no name, no score (decision 089).
    notification_send(
        users=officers,
        kind=NotificationKind.WELLBEING_ATTENTION,
        url=reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk}),
        urgent=True,
    )


@transaction.atomic
def checkin_submit(
    *,
    actor: User,
    physical: Any,
    mental: Any,
    workload: Any,
    living: Any,
    note: str = "",
    wants_contact: bool = False,
    share_with_host: bool = False,
    share_with_tutors: bool = False,
) -> CheckIn:
    """Save a check-in; a worrying one also raises an alert for the officers. All four scores
    are required, each a whole number from 1 to 5."""
    if not permissions.can_check_in(actor):
        raise PermissionDenied(_("Only trainees check in."))
    home_id, host_id = selectors.home_and_host_of(actor)
    if home_id is None:
        raise PermissionDenied(_("Only trainees check in."))
    errors: dict[str, list[str]] = {}
    scores: dict[str, int] = {}
    given = {"physical": physical, "mental": mental, "workload": workload, "living": living}
    for name, label in _score_labels().items():
        value = given[name]
        if value is None or str(value).strip() == "":
            errors[name] = [_("Answer the question on %(topic)s.") % {"topic": label}]
            continue
        number = _int_in(value, 1, 5)
        if number is None:
            errors[name] = [
                _("The score for %(topic)s must be a whole number from 1 to 5.") % {"topic": label}
            ]
        else:
            scores[name] = number
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = [_("Keep the note under 2,000 characters.")]
    if share_with_host and host_id is None:
        errors["share_with_host"] = [_("You have no host institution to share with.")]
    if errors:
        raise ValidationError(errors)
    checkin = CheckIn(
        trainee=actor,
        home_id=home_id,
        host_id=host_id,
        share_with_host=bool(share_with_host),
        share_with_tutors=bool(share_with_tutors),
        note=note,
        wants_contact=bool(wants_contact),
        **scores,
    )
    checkin.full_clean()
    checkin.save()
    # Nothing of the answers in the audit row: only that a check-in was submitted.
    audit_record(actor=actor, action="wellbeing_checkin.submit", target=checkin)
    if _is_worrying(checkin):
        alert = WellbeingAlert.objects.create(checkin=checkin)
        _notify_officers(alert)
    return checkin


@transaction.atomic
def consent_give(*, actor: User) -> TutorConsent:
    if not permissions.can_check_in(actor):
        raise PermissionDenied(_("Only trainees check in."))
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if selectors.standing_consent_of(actor) is not None:
        raise ValidationError(_("Your tutors already see the scores of your check-ins."))
    consent = TutorConsent.objects.create(trainee=actor)
    audit_record(actor=actor, action="wellbeing_consent.give", target=consent)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User) -> TutorConsent:
    User.objects.select_for_update().filter(pk=actor.pk).first()
    consent = selectors.standing_consent_of(actor)
    if consent is None:
        raise ValidationError(_("You have no standing consent to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action="wellbeing_consent.withdraw", target=consent)
    return consent


# --- alerts --------------------------------------------------------------------------------


def _lock(alert: WellbeingAlert) -> WellbeingAlert:
    return WellbeingAlert.objects.select_for_update().select_related("checkin").get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: WellbeingAlert) -> WellbeingAlert:
    alert = _lock(alert)
    if not permissions.can_handle_alert(actor, alert):
        raise PermissionDenied(_("Only the wellbeing officers handle this alert."))
    if not permissions.can_acknowledge_alert(actor, alert):
        raise ValidationError(_("This alert has already been acknowledged."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    audit_record(actor=actor, action="wellbeing_alert.acknowledge", target=alert)
    return alert


@transaction.atomic
def alert_note_add(*, actor: User, alert: WellbeingAlert, kind: str, text: str) -> AlertNote:
    alert = _lock(alert)
    if not permissions.can_handle_alert(actor, alert):
        raise PermissionDenied(_("Only the wellbeing officers handle this alert."))
    if not permissions.can_note_alert(actor, alert):
        raise ValidationError(_("This alert is closed."))
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose what the note records.")]
    if not text:
        errors["text"] = [_("Write the note.")]
    elif len(text) > 4000:
        errors["text"] = [_("Keep the note under 4,000 characters.")]
    if errors:
        raise ValidationError(errors)
    note = AlertNote(alert=alert, kind=kind, text=text, author=actor)
    note.full_clean()
    note.save()
    # That a note was written, never its kind or text.
    audit_record(actor=actor, action="wellbeing_alert.note", target=alert)
    return note


@transaction.atomic
def alert_close(*, actor: User, alert: WellbeingAlert, outcome: str) -> WellbeingAlert:
    alert = _lock(alert)
    if not permissions.can_handle_alert(actor, alert):
        raise PermissionDenied(_("Only the wellbeing officers handle this alert."))
    if not permissions.can_close_alert(actor, alert):
        raise ValidationError(_("Acknowledge the alert before closing it."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise field_error("outcome", _("Record the outcome before closing the alert."))
    AlertNote.objects.create(alert=alert, kind=NoteKind.OUTCOME, text=outcome, author=actor)
    alert.status = AlertStatus.CLOSED
    alert.closed_at = timezone.now()
    alert.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="wellbeing_alert.close", target=alert)
    return alert


# --- a health-related plan adjustment -------------------------------------------------------


def plan_for_alert(alert: WellbeingAlert) -> TrainingPlan | None:
    """The signed plan of the trainee's active joint cultivation, if any."""
    cultivation = selectors.active_cultivation_of(alert.checkin.trainee)
    if cultivation is None:
        return None
    return TrainingPlan.objects.filter(
        cultivation=cultivation, current_version__isnull=False
    ).first()


@transaction.atomic
def adjustment_propose(*, actor: User, alert: WellbeingAlert, note: str) -> AdjustmentProposal:
    """Propose to the trainee a health-related revision of their plan. `note` becomes the
    plan's confidential note if the trainee accepts: write only what the tutors need."""
    alert = _lock(alert)
    if not permissions.can_handle_alert(actor, alert):
        raise PermissionDenied(_("Only the wellbeing officers handle this alert."))
    if not permissions.can_propose_adjustment(actor, alert):
        raise ValidationError(_("Acknowledge the alert first; a closed alert takes no proposal."))
    note = (note or "").strip()
    if not note:
        raise field_error("note", _("Write what the plan's confidential note should say."))
    plan = plan_for_alert(alert)
    if plan is None:
        raise ValidationError(_("The trainee has no signed training plan to adjust."))
    if alert.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        raise ValidationError(_("A proposal is already waiting for the trainee."))
    proposal = AdjustmentProposal(alert=alert, plan=plan, note=note, proposed_by=actor)
    proposal.full_clean()
    proposal.save()
    audit_record(actor=actor, action="wellbeing_alert.propose", target=alert)
    return proposal


@transaction.atomic
def adjustment_decide(
    *, actor: User, proposal: AdjustmentProposal, accept: bool
) -> AdjustmentProposal:
    """The trainee accepts (the plans service opens a health-related revision, as the trainee,
    who is one of the plan's writers) or declines."""
    proposal = (
        AdjustmentProposal.objects.select_for_update()
        .select_related("alert__checkin", "plan")
        .get(pk=proposal.pk)
    )
    if proposal.alert.checkin.trainee_id != actor.pk:
        raise PermissionDenied(_("Only the trainee decides on this proposal."))
    if not permissions.can_decide_proposal(actor, proposal):
        raise ValidationError(_("This proposal has already been decided."))
    if accept:
        plans_services.plan_revise(
            actor=actor, plan=proposal.plan, reason=proposal.note, reason_kind=ReasonKind.HEALTH
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action="wellbeing_proposal.accept" if accept else "wellbeing_proposal.decline",
        target=proposal,
    )
    tenancy.forget(actor)
    return proposal
