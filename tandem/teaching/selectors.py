"""Every read of teaching activities and attendance, scoped to the reader.

Who sees an activity: its teacher; the residents of its audience (and those who signed in);
the teachers of its department; the training office (coordinators) of the hospital of the
department and the director of its base; the training office of the home hospital of a
resident in the audience (for exchange residents); consortium admins.
"""

import datetime
from typing import Any

import icalendar
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core import tenancy
from tandem.institutions.models import Unit, UnitKind
from tandem.residency.models import Assignment, Department
from tandem.teaching.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    RatingForm,
)
from tandem.teaching.window import OPENS_BEFORE

STAFF_ROLES = (Role.COORDINATOR, Role.BASE_DIRECTOR)
TEACHING_ROLES = (Role.TEACHER, Role.TUTOR, Role.BASE_DIRECTOR, Role.COORDINATOR)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def taught_department_ids(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_teaching_taught", None)
    if cached is None:
        cached = set(
            Department.teachers.through.objects.filter(user_id=user.pk).values_list(
                "department_id", flat=True
            )
        )
        user._teaching_taught = cached
    return cached


def rotation_department_ids(user: Any) -> set[int]:
    """The departments the published schedules place this resident in, at any time."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_teaching_rotations", None)
    if cached is None:
        cached = set(
            Assignment.objects.filter(
                member__resident_id=user.pk, department__isnull=False
            ).values_list("department_id", flat=True)
        )
        user._teaching_rotations = cached
    return cached


def managed_base_filter(user: Any) -> Q:
    """Training bases this person manages: every base of a hospital they coordinate, the base
    they direct."""
    return Q(institution_id__in=tenancy.coordinated_institution_ids(user)) | Q(
        pk__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)
    )


def base_list_managed_by(user: Any) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(kind=UnitKind.TRAINING_BASE).select_related("institution")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset.order_by("institution__name", "name")
    return queryset.filter(managed_base_filter(user)).order_by("institution__name", "name")


def base_get_for_user_or_404(user: Any, pk: int) -> Unit:
    base = base_list_managed_by(user).filter(pk=pk).first()
    if base is None:
        raise Http404
    return base


def department_list_schedulable_by(user: Any) -> QuerySet[Department]:
    """Departments where this person may schedule activities: those of the bases they manage,
    those they teach in."""
    queryset = Department.objects.filter(is_active=True).select_related("base__institution")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(base__institution_id__in=tenancy.coordinated_institution_ids(user))
        | Q(base_id__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))
        | Q(pk__in=taught_department_ids(user))
    )


def teacher_candidates(department_ids: Any) -> QuerySet[User]:
    """People who may teach in these departments: their teachers, and the teachers, tutors,
    base directors and coordinators of their hospitals."""
    institutions = Department.objects.filter(pk__in=department_ids).values("base__institution_id")
    teachers = Department.teachers.through.objects.filter(department_id__in=department_ids)
    return (
        User.objects.filter(
            Q(pk__in=teachers.values("user_id"))
            | Q(
                memberships__institution_id__in=institutions,
                memberships__is_active=True,
                memberships__role__in=TEACHING_ROLES,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def residents_for_correction(activity: Activity) -> QuerySet[User]:
    """Whom the teacher may record at an activity: its audience and whoever signed in, and the
    residents (trainees) of the department's hospital. Two subqueries, not joins: joined, every
    resident's attendances over the years multiplied the rows DISTINCT had to fold (2.9 s at
    the teaching benchmark's 234,700 attendances)."""
    audience = Attendance.objects.filter(activity_id=activity.pk).values("resident_id")
    trainees = Membership.objects.filter(
        role=Role.TRAINEE, institution_id=activity.department.base.institution_id
    ).values("user_id")
    return (
        User.objects.filter(Q(pk__in=audience) | Q(pk__in=trainees))
        .exclude(pk=activity.teacher_id)
        .order_by("full_name", "username")
    )


def kinds_for_base(base_id: int | None) -> QuerySet[ActivityKind]:
    """The built-in kinds and the base's own, active ones."""
    return ActivityKind.objects.filter(Q(base__isnull=True) | Q(base_id=base_id), is_active=True)


def kind_list_of_base(base: Unit) -> QuerySet[ActivityKind]:
    return ActivityKind.objects.filter(base=base).order_by("position", "name")


# --------------------------------------------------------------------------- activities


def _activity_scope(user: Any) -> Q:
    staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
    home = Exists(
        Attendance.objects.filter(
            activity_id=OuterRef("pk"), member__cohort__institution_id__in=staff
        )
    )
    mine = Exists(Attendance.objects.filter(activity_id=OuterRef("pk"), resident_id=user.pk))
    return (
        Q(teacher_id=user.pk)
        | Q(mine)
        | Q(department_id__in=taught_department_ids(user) | rotation_department_ids(user))
        | Q(department__base__institution_id__in=tenancy.coordinated_institution_ids(user))
        | Q(department__base_id__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))
        | (Q(home) if staff else Q(pk__in=[]))
    )


def activity_list_visible_to(user: Any) -> QuerySet[Activity]:
    if not _signed_in(user):
        return Activity.objects.none()
    queryset = Activity.objects.select_related("department__base__institution", "kind", "teacher")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(_activity_scope(user))


def activity_get_for_user_or_404(user: Any, pk: int) -> Activity:
    activity = activity_list_visible_to(user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def with_counts(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.annotate(
        expected_n=Count("attendances", filter=Q(attendances__in_audience=True)),
        present_n=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
    )


def activities_upcoming_for(user: Any, *, days: int = 14) -> QuerySet[Activity]:
    now = timezone.now()
    return (
        activity_list_visible_to(user)
        .filter(
            ends_at__gte=now,
            starts_at__lte=now + datetime.timedelta(days=days),
            status=ActivityStatus.SCHEDULED,
        )
        .order_by("starts_at", "id")
    )


def my_activities(user: Any) -> QuerySet[Activity]:
    """The activities the person teaches or is in the audience of (their own calendar)."""
    if not _signed_in(user):
        return Activity.objects.none()
    mine = Exists(Attendance.objects.filter(activity_id=OuterRef("pk"), resident_id=user.pk))
    return Activity.objects.filter(Q(teacher_id=user.pk) | Q(mine)).select_related(
        "department__base__institution", "kind"
    )


def attendance_list_of(activity: Activity) -> QuerySet[Attendance]:
    return activity.attendances.select_related("resident", "corrected_by").order_by(
        "resident__full_name", "resident__username", "id"
    )


def attendance_of(activity: Activity, user: Any) -> Attendance | None:
    return Attendance.objects.filter(
        activity=activity, resident_id=getattr(user, "pk", None)
    ).first()


def rotating_on(
    department_id: int, days: list[datetime.date]
) -> dict[datetime.date, dict[int, int]]:
    """Per day, {resident id: cohort member id} of the residents the published schedules place
    in the department that day — one query for all the days."""
    if not days:
        return {}
    rows = Assignment.objects.filter(
        department_id=department_id,
        block__start_date__lte=max(days),
        block__end_date__gte=min(days),
    ).values_list("member_id", "member__resident_id", "block__start_date", "block__end_date")
    found: dict[datetime.date, dict[int, int]] = {day: {} for day in days}
    for member_id, resident_id, start, end in rows:
        for day in days:
            if start <= day <= end:
                found[day][resident_id] = member_id
    return found


def stint_attendance_share(
    resident_id: int, department_id: int, start: datetime.date, end: datetime.date
) -> float | None:
    """The share of the department's activities held during a stint that the resident, being in
    their audience, attended (excused ones left out); None when there were none — one query.
    Read by the rotation-end assessment (tandem/assessments)."""
    now = timezone.now()
    counts = Attendance.objects.filter(
        resident_id=resident_id,
        in_audience=True,
        activity__department_id=department_id,
        activity__status=ActivityStatus.SCHEDULED,
        activity__ends_at__lte=now,
        activity__starts_at__date__gte=start,
        activity__starts_at__date__lte=end,
    ).aggregate(
        due=Count("id", filter=~Q(status=AttendanceStatus.EXCUSED)),
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
    )
    if not counts["due"]:
        return None
    return counts["present"] / counts["due"]


def rating_form_for(institution_id: int) -> RatingForm | None:
    return (
        RatingForm.objects.filter(institution_id=institution_id).select_related("template").first()
    )


def activities_in_progress(moment: datetime.datetime) -> QuerySet[Activity]:
    """Activities whose sign-in window is open at `moment` (to tell a code of another one)."""
    return Activity.objects.filter(
        status=ActivityStatus.SCHEDULED,
        starts_at__lte=moment + OPENS_BEFORE,
        ends_at__gte=moment,
    )


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The activities the person teaches or is expected at, for their calendar feed: one event
    per occurrence (UID `teaching-<id>@tandem`), a cancelled one marked CANCELLED; from 60 days
    back on."""
    since = timezone.now() - datetime.timedelta(days=60)
    events = []
    for activity in my_activities(user).filter(ends_at__gte=since).order_by("starts_at", "id"):
        event = icalendar.Event()
        event.add("uid", f"teaching-{activity.pk}@tandem")
        event.add("summary", f"{activity.kind}: {activity.topic}")
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("dtstamp", activity.created_at)
        event.add("location", f"{activity.place}, {activity.department}")
        event.add(
            "description", f"{activity.department.base}, {activity.department.base.institution}"
        )
        if activity.status == ActivityStatus.CANCELLED:
            event.add("status", "CANCELLED")
        events.append(event)
    return events


def teaching_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard card: the person's next activities (as teacher or in the audience) and,
    for a teacher, whether one is on now (to show its code). Two queries."""
    if not _signed_in(user):
        return {}
    now = timezone.now()
    upcoming = list(
        my_activities(user)
        .filter(ends_at__gte=now, status=ActivityStatus.SCHEDULED)
        .order_by("starts_at", "id")[:3]
    )
    if not upcoming:
        return {}
    return {
        "upcoming": upcoming,
        "running": [
            a
            for a in upcoming
            if a.teacher_id == user.pk and a.starts_at - datetime.timedelta(minutes=15) <= now
        ],
    }


def period_attendance_share(
    resident_id: int, start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """(attended, due) of the teaching activities held between `start` and `end` in whose
    audience the resident was, excused ones left out — one query. Read by the competency
    committee's evidence page (tandem/milestones)."""
    counts = Attendance.objects.filter(
        resident_id=resident_id,
        in_audience=True,
        activity__status=ActivityStatus.SCHEDULED,
        activity__ends_at__lte=timezone.now(),
        activity__starts_at__date__gte=start,
        activity__starts_at__date__lte=end,
    ).aggregate(
        due=Count("id", filter=~Q(status=AttendanceStatus.EXCUSED)),
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
    )
    return counts["present"], counts["due"]
