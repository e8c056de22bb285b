"""Every write of the teachers' data: the base's qualification policy, teacher profiles,
teacher-training records, development plans and their review, and the responsible teacher of a
stint — refused, with the reason, for an unqualified teacher or one at their limit of
residents at once.

Each service checks its predicate, validates the whole input before writing, and records its
audit events in its own transaction.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.assessments.services import assessment_teacher_follow
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.core.uploads import upload_check
from tandem.faculty import permissions, selectors, texts
from tandem.faculty.models import (
    DevelopmentPlan,
    GoalStatus,
    PlanGoal,
    PlanStatus,
    ResponsibleTeacher,
    TeacherPolicy,
    TeacherProfile,
    Tier,
    Title,
    TrainingLevel,
    TrainingRecord,
)
from tandem.faculty.qualification import Reason, peak_load, reasons_not_qualified
from tandem.institutions.models import Unit
from tandem.residency.models import CohortMember, Department

PROFILE_FIELDS = (
    "title",
    "attending_since",
    "certificate_number",
    "certificate_issued_on",
    "certificate_expires_on",
    "tier",
    "is_active",
)
MAX_LIMIT = 20

_POLICY_FIELDS = (
    "min_attending_years",
    "certificate_required",
    "max_residents_general",
    "max_residents_key",
)


# --------------------------------------------------------------------------- policy


@transaction.atomic
def policy_set(
    *,
    actor: User,
    base: Unit,
    min_attending_years: int,
    certificate_required: bool,
    max_residents_general: int,
    max_residents_key: int,
) -> TeacherPolicy:
    if not permissions.can_manage_base(actor, base):
        raise PermissionDenied(_("Only the training office or the base's director sets the rule."))
    errors: dict[str, list[str]] = {}
    if not 0 <= int(min_attending_years) <= 40:
        errors["min_attending_years"] = [_("Give between 0 and 40 years.")]
    for name, value in (
        ("max_residents_general", max_residents_general),
        ("max_residents_key", max_residents_key),
    ):
        if not 1 <= int(value) <= MAX_LIMIT:
            errors[name] = [_("Give between 1 and %(max)s residents at once.") % {"max": MAX_LIMIT}]
    if errors:
        raise ValidationError(errors)
    row = TeacherPolicy.objects.select_for_update().filter(base=base).first()
    before = snapshot(row, _POLICY_FIELDS) if row else {}
    row = row or TeacherPolicy(base=base)
    row.min_attending_years = int(min_attending_years)
    row.certificate_required = bool(certificate_required)
    row.max_residents_general = int(max_residents_general)
    row.max_residents_key = int(max_residents_key)
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="faculty_policy.set",
        target=row,
        changes=diff(before, snapshot(row, _POLICY_FIELDS)),
    )
    return row


# --------------------------------------------------------------------------- profiles


def _profile_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values.get("title") not in Title.values:
        errors["title"] = [_("Choose the professional title.")]
    if values.get("tier") not in Tier.values:
        errors["tier"] = [_("Choose the tier: general teacher or key faculty.")]
    issued, expires = values.get("certificate_issued_on"), values.get("certificate_expires_on")
    if issued and expires and expires < issued:
        errors["certificate_expires_on"] = [_("The certificate cannot expire before it is issued.")]
    since = values.get("attending_since")
    if since and since > timezone.localdate():
        errors["attending_since"] = [_("The date as attending physician cannot be in the future.")]
    if (issued or expires) and not (values.get("certificate_number") or "").strip():
        errors["certificate_number"] = [_("Give the certificate's number with its dates.")]
    return errors


@transaction.atomic
def profile_create(
    *,
    actor: User,
    base: Unit,
    teacher: User | None,
    title: str,
    attending_since: datetime.date | None = None,
    certificate_number: str = "",
    certificate_issued_on: datetime.date | None = None,
    certificate_expires_on: datetime.date | None = None,
    tier: str = Tier.GENERAL,
    is_active: bool = True,
) -> TeacherProfile:
    if not permissions.can_manage_base(actor, base):
        raise PermissionDenied(_("Only the training office or the base's director keeps profiles."))
    values = {
        "title": title,
        "attending_since": attending_since,
        "certificate_number": (certificate_number or "").strip(),
        "certificate_issued_on": certificate_issued_on,
        "certificate_expires_on": certificate_expires_on,
        "tier": tier,
        "is_active": bool(is_active),
    }
    errors = _profile_errors(values)
    if teacher is None or not selectors.profile_candidates(base).filter(pk=teacher.pk).exists():
        errors["teacher"] = [_("Choose a teacher of this base's hospital.")]
    elif TeacherProfile.objects.filter(teacher=teacher, base=base).exists():
        errors["teacher"] = [_("This teacher already has a profile at this base.")]
    if errors:
        raise ValidationError(errors)
    profile = TeacherProfile(teacher=teacher, base=base, **values)
    profile.full_clean()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise field_error(
            "teacher", _("This teacher already has a profile at this base.")
        ) from None
    audit_record(
        actor=actor,
        action="faculty_profile.create",
        target=profile,
        changes={"teacher": [None, teacher], "base": [None, base]}
        | diff({}, snapshot(profile, PROFILE_FIELDS)),
    )
    return profile


@transaction.atomic
def certificate_upload(*, actor: User, profile: TeacherProfile, file: Any) -> TeacherProfile:
    """Keep a scan of the teacher-training certificate (a PDF, image or office document), in
    place of an earlier one."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("Only the training office or the base's director keeps profiles."))
    name = upload_check(file, field="certificate_file")
    profile = TeacherProfile.objects.select_for_update().get(pk=profile.pk)
    replaced = profile.certificate_file.name or None
    profile.certificate_file.save(name.rsplit("/", 1)[-1], file, save=True)
    audit_record(
        actor=actor,
        action="faculty_profile.certificate",
        target=profile,
        changes={"certificate_file": [replaced and replaced.rsplit("/", 1)[-1], name]},
    )
    return profile


@transaction.atomic
def profile_update(*, actor: User, profile: TeacherProfile, **changes: Any) -> TeacherProfile:
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("Only the training office or the base's director keeps profiles."))
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    profile = TeacherProfile.objects.select_for_update().get(pk=profile.pk)
    before = snapshot(profile, PROFILE_FIELDS)
    values = {name: getattr(profile, name) for name in PROFILE_FIELDS} | changes
    values["certificate_number"] = (values.get("certificate_number") or "").strip()
    errors = _profile_errors(values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    changed = diff(before, snapshot(profile, PROFILE_FIELDS))
    if changed:
        audit_record(actor=actor, action="faculty_profile.change", target=profile, changes=changed)
    return profile


# --------------------------------------------------------------------------- training


@transaction.atomic
def training_record(
    *,
    actor: User,
    profile: TeacherProfile,
    course: str,
    hours: Any,
    level: str,
    date: datetime.date | None,
    certificate: str = "",
) -> TrainingRecord:
    if not permissions.can_record_training(actor, profile):
        raise PermissionDenied(_("Only the teacher and the base's managers record training."))
    errors: dict[str, list[str]] = {}
    course = (course or "").strip()
    if not course:
        errors["course"] = [_("Name the course.")]
    try:
        hours_value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        hours_value = Decimal(0)
    if not Decimal("0") < hours_value <= Decimal("1000"):
        errors["hours"] = [_("Give the hours: more than 0, at most 1000.")]
    if level not in TrainingLevel.values:
        errors["level"] = [_("Choose the level: hospital, provincial or national.")]
    if date is None:
        errors["date"] = [_("Give the date of the course.")]
    elif date > timezone.localdate():
        errors["date"] = [_("Record a course once it has taken place.")]
    if errors or date is None:
        raise ValidationError(errors)
    record = TrainingRecord(
        profile=profile,
        course=course,
        hours=hours_value.quantize(Decimal("0.1")),
        level=level,
        date=date,
        certificate=(certificate or "").strip(),
        created_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="faculty_training.record",
        target=record,
        changes={
            "profile": [None, profile],
            "course": [None, course],
            "hours": [None, record.hours],
            "level": [None, level],
            "date": [None, date],
        },
    )
    return record


# --------------------------------------------------------------------------- plans


@transaction.atomic
def plan_start(*, actor: User, profile: TeacherProfile, year: int) -> DevelopmentPlan:
    if not permissions.can_start_plan(actor, profile):
        raise PermissionDenied(_("A teacher writes their own development plan."))
    this_year = timezone.localdate().year
    if not this_year - 1 <= int(year) <= this_year + 1:
        raise field_error(
            "year",
            _("Plan for last year, this year or next year (%(year)s).") % {"year": this_year},
        )
    if DevelopmentPlan.objects.filter(profile=profile, year=year).exists():
        raise field_error("year", _("There is already a plan for this year."))
    plan = DevelopmentPlan(profile=profile, year=int(year))
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise field_error("year", _("There is already a plan for this year.")) from None
    audit_record(
        actor=actor,
        action="faculty_plan.start",
        target=plan,
        changes={"profile": [None, profile], "year": [None, plan.year]},
    )
    return plan


def _lock_plan(plan: DevelopmentPlan) -> DevelopmentPlan:
    return (
        DevelopmentPlan.objects.select_for_update()
        .select_related("profile", "profile__base", "profile__teacher")
        .get(pk=plan.pk)
    )


def _goal_errors(text: str, target: str, status: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Write the goal.")]
    elif len(text) > 300:
        errors["text"] = [_("Keep the goal under 300 characters.")]
    if len(target) > 200:
        errors["target"] = [_("Keep the target under 200 characters.")]
    if status not in GoalStatus.values:
        errors["status"] = [_("Choose the goal's status.")]
    return errors


@transaction.atomic
def goal_add(*, actor: User, plan: DevelopmentPlan, text: str, target: str = "") -> PlanGoal:
    plan = _lock_plan(plan)
    if not permissions.can_write_plan(actor, plan):
        raise PermissionDenied(_("The teacher writes the goals until the plan is reviewed."))
    text, target = (text or "").strip(), (target or "").strip()
    errors = _goal_errors(text, target, GoalStatus.PLANNED)
    if errors:
        raise ValidationError(errors)
    goal = PlanGoal(plan=plan, text=text, target=target)
    goal.full_clean()
    goal.save()
    audit_record(
        actor=actor,
        action="faculty_goal.add",
        target=plan,
        changes={"goal": [None, text], "target": [None, target]},
    )
    return goal


@transaction.atomic
def goal_update(
    *, actor: User, goal: PlanGoal, text: str, target: str = "", status: str = GoalStatus.PLANNED
) -> PlanGoal:
    plan = _lock_plan(goal.plan)
    if not permissions.can_write_plan(actor, plan):
        raise PermissionDenied(_("The teacher writes the goals until the plan is reviewed."))
    text, target = (text or "").strip(), (target or "").strip()
    errors = _goal_errors(text, target, status)
    if errors:
        raise ValidationError(errors)
    goal = PlanGoal.objects.get(pk=goal.pk)
    before = {"goal": goal.text, "target": goal.target, "goal_status": goal.status}
    goal.text, goal.target, goal.status = text, target, status
    goal.full_clean()
    goal.save()
    changed = diff(before, {"goal": text, "target": target, "goal_status": status})
    if changed:
        audit_record(actor=actor, action="faculty_goal.change", target=plan, changes=changed)
    return goal


@transaction.atomic
def plan_submit(*, actor: User, plan: DevelopmentPlan) -> DevelopmentPlan:
    plan = _lock_plan(plan)
    if not permissions.can_write_plan(actor, plan) or plan.status != PlanStatus.DRAFT:
        raise PermissionDenied(_("The teacher submits their own draft plan."))
    if not plan.goals.exists():
        raise field_error("goals", _("Add at least one goal before submitting the plan."))
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="faculty_plan.submit",
        target=plan,
        changes={"status": [PlanStatus.DRAFT, PlanStatus.SUBMITTED]},
    )
    return plan


@transaction.atomic
def plan_review(
    *,
    actor: User,
    plan: DevelopmentPlan,
    note: str,
    goals: dict[int, tuple[str, str]] | None = None,
) -> DevelopmentPlan:
    """The base's coordinator reviews a submitted plan: a note for the plan and, per goal id,
    its status and a review note."""
    plan = _lock_plan(plan)
    if not permissions.can_review_plan(actor, plan):
        raise PermissionDenied(_("The base's coordinator reviews a submitted plan."))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not note:
        errors["note"] = [_("Write the review note.")]
    owned = {goal.pk: goal for goal in plan.goals.all()}
    for goal_id, (status, goal_note) in (goals or {}).items():
        if goal_id not in owned:
            errors["goals"] = [_("Review only the goals of this plan.")]
        elif status not in GoalStatus.values:
            errors["goals"] = [_("Choose each goal's status.")]
        elif len(goal_note or "") > 500:
            errors["goals"] = [_("Keep each goal's review note under 500 characters.")]
    if errors:
        raise ValidationError(errors)
    for goal_id, (status, goal_note) in (goals or {}).items():
        goal = owned[goal_id]
        goal.status, goal.review_note = status, (goal_note or "").strip()
        goal.save(update_fields=["status", "review_note"])
    plan.status = PlanStatus.REVIEWED
    plan.review_note = note
    plan.reviewed_by = actor
    plan.reviewed_at = timezone.now()
    plan.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action="faculty_plan.review",
        target=plan,
        changes={"status": [PlanStatus.SUBMITTED, PlanStatus.REVIEWED], "note": [None, note]},
    )
    return plan


# --------------------------------------------------------------------------- responsible teacher


def qualification_reasons(
    profile: TeacherProfile | None, days: list[datetime.date]
) -> list[Reason]:
    """Why the teacher is not qualified on one of `days` (the conditions are intervals of
    time, so checking the first and the last day of an assignment covers it), each once."""
    if profile is None:
        return [Reason("no_profile")]
    policy = selectors.policy_of(selectors.policy_row(profile.base))
    found: dict[str, Reason] = {}
    for day in days:
        for reason in reasons_not_qualified(selectors.facts_of(profile), policy, day):
            found.setdefault(reason.code, reason)
    return list(found.values())


@transaction.atomic
def responsible_assign(
    *,
    actor: User,
    member: CohortMember | None,
    department: Department,
    teacher: User | None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> ResponsibleTeacher:
    """Make `teacher` responsible for the resident's stint in `department` from `starts_on` to
    `ends_on` (default: the whole stint). Refused with the reasons for an unqualified teacher
    and for one already responsible for their limit of residents at once on some day."""
    if not permissions.can_assign_in(actor, department):
        raise PermissionDenied(
            _("Only the training office or the base's director assigns responsible teachers.")
        )
    if member is None:
        raise field_error("member", _("Choose a resident who rotates at this base."))
    if teacher is None:
        raise field_error("teacher", _("Choose a teacher of this base."))
    day = starts_on or timezone.localdate()
    stint = selectors.stint_of(member, department, day)
    if stint is None:
        raise field_error(
            "starts_on",
            _("%(resident)s does not rotate in %(department)s on %(day)s.")
            % {"resident": member.resident, "department": department, "day": day.isoformat()},
        )
    starts_on = starts_on or stint.start
    ends_on = ends_on or stint.end
    if ends_on < starts_on:
        raise field_error("ends_on", _("The end comes before the start."))
    if ends_on > stint.end:
        raise field_error(
            "ends_on",
            _("The rotation in %(department)s ends on %(end)s.")
            % {"department": department, "end": stint.end.isoformat()},
        )
    if teacher.pk == member.resident_id:
        raise field_error("teacher", _("A resident cannot be their own responsible teacher."))
    # Lock every profile of the teacher: two assignments of the same teacher at once wait for
    # each other here, so the second counts the first (the limit holds under concurrency).
    profiles = list(
        TeacherProfile.objects.select_for_update()
        .filter(teacher=teacher)
        .select_related("base")
        .order_by("pk")
    )
    profile = next((p for p in profiles if p.base_id == department.base_id), None)
    reasons = qualification_reasons(profile, [starts_on, ends_on])
    if reasons:
        raise ValidationError({"teacher": [texts.reason_text(reason) for reason in reasons]})
    assert profile is not None
    live = selectors.live_assignments()
    same_stint = (
        live.filter(
            member=member,
            department=department,
            stint_start=stint.start,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        )
        .order_by("starts_on")
        .first()
    )
    if same_stint is not None:
        raise field_error(
            "starts_on",
            _(
                "This rotation already has a responsible teacher from %(start)s to %(end)s: "
                "end that assignment first."
            )
            % {"start": same_stint.starts_on.isoformat(), "end": same_stint.ends_on.isoformat()},
        )
    intervals = list(
        live.filter(teacher=teacher, starts_on__lte=ends_on, ends_on__gte=starts_on).values_list(
            "starts_on", "ends_on"
        )
    )
    limit = selectors.policy_of(selectors.policy_row(profile.base)).max_residents(profile.tier)
    peak = peak_load(intervals, starts_on, ends_on)
    if peak.count >= limit:
        raise field_error("teacher", texts.at_limit_text(peak, limit))
    assignment = ResponsibleTeacher(
        member=member,
        resident_id=member.resident_id,
        department=department,
        stint_start=stint.start,
        teacher=teacher,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    assignment.full_clean(exclude=["member", "resident", "department", "teacher", "created_by"])
    assignment.save()
    assessment_teacher_follow(
        member_id=member.pk, department_id=department.pk, start=stint.start, teacher_id=teacher.pk
    )
    audit_record(
        actor=actor,
        action="faculty_responsible.assign",
        target=assignment,
        changes={
            "resident": [None, member.resident],
            "department": [None, department],
            "teacher": [None, teacher],
            "starts_on": [None, starts_on],
            "ends_on": [None, ends_on],
        },
    )
    params = {
        "resident": str(member.resident),
        "teacher": str(teacher),
        "department": department.name,
        "department_zh": department.name_zh,
        "start": starts_on.isoformat(),
        "end": ends_on.isoformat(),
    }
    notification_send(
        users=[teacher.pk],
        kind=NotificationKind.RESPONSIBLE_TEACHER,
        params={**params, "role": "teacher"},
        url=reverse("faculty:profile_detail", kwargs={"pk": profile.pk}),
    )
    notification_send(
        users=[member.resident_id],
        kind=NotificationKind.RESPONSIBLE_TEACHER,
        params={**params, "role": "resident"},
        url=reverse("residency:home"),
    )
    return assignment


@transaction.atomic
def responsible_end(
    *, actor: User, assignment: ResponsibleTeacher, reason: str = ""
) -> ResponsibleTeacher:
    """Remove an assignment (a wrong one, or a teacher who leaves): the stint's open
    assessment follows the stint's remaining assignment, if any."""
    assignment = (
        ResponsibleTeacher.objects.select_for_update()
        .select_related("department__base")
        .get(pk=assignment.pk)
    )
    if not permissions.can_end_assignment(actor, assignment):
        raise PermissionDenied(
            _("Only the training office or the base's director removes responsible teachers.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the assignment is removed."))
    assignment.cancelled_at = timezone.now()
    assignment.save(update_fields=["cancelled_at"])
    remaining = (
        selectors.live_assignments()
        .filter(
            member_id=assignment.member_id,
            department_id=assignment.department_id,
            stint_start=assignment.stint_start,
        )
        .order_by("-starts_on", "-id")
        .first()
    )
    if remaining is not None:
        assessment_teacher_follow(
            member_id=assignment.member_id,
            department_id=assignment.department_id,
            start=assignment.stint_start,
            teacher_id=remaining.teacher_id,
        )
    audit_record(
        actor=actor,
        action="faculty_responsible.end",
        target=assignment,
        changes={"cancelled": [False, True]},
        reason=reason[:500],
    )
    return assignment
