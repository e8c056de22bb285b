"""Every write about the life of a joint cultivation: propose, approve, and decide on it.

Each service checks who may act, validates the whole input before writing anything, records a
`Decision` for every change of status and one audit event, all in its own transaction.

Concurrency: every decision locks the cultivation row first (`select_for_update`), so two
coordinators approving at the same moment cannot lose an approval. The last approval then locks
the yearly quota rows of the agreement's lineage (always in the same order) before counting, so
two simultaneous last approvals of different trainees cannot both take the last place.
"""

import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role, TraineeKind, TraineeProfile, User
from tandem.agreements.models import Agreement, AgreementQuota, AgreementStatus
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.cultivation import permissions
from tandem.cultivation.models import (
    QUOTA_STATUSES,
    CultivationStatus,
    Decision,
    DecisionKind,
    JointCultivation,
    Stay,
    StayMode,
    TutorRole,
)
from tandem.cultivation.selectors import agreement_lineage_ids, current_tutors
from tandem.cultivation.services_training import (
    check_resumed_stay_insurance,
    check_stay_insurance,
)
from tandem.institutions.models import Institution

Errors = dict[str, list[str]]
AUDIT_FIELDS = (
    "trainee",
    "agreement",
    "home",
    "host",
    "status",
    "quota_year",
    "planned_start",
    "planned_end",
    "stay_mode",
    "research_topic",
)


def lock_cultivation(cultivation: JointCultivation) -> JointCultivation:
    return JointCultivation.objects.select_for_update().get(pk=cultivation.pk)


def acting_institution(actor: User, cultivation: JointCultivation) -> int | None:
    """The side the actor decides for: home before host; None for a consortium admin."""
    sides = permissions.coordinated_sides(actor, cultivation)
    for institution_id in (cultivation.home_id, cultivation.host_id):
        if institution_id in sides:
            return institution_id
    return None


def require_manager(actor: User, cultivation: JointCultivation, message: str) -> None:
    if not permissions.can_manage_cultivation(actor, cultivation):
        raise PermissionDenied(message)


def _record_decision(
    *,
    actor: User,
    cultivation: JointCultivation,
    kind: str,
    from_status: str,
    institution_id: int | None,
    reason: str = "",
) -> Decision:
    decision = Decision(
        cultivation=cultivation,
        kind=kind,
        institution_id=institution_id,
        decided_by=actor,
        from_status=from_status,
        to_status=cultivation.status,
        reason=reason,
    )
    decision.full_clean()
    decision.save()
    return decision


def _institution(value: Any, field: str, errors: Errors) -> Institution | None:
    if isinstance(value, Institution):
        return value
    if value in (None, ""):
        errors.setdefault(field, []).append(_("Choose an institution."))
        return None
    try:
        found = Institution.objects.filter(pk=int(getattr(value, "pk", value))).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        errors.setdefault(field, []).append(_("Unknown institution."))
    return found


def _check_trainee(trainee: User | None, home: Institution | None, errors: Errors) -> None:
    if trainee is None:
        errors.setdefault("trainee", []).append(_("Choose the trainee."))
        return
    profile = TraineeProfile.objects.filter(user=trainee).first()
    if profile is None:
        errors.setdefault("trainee", []).append(_("This person has no trainee profile."))
    elif profile.kind == TraineeKind.RESIDENT:
        errors.setdefault("trainee", []).append(
            _("Residents rotate through training bases; they are not joint postgraduates.")
        )
    if (
        home is not None
        and not Membership.objects.filter(
            user=trainee, role=Role.TRAINEE, institution=home, is_active=True
        ).exists()
    ):
        errors.setdefault("trainee", []).append(
            _("The trainee must be enrolled at the home institution (%(home)s).") % {"home": home}
        )
    if JointCultivation.objects.filter(
        trainee=trainee, status__in=permissions.OPEN_STATUSES
    ).exists():
        errors.setdefault("trainee", []).append(
            _("This trainee already has a joint cultivation that is not finished.")
        )


def _check_stays(
    stays: list[dict[str, Any]],
    *,
    mode: str,
    start: Any,
    end: Any,
    sides: dict[int, Institution],
    errors: Errors,
) -> list[Stay]:
    rows: list[Stay] = []
    for index, row in enumerate(stays):
        prefix = f"stays[{index}]"
        institution = row.get("institution")
        institution_id = getattr(institution, "pk", institution)
        try:
            institution_id = int(institution_id) if institution_id not in (None, "") else None
        except (TypeError, ValueError):
            institution_id = None
        stay_start, stay_end = row.get("start"), row.get("end")
        if institution_id not in sides:
            errors.setdefault(f"{prefix}.institution", []).append(
                _("A stay is at the home or the host institution.")
            )
        if not isinstance(stay_start, datetime.date):
            errors.setdefault(f"{prefix}.start", []).append(_("Give the first day of the stay."))
        if not isinstance(stay_end, datetime.date):
            errors.setdefault(f"{prefix}.end", []).append(_("Give the last day of the stay."))
        if not (isinstance(stay_start, datetime.date) and isinstance(stay_end, datetime.date)):
            continue
        if stay_end <= stay_start:
            errors.setdefault(f"{prefix}.end", []).append(_("The stay must end after it starts."))
        if (
            isinstance(start, datetime.date)
            and isinstance(end, datetime.date)
            and (stay_start < start or stay_end > end)
        ):
            errors.setdefault(f"{prefix}.start", []).append(
                _("The stay must lie inside the planned period (%(start)s – %(end)s).")
                % {"start": start, "end": end}
            )
        rows.append(
            Stay(
                institution_id=cast(int, institution_id),
                start=stay_start,
                end=stay_end,
                purpose=(row.get("purpose") or "").strip()[:200],
            )
        )
        rows[-1].index = index  # type: ignore[attr-defined]
    if mode == StayMode.SEQUENTIAL:
        ordered = sorted(rows, key=lambda stay: stay.start)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start <= before.end:
                errors.setdefault(f"stays[{after.index}].start", []).append(  # type: ignore
                    _(
                        "Sequential stays must not overlap; this one starts before the previous "
                        "one ends."
                    )
                )
    return rows


@transaction.atomic
def cultivation_propose(
    *,
    actor: User,
    trainee: User | None,
    agreement: Agreement | None,
    home: Any,
    host: Any,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    stay_mode: str = StayMode.SEQUENTIAL,
    research_topic: str = "",
    stays: list[dict[str, Any]] | None = None,
) -> JointCultivation:
    """Propose a trainee for joint cultivation under an agreement in force. The proposal waits
    for the approval of both the home's and the host's coordinators."""
    errors: Errors = {}
    home_obj = _institution(home, "home", errors)
    host_obj = _institution(host, "host", errors)
    named = {i.pk for i in (home_obj, host_obj) if i is not None}
    # Checked before the rest of the input, so an outsider learns nothing from the messages.
    if not permissions.can_propose_cultivation_between(actor, named):
        raise PermissionDenied(
            _(
                "Only a coordinator of the home or the host institution can propose a joint "
                "cultivation."
            )
        )
    if home_obj is not None and host_obj is not None and home_obj.pk == host_obj.pk:
        errors.setdefault("host", []).append(
            _("The host must be another institution than the home.")
        )
    if agreement is None:
        errors.setdefault("agreement", []).append(_("Choose the agreement."))
    else:
        if agreement.status != AgreementStatus.ACTIVE:
            errors.setdefault("agreement", []).append(_("The agreement is not in force."))
        parties = set(agreement.parties.values_list("institution_id", flat=True))
        for field, inst in (("home", home_obj), ("host", host_obj)):
            if inst is not None and inst.pk not in parties:
                errors.setdefault(field, []).append(
                    _("%(institution)s is not a party to this agreement.") % {"institution": inst}
                )
    _check_trainee(trainee, home_obj, errors)
    if stay_mode not in StayMode.values:
        errors.setdefault("stay_mode", []).append(_("Choose sequential or concurrent stays."))
    if not isinstance(planned_start, datetime.date):
        errors.setdefault("planned_start", []).append(_("Give the planned start."))
    if not isinstance(planned_end, datetime.date):
        errors.setdefault("planned_end", []).append(_("Give the planned end."))
    period_ok = isinstance(planned_start, datetime.date) and isinstance(planned_end, datetime.date)
    if period_ok and planned_end <= planned_start:  # type: ignore[operator]
        errors.setdefault("planned_end", []).append(_("The period must end after it starts."))
    if period_ok and agreement is not None:
        term = {"start": agreement.start_date, "end": agreement.end_date}
        if planned_start < agreement.start_date:  # type: ignore[operator]
            errors.setdefault("planned_start", []).append(
                _("The planned start lies before the agreement's term (%(start)s – %(end)s).")
                % term
            )
        if planned_end > agreement.end_date:  # type: ignore[operator]
            errors.setdefault("planned_end", []).append(
                _("The planned end lies after the agreement's term (%(start)s – %(end)s).") % term
            )
        if not AgreementQuota.objects.filter(
            agreement=agreement,
            year=planned_start.year,  # type: ignore[union-attr]
        ).exists():
            errors.setdefault("planned_start", []).append(
                _(
                    "The agreement sets no quota of joint trainees for %(year)s; amend it or "
                    "choose another start."
                )
                % {"year": planned_start.year}  # type: ignore
            )
    sides = {i.pk: i for i in (home_obj, host_obj) if i is not None}
    stay_rows = _check_stays(
        stays or [],
        mode=stay_mode,
        start=planned_start,
        end=planned_end,
        sides=sides,
        errors=errors,
    )
    if not stays:
        errors.setdefault("stays", []).append(_("Give at least one stay at the home or host."))
    if errors:
        raise ValidationError(errors)
    assert planned_start is not None and planned_end is not None  # checked above
    cultivation = JointCultivation(
        trainee=trainee,
        agreement=agreement,
        home=home_obj,
        host=host_obj,
        planned_start=planned_start,
        planned_end=planned_end,
        stay_mode=stay_mode,
        research_topic=(research_topic or "").strip(),
        proposed_by=actor,
        quota_year=planned_start.year,  # type: ignore[union-attr]
        status=CultivationStatus.PROPOSED,
    )
    cultivation.full_clean()
    cultivation.save()
    for stay in stay_rows:
        stay.cultivation = cultivation
        stay.full_clean()
        stay.save()
    _record_decision(
        actor=actor,
        cultivation=cultivation,
        kind=DecisionKind.PROPOSE,
        from_status="",
        institution_id=acting_institution(actor, cultivation),
    )
    state = snapshot(cultivation, AUDIT_FIELDS)
    state["stays"] = [str(s) for s in stay_rows]
    audit_record(
        actor=actor, action="cultivation.propose", target=cultivation, changes=diff({}, state)
    )
    return cultivation


def quota_used(cultivation: JointCultivation) -> int:
    """Places taken in the yearly quota by the agreement's lineage (an amendment keeps the
    joint trainees of the version it amends)."""
    return (
        JointCultivation.objects.filter(
            agreement_id__in=agreement_lineage_ids(cultivation.agreement),
            quota_year=cultivation.quota_year,
            status__in=QUOTA_STATUSES,
        )
        .exclude(pk=cultivation.pk)
        .count()
    )


def _check_agreement_quota(cultivation: JointCultivation) -> None:
    lineage = agreement_lineage_ids(cultivation.agreement)
    locked = list(
        AgreementQuota.objects.select_for_update()
        .filter(agreement_id__in=lineage, year=cultivation.quota_year)
        .order_by("pk")
    )
    quota = next((q for q in locked if q.agreement_id == cultivation.agreement_id), None)
    if quota is None:
        raise field_error(
            "quota_year",
            _("The agreement sets no quota of joint trainees for %(year)s.")
            % {"year": cultivation.quota_year},
        )
    if quota_used(cultivation) >= quota.max_trainees:
        raise field_error(
            "quota_year",
            _("The agreement's quota of %(max)s joint trainees for %(year)s is used up.")
            % {"max": quota.max_trainees, "year": cultivation.quota_year},
        )


@transaction.atomic
def cultivation_approve(
    *, actor: User, cultivation: JointCultivation, institution: Any = None, reason: str = ""
) -> JointCultivation:
    """Approve a proposal for the home or the host. When both have approved, the cultivation is
    approved and takes a place in the agreement's yearly quota."""
    cultivation = lock_cultivation(cultivation)
    sides = permissions.coordinated_sides(actor, cultivation)
    if not sides:
        raise PermissionDenied(
            _("Only a coordinator of the home or the host institution can approve.")
        )
    if cultivation.status != CultivationStatus.PROPOSED:
        raise ValidationError(_("This joint cultivation is not awaiting approval."))
    approved = permissions.approved_institution_ids(cultivation)
    if institution in (None, ""):
        pending = sides - approved
        if not pending:
            raise field_error("institution", _("Your institution has already approved."))
        institution_id = (
            cultivation.home_id if cultivation.home_id in pending else cultivation.host_id
        )
    else:
        try:
            institution_id = int(getattr(institution, "pk", institution))
        except (TypeError, ValueError):
            raise field_error("institution", _("Choose the home or the host.")) from None
        if institution_id not in permissions.side_ids(cultivation):
            raise field_error("institution", _("Choose the home or the host."))
        if institution_id not in sides:
            raise PermissionDenied(_("You can only approve for an institution you coordinate."))
        if institution_id in approved:
            raise field_error("institution", _("This institution has already approved."))
    before = snapshot(cultivation, ("status",))
    if approved | {institution_id} >= permissions.side_ids(cultivation):
        _check_agreement_quota(cultivation)
        cultivation.status = CultivationStatus.APPROVED
        cultivation.full_clean()
        cultivation.save(update_fields=["status"])
    _record_decision(
        actor=actor,
        cultivation=cultivation,
        kind=DecisionKind.APPROVE,
        from_status=before["status"],
        institution_id=institution_id,
        reason=(reason or "").strip(),
    )
    changes = diff(before, snapshot(cultivation, ("status",)))
    changes["approved_for"] = [None, str(Institution.objects.get(pk=institution_id))]
    audit_record(
        actor=actor,
        action="cultivation.approve",
        target=cultivation,
        changes=changes,
        reason=(reason or "").strip(),
    )
    return cultivation


@transaction.atomic
def cultivation_decide(
    *,
    actor: User,
    cultivation: JointCultivation,
    action: str,
    reason: str = "",
    ground: str = "",
) -> JointCultivation:
    """Activate, suspend, resume, complete or terminate a joint cultivation.

    Completion and termination need both institutions: here one side's coordinator only asks,
    with a ground from the fixed list, and the other side confirms (`services_ending`).
    Suspension takes effect at once, for urgent reasons, and lapses unless the other side
    confirms it in time. Refusing a proposal (terminate while proposed) stays one side's call.

    Terminating ends the joint arrangement only: the trainee stays enrolled at the home
    institution. The current tutors' assignments end with the reason and stay in the pair's
    history; open tutor change requests are rejected."""
    # Here, not at the top: services_ending builds on this module (its transitions).
    from tandem.cultivation.services_ending import ending_request, withdraw_open_suspension

    if action not in permissions.TRANSITIONS:
        raise field_error("action", _("Unknown decision."))
    cultivation = lock_cultivation(cultivation)
    require_manager(
        actor,
        cultivation,
        _(
            "Only a coordinator of the home or the host, or a consortium admin, can decide on "
            "this joint cultivation."
        ),
    )
    starts, _target = permissions.TRANSITIONS[action]
    if cultivation.status not in starts:
        raise ValidationError(
            _("This decision cannot be taken while the joint cultivation is %(status)s.")
            % {"status": cultivation.get_status_display()}
        )
    if permissions.is_two_sided(action, cultivation):
        ending_request(
            actor=actor, cultivation=cultivation, kind=action, ground=ground, reason=reason
        )
        return lock_cultivation(cultivation)
    reason = (reason or "").strip()
    if action in permissions.ACTIONS_NEEDING_REASON and not reason:
        raise field_error("reason", _("Say why."))
    if action == "activate":
        pair = current_tutors(cultivation)
        if set(pair) != {TutorRole.EXPERIMENTAL, TutorRole.THEORETICAL}:
            raise ValidationError(
                _(
                    "Pair the tutors first: an active joint cultivation has one experimental "
                    "tutor (first in charge) and one theoretical tutor."
                )
            )
        # Activation starts the stay at the host: the agreement may require insurance first.
        check_stay_insurance(cultivation)
    if action == "resume":
        # Resuming lets the host stay in effect go on: the agreement may require insurance.
        check_resumed_stay_insurance(cultivation)
        withdraw_open_suspension(actor=actor, cultivation=cultivation)
    apply_transition(
        actor=actor,
        cultivation=cultivation,
        action=action,
        reason=reason,
        institution_id=acting_institution(actor, cultivation),
    )
    return cultivation


def apply_transition(
    *,
    actor: User | None,
    cultivation: JointCultivation,
    action: str,
    reason: str,
    institution_id: int | None,
    decided_by: User | None = None,
) -> None:
    """Change the status as `action` says, with its decision and audit row (the caller has
    locked the cultivation and checked who may)."""
    # Here, not at the top: services_tutor builds on this module (its pair rules, its audit).
    from tandem.cultivation.services_tutor import end_pair, reject_open_changes

    _starts, target = permissions.TRANSITIONS[action]
    before = snapshot(cultivation, ("status",))
    cultivation.status = target
    cultivation.full_clean()
    cultivation.save(update_fields=["status"])
    kind = {
        "activate": DecisionKind.ACTIVATE,
        "suspend": DecisionKind.SUSPEND,
        "resume": DecisionKind.RESUME,
        "complete": DecisionKind.COMPLETE,
        "terminate": DecisionKind.TERMINATE,
    }[action]
    if action == "terminate" and before["status"] == CultivationStatus.PROPOSED:
        kind = DecisionKind.REJECT
    _record_decision(
        actor=cast(User, decided_by or actor),
        cultivation=cultivation,
        kind=kind,
        from_status=before["status"],
        institution_id=institution_id,
        reason=reason,
    )
    if action == "terminate":
        end_pair(actor=actor, cultivation=cultivation, reason=reason)  # type: ignore[arg-type]
        reject_open_changes(cultivation=cultivation, reason=reason)
    audit_record(
        actor=actor,
        action=f"cultivation.{action}",
        target=cultivation,
        changes=diff(before, snapshot(cultivation, ("status",))),
        reason=reason,
    )
