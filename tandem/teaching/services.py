"""Every write of teaching activities: kinds per base, scheduling (one-off or recurring),
cancelling, the residents' sign-in with the rotating code, and the teacher's corrections.

Each service checks its predicate, validates the whole input before writing, and records its
audit events in its own transaction.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role, User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.evaluations.models import EvaluationTemplate, Relationship
from tandem.institutions.models import Institution, Unit
from tandem.residency.models import Department
from tandem.teaching import codes, permissions, rating, selectors, window
from tandem.teaching.models import (
    BUILT_IN_KINDS,
    Activity,
    ActivityKind,
    ActivitySeries,
    ActivityStatus,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    RatingForm,
)

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
MAX_INTERVAL_WEEKS = 12
MAX_OCCURRENCES = 60
MAX_REASON = 300
ACTIVITY_FIELDS = ("kind", "teacher", "topic", "place", "starts_at", "ends_at")


# --------------------------------------------------------------------------- kinds


def built_in_kinds_ensure() -> None:
    """Put back the built-in kinds as the data migration writes them (idempotent): a database
    flushed after migrating — a demo loaded by hand, a transactional test — has lost them."""
    for position, (code, name, name_zh) in enumerate(BUILT_IN_KINDS, start=1):
        ActivityKind.objects.update_or_create(
            base=None, code=code, defaults={"name": name, "name_zh": name_zh, "position": position}
        )


@transaction.atomic
def kind_add(*, actor: User, base: Unit, code: str, name: str, name_zh: str = "") -> ActivityKind:
    """A base's own kind of activity (the built-in kinds are offered everywhere)."""
    if not permissions.can_manage_base(actor, base):
        raise PermissionDenied(_("Only the training office or the base's director adds kinds."))
    code, name = (code or "").strip().lower(), (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the kind a name.")]
    if not code:
        errors["code"] = [_("Give the kind a short code.")]
    elif selectors.kinds_for_base(base.pk).filter(code=code).exists():
        errors["code"] = [_("This base already has a kind with this code.")]
    if errors:
        raise ValidationError(errors)
    kind = ActivityKind(base=base, code=code, name=name, name_zh=(name_zh or "").strip())
    kind.full_clean()
    kind.save()
    audit_record(
        actor=actor,
        action="teaching_kind.add",
        target=kind,
        changes={"base": [None, base], "code": [None, code], "name": [None, name]},
    )
    return kind


@transaction.atomic
def rating_form_set(
    *, actor: User, institution: Institution, template: EvaluationTemplate, due_days: int = 7
) -> RatingForm:
    """The anonymous form the hospital's residents rate its teaching activities with."""
    if not permissions.can_set_rating_form(actor, institution.pk):
        raise PermissionDenied(_("Only the hospital's training office chooses the rating form."))
    if (
        template.relationship != Relationship.TRAINEE_TUTOR
        or not template.is_anonymous
        or not template.is_current
        or template.retired_at is not None
        or template.institution_id not in (None, institution.pk)
    ):
        raise field_error(
            "template",
            _(
                "Choose a current anonymous template for “trainee evaluates each tutor” of "
                "this hospital or of the consortium."
            ),
        )
    if not 1 <= int(due_days) <= 60:
        raise field_error("due_days", _("Give between 1 and 60 days to rate."))
    form, _created = RatingForm.objects.update_or_create(
        institution=institution, defaults={"template": template, "due_days": int(due_days)}
    )
    audit_record(
        actor=actor,
        action="teaching_rating_form.set",
        target=form,
        changes={"template": [None, template], "due_days": [None, int(due_days)]},
    )
    return form


# --------------------------------------------------------------------------- scheduling


def _teacher_allowed(department: Department, teacher: User) -> bool:
    if department.teachers.filter(pk=teacher.pk).exists():
        return True
    return Membership.objects.filter(
        user=teacher,
        is_active=True,
        institution_id=department.base.institution_id,
        role__in=selectors.TEACHING_ROLES,
    ).exists()


def _occurrence_days(
    first: datetime.date, repeat_weeks: int, until: datetime.date | None
) -> list[datetime.date]:
    if not repeat_weeks:
        return [first]
    if not 1 <= repeat_weeks <= MAX_INTERVAL_WEEKS:
        raise field_error(
            "repeat_weeks",
            _("Repeat every 1 to %(n)s weeks.") % {"n": MAX_INTERVAL_WEEKS},
        )
    if until is None:
        raise field_error("until", _("Give the last day of a recurring activity."))
    if until < first:
        raise field_error("until", _("The last day comes before the first."))
    days = []
    day = first
    while day <= until:
        days.append(day)
        day += datetime.timedelta(weeks=repeat_weeks)
    if len(days) > MAX_OCCURRENCES:
        raise field_error(
            "until",
            _("At most %(n)s occurrences at once; choose an earlier last day.")
            % {"n": MAX_OCCURRENCES},
        )
    return days


def _moment(day: datetime.date, start: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, start))


def _check_schedule(
    *,
    actor: User,
    department: Department,
    kind: ActivityKind | None,
    teacher: User | None,
    topic: str,
    place: str,
    date: Any,
    start_time: Any,
    duration_minutes: Any,
    repeat_weeks: Any,
    until: Any,
) -> list[datetime.date]:
    errors: dict[str, list[str]] = {}
    if kind is None or not selectors.kinds_for_base(department.base_id).filter(pk=kind.pk).exists():
        errors["kind"] = [_("Choose a kind of activity of this base.")]
    if teacher is None or not _teacher_allowed(department, teacher):
        errors["teacher"] = [_("Choose a teacher of this department or of its hospital.")]
    if not (topic or "").strip():
        errors["topic"] = [_("Give the topic.")]
    if not (place or "").strip():
        errors["place"] = [_("Give the place, e.g. the seminar room of the ward.")]
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            _("An activity lasts from %(lo)s to %(hi)s minutes.")
            % {"lo": MIN_MINUTES, "hi": MAX_MINUTES}
        ]
    if not isinstance(date, datetime.date):
        errors["date"] = [_("Give the day of the activity.")]
    if not isinstance(start_time, datetime.time):
        errors["start_time"] = [_("Give the time the activity starts.")]
    days: list[datetime.date] = []
    if isinstance(date, datetime.date):
        try:
            days = _occurrence_days(date, int(repeat_weeks or 0), until)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        except (TypeError, ValueError):
            errors["repeat_weeks"] = [_("Repeat every 1 to %(n)s weeks.") % {"n": 12}]
    if errors:
        raise ValidationError(errors)
    return days


@transaction.atomic
def activity_schedule(
    *,
    actor: User,
    department: Department,
    kind: ActivityKind | None,
    teacher: User | None,
    topic: str,
    place: str,
    date: Any,
    start_time: Any,
    duration_minutes: Any,
    repeat_weeks: Any = 0,
    until: Any = None,
    extra_residents: Iterable[User] = (),
) -> list[Activity]:
    """Schedule an activity, or a series every `repeat_weeks` weeks until `until`. Each
    occurrence's audience: the residents the published schedules place in the department that
    day, and `extra_residents`. The teacher and the audience are told (once for a series)."""
    if not permissions.can_schedule_in(actor, department):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers schedule.")
        )
    days = _check_schedule(
        actor=actor,
        department=department,
        kind=kind,
        teacher=teacher,
        topic=topic,
        place=place,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        repeat_weeks=repeat_weeks,
        until=until,
    )
    assert kind is not None and teacher is not None
    series = None
    if len(days) > 1 or int(repeat_weeks or 0):
        series = ActivitySeries.objects.create(
            interval_weeks=int(repeat_weeks), until=until, created_by=actor
        )
    rotating = selectors.rotating_on(department.pk, days)
    extra_ids = {u.pk for u in extra_residents}
    activities: list[Activity] = []
    audience_ids: set[int] = set()
    for day in days:
        starts_at = _moment(day, start_time)
        activity = Activity(
            department=department,
            kind=kind,
            series=series,
            teacher=teacher,
            topic=topic.strip(),
            place=place.strip(),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=int(duration_minutes)),
            created_by=actor,
        )
        activity.full_clean()
        activity.save()
        residents = dict(rotating.get(day, {}))
        for resident_id in extra_ids:
            residents.setdefault(resident_id, None)  # type: ignore[arg-type]
        residents.pop(teacher.pk, None)
        Attendance.objects.bulk_create(
            Attendance(activity=activity, resident_id=resident_id, member_id=member_id)
            for resident_id, member_id in residents.items()
        )
        audience_ids |= set(residents)
        audit_record(
            actor=actor,
            action="teaching_activity.schedule",
            target=activity,
            changes={
                **{k: [None, v] for k, v in snapshot(activity, ACTIVITY_FIELDS).items()},
                "department": [None, department],
                "audience": [None, len(residents)],
            },
        )
        activities.append(activity)
    first = activities[0]
    notification_send(
        users=[uid for uid in {teacher.pk, *audience_ids} if uid != actor.pk],
        kind=NotificationKind.TEACHING_SCHEDULED,
        params={
            "topic": first.topic,
            "kind": first.kind.name,
            "kind_zh": first.kind.name_zh,
            "start": formats.date_format(timezone.localtime(first.starts_at), "Y-m-d H:i"),
            "count": len(activities),
            "place": first.place,
        },
        url=reverse("teaching:activity_detail", kwargs={"pk": first.pk}),
    )
    return activities


@transaction.atomic
def activity_change(
    *,
    actor: User,
    activity: Activity,
    kind: ActivityKind | None,
    teacher: User | None,
    topic: str,
    place: str,
    date: Any,
    start_time: Any,
    duration_minutes: Any,
) -> Activity:
    """Change one occurrence (the others of its series stay as they are)."""
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if not permissions.can_change_activity(actor, activity):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers change it.")
        )
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("A cancelled activity cannot be changed."))
    _check_schedule(
        actor=actor,
        department=activity.department,
        kind=kind,
        teacher=teacher,
        topic=topic,
        place=place,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        repeat_weeks=0,
        until=None,
    )
    assert kind is not None and teacher is not None
    before = snapshot(activity, ACTIVITY_FIELDS)
    activity.kind, activity.teacher = kind, teacher
    activity.topic, activity.place = topic.strip(), place.strip()
    activity.starts_at = _moment(date, start_time)
    activity.ends_at = activity.starts_at + datetime.timedelta(minutes=int(duration_minutes))
    activity.full_clean()
    activity.save()
    audit_record(
        actor=actor,
        action="teaching_activity.change",
        target=activity,
        changes=diff(before, snapshot(activity, ACTIVITY_FIELDS)),
    )
    return activity


@transaction.atomic
def activity_cancel(*, actor: User, activity: Activity, reason: str) -> Activity:
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if not permissions.can_change_activity(actor, activity):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers cancel it.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the activity is cancelled."))
    if len(reason) > MAX_REASON:
        raise field_error("reason", _("A reason has at most %(n)s characters.") % {"n": MAX_REASON})
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("This activity is cancelled already."))
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="teaching_activity.cancel",
        target=activity,
        changes={
            "status": [str(ActivityStatus.SCHEDULED.label), str(ActivityStatus.CANCELLED.label)]
        },
        reason=reason,
    )
    return activity


# --------------------------------------------------------------------------- sign-in


def _time(moment: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _window_error(activity: Activity, moment: datetime.datetime) -> str:
    opens = window.opens_at(activity.starts_at)
    day = formats.date_format(timezone.localtime(activity.starts_at))
    if moment < opens:
        return _(
            "Sign-in opens at %(opens)s on %(day)s, a quarter of an hour before it starts."
        ) % {
            "opens": _time(opens),
            "day": day,
        }
    return _("Sign-in closed at %(closes)s on %(day)s, when the activity ended.") % {
        "closes": _time(activity.ends_at),
        "day": day,
    }


def _code_error(activity: Activity, code: str, moment: datetime.datetime) -> str | None:
    verdict = codes.check(activity.secret, code, moment)
    if verdict == codes.Verdict.ACCEPTED:
        return None
    if verdict == codes.Verdict.EXPIRED:
        return _("This code has expired: enter the code the teacher's phone shows now.")
    others = selectors.activities_in_progress(moment).exclude(pk=activity.pk)
    if any(
        codes.matches_now(secret, code, moment)
        for secret in others.values_list("secret", flat=True)
    ):
        return _("This is the code of another activity: sign in to that one, or ask your teacher.")
    return _("This code is not right: check the six digits on the teacher's phone.")


@transaction.atomic
def attendance_sign_in(
    *, actor: User, activity: Activity, code: str, moment: datetime.datetime | None = None
) -> Attendance:
    """A resident signs in with the code shown on the teacher's phone: during the activity's
    window, once, for themselves. A rating pair follows when the hospital has a rating form."""
    moment = moment or timezone.now()
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("department__base", "teacher", "kind")
        .get(pk=activity.pk)
    )
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_("This activity was cancelled."))
    if actor.pk == activity.teacher_id:
        raise PermissionDenied(_("The teacher does not sign in to their own activity."))
    attendance = Attendance.objects.filter(activity=activity, resident=actor).first()
    member_id = None
    if attendance is None:
        day = timezone.localdate(activity.starts_at)
        member_id = selectors.rotating_on(activity.department_id, [day])[day].get(actor.pk)
        if member_id is None:
            raise PermissionDenied(
                _("You are not in the audience of this activity, nor rotating in %(department)s.")
                % {"department": activity.department}
            )
    elif attendance.status == AttendanceStatus.PRESENT:
        when = attendance.signed_in_at or moment
        raise ValidationError(
            _("You are signed in already (since %(time)s).") % {"time": _time(when)}
        )
    if not window.is_open(activity.starts_at, activity.ends_at, moment):
        raise field_error("code", _window_error(activity, moment))
    problem = _code_error(activity, code, moment)
    if problem:
        raise field_error("code", problem)
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    activity=activity,
                    resident=actor,
                    member_id=member_id,
                    status=AttendanceStatus.PRESENT,
                    source=AttendanceSource.CODE,
                    signed_in_at=moment,
                )
        except IntegrityError:
            raise ValidationError(_("You are signed in already.")) from None
    else:
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.status == AttendanceStatus.PRESENT:
            raise ValidationError(_("You are signed in already."))
        attendance.status = AttendanceStatus.PRESENT
        attendance.source = AttendanceSource.CODE
        attendance.signed_in_at = moment
        attendance.save(update_fields=["status", "source", "signed_in_at"])
    audit_record(actor=actor, action="teaching_attendance.sign_in", target=attendance)
    rating.pair_for_sign_in(activity=activity, attendance=attendance)
    return attendance


@transaction.atomic
def attendance_correct(
    *, actor: User, activity: Activity, resident: User, status: str, reason: str
) -> Attendance:
    """The teacher (or a manager of the base) records who was there, with a reason: a resident
    who could not sign in, one who signed in and left, one excused."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("department__base")
        .get(pk=activity.pk)
    )
    if not permissions.can_run_activity(actor, activity):
        raise PermissionDenied(_("Only the activity's teacher corrects its attendance."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in AttendanceStatus.values:
        errors["status"] = [_("Choose present, excused or not signed in.")]
    if not reason:
        errors["reason"] = [_("Say why the attendance is corrected.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("A reason has at most %(n)s characters.") % {"n": MAX_REASON}]
    attendance = (
        Attendance.objects.select_for_update().filter(activity=activity, resident=resident).first()
    )
    if attendance is None:
        day = timezone.localdate(activity.starts_at)
        member_id = selectors.rotating_on(activity.department_id, [day])[day].get(resident.pk)
        if (
            member_id is None
            and not resident.memberships.filter(
                role=Role.TRAINEE, institution_id=activity.department.base.institution_id
            ).exists()
        ):
            errors["resident"] = [
                _("Choose a resident of the audience, of the department or of the hospital.")
            ]
    if errors:
        raise ValidationError(errors)
    before: str | None = None
    if attendance is None:
        attendance = Attendance(
            activity=activity, resident=resident, member_id=member_id, in_audience=False
        )
    else:
        before = attendance.get_status_display()
    attendance.status = status
    attendance.source = AttendanceSource.TEACHER
    attendance.corrected_by = actor
    attendance.reason = reason
    attendance.full_clean()
    attendance.save()
    audit_record(
        actor=actor,
        action="teaching_attendance.correct",
        target=attendance,
        changes={"status": [before, attendance.get_status_display()]},
        reason=reason,
    )
    notification_send(
        users=[resident.pk],
        kind=NotificationKind.ATTENDANCE_CORRECTED,
        params={
            "teacher": str(actor),
            "topic": activity.topic,
            "date": timezone.localdate(activity.starts_at).isoformat(),
            "status": attendance.status,
            "reason": reason,
        },
        url=reverse("teaching:activity_detail", kwargs={"pk": activity.pk}),
    )
    if status == AttendanceStatus.PRESENT:
        rating.pair_for_sign_in(activity=activity, attendance=attendance)
    return attendance
