"""Every write about training plans: starting a plan, writing a draft version, signing it,
revising a signed plan, and submitting and reviewing milestones.

Each service locks the plan row, so that two tutors signing at the same moment cannot both
believe they were first, checks who may act, validates the whole input before writing, and
records one audit event in its transaction. The reason of a health-related change never goes
into the audit trail: it lives in a ConfidentialNote only.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.audit_labels import choice, generated
from tandem.core.errors import field_error
from tandem.core.numbers import format_number
from tandem.cultivation.models import JointCultivation, TutorRole
from tandem.institutions.models import Institution
from tandem.plans import permissions
from tandem.plans.models import (
    ConfidentialNote,
    CourseKind,
    MilestoneKind,
    MilestoneWindow,
    PlanCourse,
    PlanMilestone,
    PlanSignature,
    PlanVersion,
    ReasonKind,
    TrainingPlan,
    VersionStatus,
)
from tandem.plans.rules import PERSONAL_REASONS, credit_requirement

REQUIRED_MILESTONES = (
    MilestoneKind.PROPOSAL,
    MilestoneKind.MID_TERM,
    MilestoneKind.THESIS_SUBMISSION,
    MilestoneKind.DEFENCE,
)


def _lock_plan(plan: TrainingPlan) -> TrainingPlan:
    return (
        TrainingPlan.objects.select_for_update()
        .select_related("cultivation", "cultivation__trainee")
        .get(pk=plan.pk)
    )


def _open_version(version: PlanVersion) -> PlanVersion:
    """Lock the plan, re-read the version and check it can still change."""
    plan = _lock_plan(version.plan)
    version = PlanVersion.objects.get(pk=version.pk)
    version.plan = plan
    if not version.is_open:
        raise ValidationError(_("A signed version is frozen; revise the plan instead."))
    return version


def _require_writer(actor: User, cultivation: JointCultivation) -> None:
    permissions.forget(cultivation)
    if not permissions.can_write_plan(actor, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors write the plan."))


def _unsign(version: PlanVersion) -> list[str]:
    """A change to the content withdraws the signatures already given: both tutors must sign
    the same text."""
    withdrawn = [str(s.tutor) for s in version.signatures.select_related("tutor")]
    version.signatures.all().delete()
    if version.status != VersionStatus.DRAFT:
        version.status = VersionStatus.DRAFT
        version.save(update_fields=["status"])
    return withdrawn


def _audit_plan(actor: User, plan: TrainingPlan, action: str, changes: dict, **kw: Any) -> None:
    audit_record(actor=actor, action=action, target=plan, changes=changes, **kw)


@transaction.atomic
def plan_start(*, actor: User, cultivation: JointCultivation) -> TrainingPlan:
    """Open the plan of a joint cultivation with a first, empty draft version."""
    _require_writer(actor, cultivation)
    if TrainingPlan.objects.filter(cultivation=cultivation).exists():
        raise ValidationError(_("This joint cultivation already has a training plan."))
    plan = TrainingPlan(cultivation=cultivation, created_by=actor)
    plan.full_clean(exclude=["current_version"])
    plan.save()
    version = PlanVersion(
        plan=plan,
        number=1,
        research_topic=cultivation.research_topic,
        created_by=actor,
        reason_kind=ReasonKind.INITIAL,
    )
    version.full_clean()
    version.save()
    _audit_plan(
        actor,
        plan,
        "plan.start",
        {"version": [None, 1], "research_topic": [None, version.research_topic]},
    )
    return plan


@transaction.atomic
def plan_version_update(*, actor: User, version: PlanVersion, research_topic: str) -> PlanVersion:
    """Change the research topic of the open version."""
    version = _open_version(version)
    _require_writer(actor, version.plan.cultivation)
    before = snapshot(version, ("research_topic",))
    version.research_topic = (research_topic or "").strip()
    if not version.research_topic:
        raise field_error("research_topic", _("Give the research topic."))
    version.full_clean()
    version.save(update_fields=["research_topic"])
    changes = diff(before, snapshot(version, ("research_topic",)))
    if changes:
        withdrawn = _unsign(version)
        if withdrawn:
            changes["signatures_withdrawn"] = [withdrawn, []]
        _audit_plan(actor, version.plan, "plan.update", changes)
    return version


def _credits(value: Any) -> Decimal:
    try:
        credits = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise field_error("credits", _("Give the credits as a number, e.g. 2 or 1.5.")) from None
    if not credits.is_finite() or credits <= 0 or credits > 100:
        raise field_error("credits", _("Credits must be more than 0 and at most 100."))
    if credits != credits.quantize(Decimal("0.1")):
        raise field_error("credits", _("Credits have at most one decimal place."))
    return credits


@transaction.atomic
def plan_course_add(
    *,
    actor: User,
    version: PlanVersion,
    title: str,
    credits: Any,
    kind: str,
    institution: Institution | None,
    term: str = "",
) -> PlanCourse:
    version = _open_version(version)
    cultivation = version.plan.cultivation
    _require_writer(actor, cultivation)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the course title.")]
    elif version.courses.filter(title=title).exists():
        errors["title"] = [_("This course is already in the plan.")]
    if kind not in CourseKind.values:
        errors["kind"] = [_("Choose compulsory or elective.")]
    if institution is None or institution.pk not in (cultivation.home_id, cultivation.host_id):
        errors["institution"] = [_("A course is taught at the home or the host institution.")]
    try:
        amount = _credits(credits)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    course = PlanCourse(
        version=version,
        title=title,
        credits=amount,
        kind=kind,
        institution=institution,
        term=(term or "").strip(),
    )
    course.full_clean()
    course.save()
    changes: dict[str, Any] = {"courses": [None, f"{course.title} ({course.credits})"]}
    withdrawn = _unsign(version)
    if withdrawn:
        changes["signatures_withdrawn"] = [withdrawn, []]
    _audit_plan(actor, version.plan, "plan.course_add", changes)
    return course


@transaction.atomic
def plan_course_remove(*, actor: User, version: PlanVersion, course: PlanCourse) -> PlanVersion:
    version = _open_version(version)
    _require_writer(actor, version.plan.cultivation)
    if course.version_id != version.pk:
        raise field_error("course", _("This course is not in the open version."))
    label = f"{course.title} ({course.credits})"
    course.delete()
    changes: dict[str, Any] = {"courses": [label, None]}
    withdrawn = _unsign(version)
    if withdrawn:
        changes["signatures_withdrawn"] = [withdrawn, []]
    _audit_plan(actor, version.plan, "plan.course_remove", changes)
    return version


def _check_window(
    cultivation: JointCultivation, earliest: Any, latest: Any
) -> tuple[datetime.date, datetime.date]:
    errors: dict[str, list[str]] = {}
    start, end = cultivation.planned_start, cultivation.planned_end
    outside = _(
        "The date must lie within the joint cultivation's planned period (%(start)s – %(end)s)."
    ) % {"start": start.isoformat(), "end": end.isoformat()}
    for name, value in (("earliest", earliest), ("latest", latest)):
        if not isinstance(value, datetime.date):
            errors[name] = [_("Give a date.")]
        elif not start <= value <= end:
            errors[name] = [outside]
    if not errors and earliest > latest:
        errors["latest"] = [_("The latest date cannot be before the earliest date.")]
    if errors:
        raise ValidationError(errors)
    return earliest, latest


@transaction.atomic
def plan_milestone_add(
    *,
    actor: User,
    version: PlanVersion,
    kind: str,
    title: str,
    earliest: datetime.date,
    latest: datetime.date,
) -> PlanMilestone:
    """Add a milestone with its window to the open version (and so to the plan)."""
    version = _open_version(version)
    plan = version.plan
    _require_writer(actor, plan.cultivation)
    errors: dict[str, list[str]] = {}
    if kind not in MilestoneKind.values:
        errors["kind"] = [_("Choose the kind of milestone.")]
    # A standard milestone without its own wording stores none: it reads as its kind, in the
    # reader's language (PlanMilestone.title).
    title = (title or "").strip()
    if kind != MilestoneKind.OTHER and plan.milestones.filter(kind=kind).exists():
        errors["kind"] = [_("The plan already has this milestone; change its window instead.")]
    try:
        earliest, latest = _check_window(plan.cultivation, earliest, latest)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    base = slugify(kind if kind != MilestoneKind.OTHER else title)[:30] or "milestone"
    key, n = base, 1
    while plan.milestones.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    milestone = PlanMilestone(plan=plan, key=key, kind=kind, custom_title=title)
    milestone.full_clean()
    milestone.save()
    window = MilestoneWindow(version=version, milestone=milestone, earliest=earliest, latest=latest)
    window.full_clean()
    window.save()
    changes: dict[str, Any] = {
        "milestones": [
            None,
            generated(
                "plan.milestone_window",
                {
                    "milestone": title or choice("milestone_kind", kind),
                    "earliest": earliest.isoformat(),
                    "latest": latest.isoformat(),
                },
            ),
        ]
    }
    withdrawn = _unsign(version)
    if withdrawn:
        changes["signatures_withdrawn"] = [withdrawn, []]
    _audit_plan(actor, plan, "plan.milestone_add", changes)
    return milestone


@transaction.atomic
def plan_milestone_window_set(
    *,
    actor: User,
    version: PlanVersion,
    milestone: PlanMilestone,
    earliest: datetime.date,
    latest: datetime.date,
) -> MilestoneWindow:
    """Set a milestone's window in the open version; it is in force once the version is."""
    version = _open_version(version)
    plan = version.plan
    _require_writer(actor, plan.cultivation)
    if milestone.plan_id != plan.pk:
        raise field_error("milestone", _("This milestone belongs to another plan."))
    earliest, latest = _check_window(plan.cultivation, earliest, latest)
    window = MilestoneWindow.objects.filter(version=version, milestone=milestone).first()
    before = f"{window.earliest} – {window.latest}" if window else None
    if window is None:
        window = MilestoneWindow(version=version, milestone=milestone)
    window.earliest, window.latest = earliest, latest
    window.full_clean()
    window.save()
    after = f"{earliest} – {latest}"
    if before != after:
        changes: dict[str, Any] = {f"window {milestone.title}": [before, after]}
        withdrawn = _unsign(version)
        if withdrawn:
            changes["signatures_withdrawn"] = [withdrawn, []]
        _audit_plan(actor, plan, "plan.milestone_window", changes)
    return window


def version_credits(version: PlanVersion) -> Decimal:
    return version.courses.aggregate(total=Sum("credits"))["total"] or Decimal("0")


def _check_complete(version: PlanVersion) -> None:
    """What a version must have before a tutor signs it; every problem names its field."""
    errors: dict[str, list[str]] = {}
    cultivation = version.plan.cultivation
    if not version.research_topic.strip():
        errors["research_topic"] = [_("Give the research topic before signing.")]
    profile = getattr(cultivation.trainee, "trainee_profile", None)
    required = credit_requirement(profile.kind) if profile is not None else None
    total = version_credits(version)
    if required is None:
        errors["credits"] = [
            _("The trainee's degree is not recorded, so the credit requirement cannot be checked.")
        ]
    elif total < required:
        errors["credits"] = [
            _("The courses total %(total)s credits; the %(degree)s requires at least %(required)s.")
            % {
                "total": format_number(total),
                "required": format_number(required),
                "degree": profile.get_kind_display(),  # type: ignore[union-attr]
            }
        ]
    present = set(version.windows.values_list("milestone__kind", flat=True))
    missing = [str(MilestoneKind(k).label) for k in REQUIRED_MILESTONES if k not in present]
    if missing:
        errors["milestones"] = [_("Missing milestones: %(names)s.") % {"names": ", ".join(missing)}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_version_sign(*, actor: User, version: PlanVersion) -> PlanVersion:
    """A current tutor signs the open version for their place in the pair. When both have
    signed, the version is in force and its milestone windows apply."""
    version = _open_version(version)
    plan = version.plan
    cultivation = plan.cultivation
    if not permissions.tutor_roles_of(actor, cultivation):
        raise PermissionDenied(_("Only the two current tutors sign the plan."))
    unsigned = permissions.roles_user_may_sign_for(actor, version)
    if not unsigned:
        raise ValidationError(_("You have already signed this version."))
    role = sorted(unsigned)[0]
    _check_complete(version)
    before = snapshot(version, ("status", "signed_at"))
    signature = PlanSignature(version=version, tutor=actor, role=role)
    signature.full_clean()
    signature.save()
    signed_roles = set(version.signatures.values_list("role", flat=True))
    if signed_roles >= {TutorRole.EXPERIMENTAL, TutorRole.THEORETICAL}:
        version.status = VersionStatus.SIGNED
        version.signed_at = timezone.now()
        plan.current_version = version
        plan.save(update_fields=["current_version"])
        for window in version.windows.select_related("milestone"):
            milestone = window.milestone
            milestone.earliest, milestone.latest = window.earliest, window.latest
            milestone.full_clean()
            milestone.save(update_fields=["earliest", "latest"])
    else:
        version.status = VersionStatus.AWAITING
    version.full_clean()
    version.save(update_fields=["status", "signed_at"])
    changes = diff(before, snapshot(version, ("status", "signed_at")))
    changes["signed_by"] = [
        None,
        generated("person_in_role", {"person": str(actor), "role": choice("tutor_role", role)}),
    ]
    _audit_plan(actor, plan, "plan.sign", changes)
    return version


@transaction.atomic
def plan_revise(
    *, actor: User, plan: TrainingPlan, reason: str, reason_kind: str = ReasonKind.ORDINARY
) -> PlanVersion:
    """Open a new draft version copied from the version in force. The reason of a health-related
    change is kept in a confidential note; everyone else reads "adjusted for personal reasons"."""
    plan = _lock_plan(plan)
    _require_writer(actor, plan.cultivation)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the plan changes.")]
    if reason_kind not in (ReasonKind.ORDINARY, ReasonKind.HEALTH):
        errors["reason_kind"] = [_("Choose an ordinary or a health-related change.")]
    if errors:
        raise ValidationError(errors)
    if plan.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.AWAITING]).exists():
        raise ValidationError(_("A new version is already open; change that one."))
    source = plan.current_version
    if source is None:
        raise ValidationError(_("The plan has not been signed yet; change the draft instead."))
    health = reason_kind == ReasonKind.HEALTH
    version = PlanVersion(
        plan=plan,
        number=plan.versions.count() + 1,
        research_topic=source.research_topic,
        reason_kind=reason_kind,
        change_reason="" if health else reason,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    if health:
        note = ConfidentialNote(version=version, text=reason, created_by=actor)
        note.full_clean()
        note.save()
    PlanCourse.objects.bulk_create(
        PlanCourse(
            version=version,
            title=c.title,
            credits=c.credits,
            kind=c.kind,
            institution_id=c.institution_id,
            term=c.term,
        )
        for c in source.courses.all()
    )
    MilestoneWindow.objects.bulk_create(
        MilestoneWindow(
            version=version, milestone_id=w.milestone_id, earliest=w.earliest, latest=w.latest
        )
        for w in source.windows.all()
    )
    _audit_plan(
        actor,
        plan,
        "plan.revise",
        {"version": [source.number, version.number], "reason_kind": [None, reason_kind]},
        reason=str(PERSONAL_REASONS) if health else reason,
    )
    return version
