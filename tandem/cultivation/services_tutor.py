"""Every write about the tutors of a joint cultivation: pairing them, changing one of them (a
request both coordinators approve), and recording tutor training.

The pair's rules hold in the database (one current tutor per role, one first in charge, the
first in charge is the experimental tutor) and here: the experimental tutor works at the host
(where the research is done), the theoretical one at the home or the host; a doctoral trainee
needs a doctoral supervisor; a tutor takes at most `annual_quota` new trainees a year.

Concurrency: the cultivation row is locked first, then the tutor's profile row, so two
assignments racing for the same role or for a tutor's last place are serialized.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import (
    Membership,
    Role,
    SupervisorQualification,
    TraineeKind,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.audit_labels import generated
from tandem.core.errors import field_error
from tandem.cultivation import permissions
from tandem.cultivation.models import (
    ChangeRequestStatus,
    JointCultivation,
    ResponsibilitySignature,
    TutorAssignment,
    TutorChangeRequest,
    TutorRole,
    TutorTraining,
)
from tandem.cultivation.selectors import counted_assignments, current_tutors, tutor_institution_ids
from tandem.cultivation.services import lock_cultivation, require_manager
from tandem.cultivation.services_training import check_new_tutor_courses


def clear_signatures(cultivation: JointCultivation) -> int:
    """Any change of the division or of the pair asks both tutors to sign again."""
    deleted, _rows = ResponsibilitySignature.objects.filter(cultivation=cultivation).delete()
    return deleted


def _check_tutor(
    cultivation: JointCultivation, tutor: User | None, role: str, field: str = "tutor"
) -> tuple[int, TutorProfile]:
    """Validate a tutor for a role and lock their profile; return (institution id, profile)."""
    if role not in TutorRole.values:
        raise field_error("role", _("Choose the experimental or the theoretical tutor."))
    if tutor is None:
        raise field_error(field, _("Choose a tutor."))
    places = (
        [cultivation.host_id]
        if role == TutorRole.EXPERIMENTAL
        else [
            cultivation.host_id,
            cultivation.home_id,
        ]
    )
    at = set(
        Membership.objects.filter(
            user=tutor, role=Role.TUTOR, is_active=True, institution_id__in=places
        ).values_list("institution_id", flat=True)
    )
    if not at:
        if role == TutorRole.EXPERIMENTAL:
            message = _(
                "The experimental tutor must be a tutor at the host institution "
                "(%(host)s), where the research is done."
            ) % {"host": cultivation.host}
        else:
            message = _(
                "The theoretical tutor must be a tutor at the home (%(home)s) or the "
                "host (%(host)s)."
            ) % {"home": cultivation.home, "host": cultivation.host}
        raise field_error(field, message)
    profile = TutorProfile.objects.select_for_update().filter(user=tutor).first()
    if profile is None:
        raise field_error(field, _("This tutor has no tutor profile (qualification and quota)."))
    trainee_kind = (
        TraineeProfile.objects.filter(user_id=cultivation.trainee_id)
        .values_list("kind", flat=True)
        .first()
    )
    needed = (
        (SupervisorQualification.DOCTORAL,)
        if trainee_kind == TraineeKind.DOCTORAL
        else (SupervisorQualification.MASTER, SupervisorQualification.DOCTORAL)
    )
    if profile.qualification not in needed:
        if trainee_kind == TraineeKind.DOCTORAL:
            message = _(
                "A doctoral trainee needs a doctoral supervisor; this tutor is qualified as: %(q)s."
            )
        else:
            message = _(
                "A master's trainee needs a master's or doctoral supervisor; this tutor "
                "is qualified as: %(q)s."
            )
        raise field_error(field, message % {"q": profile.get_qualification_display()})
    already = (
        counted_assignments(tutor, cultivation.quota_year)
        .exclude(cultivation=cultivation)
        .values("cultivation")
        .distinct()
        .count()
    )
    if already >= profile.annual_quota:
        raise field_error(
            field,
            _("This tutor's quota of %(max)s new trainees for %(year)s is used up.")
            % {"max": profile.annual_quota, "year": cultivation.quota_year},
        )
    institution_id = cultivation.host_id if cultivation.host_id in at else at.pop()
    # A new tutor takes on a new joint trainee only with the mandatory course(s) done.
    check_new_tutor_courses(cultivation, tutor, institution_id, field)
    return institution_id, profile


def _create_assignment(
    cultivation: JointCultivation, tutor: User, role: str, institution_id: int
) -> TutorAssignment:
    assignment = TutorAssignment(
        cultivation=cultivation,
        tutor=tutor,
        role=role,
        institution_id=institution_id,
        is_first_in_charge=role == TutorRole.EXPERIMENTAL,
        quota_year=cultivation.quota_year,
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    return assignment


@transaction.atomic
def tutor_assign(
    *, actor: User, cultivation: JointCultivation, tutor: User | None, role: str
) -> TutorAssignment:
    """Give a joint cultivation its first tutor in a role. Changing a current tutor is a
    request both coordinators approve (`tutor_change_request`)."""
    cultivation = lock_cultivation(cultivation)
    require_manager(
        actor,
        cultivation,
        _("Only a coordinator of the home or the host, or a consortium admin, can pair tutors."),
    )
    if not permissions.is_open(cultivation):
        raise ValidationError(_("Tutors cannot be paired on a finished joint cultivation."))
    if role not in TutorRole.values:
        raise field_error("role", _("Choose the experimental or the theoretical tutor."))
    pair = current_tutors(cultivation)
    if role in pair:
        if role == TutorRole.EXPERIMENTAL:
            message = _(
                "This trainee already has an experimental tutor, the first in charge; "
                "request a change of tutor instead."
            )
        else:
            message = _(
                "This trainee already has a theoretical tutor; request a change of tutor instead."
            )
        raise field_error("role", message)
    if tutor is not None and any(a.tutor_id == tutor.pk for a in pair.values()):
        raise field_error("tutor", _("This tutor is already the trainee's other tutor."))
    institution_id, _profile = _check_tutor(cultivation, tutor, role)
    assignment = _create_assignment(cultivation, tutor, role, institution_id)  # type: ignore
    clear_signatures(cultivation)
    audit_record(
        actor=actor,
        action="cultivation.tutor_assign",
        target=cultivation,
        changes={
            role: [
                None,
                generated("person_in_role", {"person": str(tutor), "role": assignment.institution}),
            ]
        },
    )
    return assignment


def end_pair(*, actor: User, cultivation: JointCultivation, reason: str) -> None:
    """End the current assignments (kept as the pair's history) when the cultivation ends."""
    now = timezone.now()
    for assignment in cultivation.tutor_assignments.filter(ended_at__isnull=True):
        assignment.ended_at = max(now, assignment.started_at)
        assignment.end_reason = reason
        assignment.save(update_fields=["ended_at", "end_reason"])
    clear_signatures(cultivation)


def reject_open_changes(*, cultivation: JointCultivation, reason: str) -> None:
    cultivation.tutor_change_requests.filter(status=ChangeRequestStatus.REQUESTED).update(
        status=ChangeRequestStatus.REJECTED, decided_at=timezone.now(), decision_reason=reason
    )


@transaction.atomic
def tutor_change_request(
    *,
    actor: User,
    cultivation: JointCultivation,
    role: str,
    new_tutor: User | None,
    reason: str,
) -> TutorChangeRequest:
    """Ask to replace the current tutor in `role`; applied when both coordinators approve."""
    cultivation = lock_cultivation(cultivation)
    require_manager(
        actor,
        cultivation,
        _(
            "Only a coordinator of the home or the host, or a consortium admin, can request a "
            "change of tutor."
        ),
    )
    if not permissions.is_open(cultivation):
        raise ValidationError(_("Tutors cannot be changed on a finished joint cultivation."))
    reason = (reason or "").strip()
    if role not in TutorRole.values:
        raise field_error("role", _("Choose the experimental or the theoretical tutor."))
    pair = current_tutors(cultivation)
    if role not in pair:
        raise field_error(
            "role", _("There is no current tutor in this role; pair one directly instead.")
        )
    if new_tutor is not None and any(a.tutor_id == new_tutor.pk for a in pair.values()):
        raise field_error("new_tutor", _("Choose someone who is not already in the pair."))
    if not reason:
        raise field_error("reason", _("Say why the tutor changes."))
    if cultivation.tutor_change_requests.filter(
        role=role, status=ChangeRequestStatus.REQUESTED
    ).exists():
        raise field_error("role", _("A change of this tutor is already awaiting approval."))
    _check_tutor(cultivation, new_tutor, role, field="new_tutor")
    change = TutorChangeRequest(
        cultivation=cultivation,
        role=role,
        new_tutor=new_tutor,
        reason=reason,
        requested_by=actor,
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=actor,
        action="cultivation.tutor_change_request",
        target=cultivation,
        changes={role: [str(pair[role].tutor), str(new_tutor)]},
        reason=reason,
    )
    return change


def _lock_change(change: TutorChangeRequest) -> TutorChangeRequest:
    locked = TutorChangeRequest.objects.select_for_update().get(pk=change.pk)
    locked.cultivation = lock_cultivation(change.cultivation)
    return locked


@transaction.atomic
def tutor_change_approve(
    *, actor: User, change: TutorChangeRequest, institution: Any = None
) -> TutorChangeRequest:
    """Approve a change of tutor for the home or the host; the second approval applies it: the
    old assignment ends with the reason, the new one starts, both tutors sign again."""
    change = _lock_change(change)
    cultivation = change.cultivation
    sides = permissions.coordinated_sides(actor, cultivation)
    if not sides:
        raise PermissionDenied(
            _("Only a coordinator of the home or the host can approve a change of tutor.")
        )
    pending = permissions.sides_user_may_approve_change_for(actor, change)
    if change.status != ChangeRequestStatus.REQUESTED:
        raise ValidationError(_("This change request has already been decided."))
    if institution not in (None, ""):
        try:
            wanted = int(getattr(institution, "pk", institution))
        except (TypeError, ValueError):
            raise field_error("institution", _("Choose the home or the host.")) from None
        if wanted not in pending:
            raise field_error("institution", _("You cannot approve for this institution."))
        pending = {wanted}
    if not pending:
        raise field_error("institution", _("Your institution has already approved."))
    side = cultivation.home_id if cultivation.home_id in pending else cultivation.host_id
    now = timezone.now()
    if side == cultivation.home_id:
        change.home_approved_by, change.home_approved_at = actor, now
    else:
        change.host_approved_by, change.host_approved_at = actor, now
    changes: dict[str, Any] = {
        "approved_for": [
            None,
            str(cultivation.home if side == cultivation.home_id else cultivation.host),
        ]
    }
    if change.home_approved_by_id and change.host_approved_by_id:
        pair = current_tutors(cultivation)
        old = pair.get(change.role)
        if old is not None:
            old.ended_at = max(now, old.started_at)
            old.end_reason = change.reason
            old.save(update_fields=["ended_at", "end_reason"])
        institution_id, _profile = _check_tutor(
            cultivation, change.new_tutor, change.role, field="new_tutor"
        )
        _create_assignment(cultivation, change.new_tutor, change.role, institution_id)
        clear_signatures(cultivation)
        change.status = ChangeRequestStatus.APPROVED
        change.decided_at = now
        changes[change.role] = [str(old.tutor) if old else None, str(change.new_tutor)]
    change.full_clean()
    change.save()
    audit_record(
        actor=actor,
        action="cultivation.tutor_change_approve",
        target=cultivation,
        changes=changes,
        reason=change.reason,
    )
    return change


@transaction.atomic
def tutor_change_reject(
    *, actor: User, change: TutorChangeRequest, reason: str
) -> TutorChangeRequest:
    change = _lock_change(change)
    require_manager(
        actor,
        change.cultivation,
        _(
            "Only a coordinator of the home or the host, or a consortium admin, can reject a "
            "change of tutor."
        ),
    )
    if change.status != ChangeRequestStatus.REQUESTED:
        raise ValidationError(_("This change request has already been decided."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the change is rejected."))
    change.status = ChangeRequestStatus.REJECTED
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.full_clean()
    change.save()
    audit_record(
        actor=actor,
        action="cultivation.tutor_change_reject",
        target=change.cultivation,
        changes={"change_request": [str(change.new_tutor), None]},
        reason=reason,
    )
    return change


CERTIFICATE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")
TRAINING_FIELDS = ("tutor", "course", "provider", "hours", "date")


@transaction.atomic
def tutor_training_record(
    *,
    actor: User,
    tutor: User,
    course: str,
    provider: str = "",
    hours: Any,
    date: datetime.date | None,
    certificate: Any = None,
) -> TutorTraining:
    """Record a training course a tutor attended (by the tutor or a coordinator of theirs)."""

    if not permissions.can_record_training(actor, tutor, tutor_institution_ids(tutor)):
        raise PermissionDenied(
            _("Only the tutor or a coordinator of their institution can record a training.")
        )
    errors: dict[str, list[str]] = {}
    if not TutorProfile.objects.filter(user=tutor).exists() and not tutor_institution_ids(tutor):
        errors.setdefault("tutor", []).append(_("This person is not a tutor."))
    course = (course or "").strip()
    if not course:
        errors.setdefault("course", []).append(_("Name the course."))
    try:
        hours_value = Decimal(str(hours))
    except (InvalidOperation, TypeError, ValueError):
        hours_value = Decimal("0")
    if not (Decimal("0") < hours_value <= Decimal("1000")):
        errors.setdefault("hours", []).append(_("Give the hours, more than 0 and at most 1000."))
    if not isinstance(date, datetime.date):
        errors.setdefault("date", []).append(_("Give the date of the course."))
    elif date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    if certificate is not None:
        name = getattr(certificate, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in CERTIFICATE_EXTENSIONS:
            errors.setdefault("certificate", []).append(
                _("Upload the certificate as a PDF or an image (%(kinds)s).")
                % {"kinds": ", ".join(CERTIFICATE_EXTENSIONS)}
            )
        elif not certificate.size:
            errors.setdefault("certificate", []).append(_("The file is empty."))
        elif certificate.size > settings.MAX_ATTACHMENT_BYTES:
            errors.setdefault("certificate", []).append(
                _("The file is larger than %(mb)s MB.")
                % {"mb": round(settings.MAX_ATTACHMENT_BYTES / (1024 * 1024), 1)}
            )
    if errors:
        raise ValidationError(errors)
    assert date is not None  # checked above
    training = TutorTraining(
        tutor=tutor,
        course=course,
        provider=(provider or "").strip(),
        hours=hours_value,
        date=date,
        recorded_by=actor,
    )
    if certificate is not None:
        training.certificate = certificate
    training.full_clean()
    training.save()
    state = snapshot(training, TRAINING_FIELDS)
    state["certificate"] = training.certificate.name or ""
    audit_record(
        actor=actor,
        action="cultivation.tutor_training_record",
        target=training,
        changes=diff({}, state),
    )
    return training
