"""The teaching API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.teaching import codes, permissions, selectors, services, stats, window
from tandem.teaching.models import Activity
from tandem.teaching.schemas import (
    TeachingActivityIn,
    TeachingActivityOut,
    TeachingAttendanceOut,
    TeachingBaseStatsOut,
    TeachingCodeOut,
    TeachingCorrectIn,
    TeachingSignInIn,
)

router = Router(tags=["teaching"])


@router.get(
    "/activities",
    response={200: list[TeachingActivityOut], **ERRORS},
    operation_id="teaching_activity_list",
)
@paginate(Pagination)
def activity_list(
    request: HttpRequest, start: datetime.date | None = None, end: datetime.date | None = None
) -> Any:
    """The activities the caller sees, from `start` to `end` (days, inclusive), newest first."""
    queryset = selectors.activity_list_visible_to(request.user)
    if start:
        queryset = queryset.filter(starts_at__date__gte=start)
    if end:
        queryset = queryset.filter(starts_at__date__lte=end)
    return queryset


@router.post(
    "/activities",
    response={201: list[TeachingActivityOut], **ERRORS},
    operation_id="teaching_activity_schedule",
)
def activity_schedule(request: HttpRequest, payload: TeachingActivityIn) -> Any:
    """Schedule an activity, or a series (`repeat_weeks` 1–12 with `until`): every occurrence."""
    if not permissions.can_schedule_any(request.user):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers schedule.")
        )
    department = (
        selectors.department_list_schedulable_by(request.user)
        .filter(pk=payload.department_id)
        .first()
    )
    if department is None:
        raise field_error("department_id", _("Choose a department you schedule activities in."))
    kind = selectors.kinds_for_base(department.base_id).filter(pk=payload.kind_id).first()
    teacher = selectors.teacher_candidates([department.pk]).filter(pk=payload.teacher_id).first()
    created = services.activity_schedule(
        actor=request.user,
        department=department,
        kind=kind,
        teacher=teacher,
        topic=payload.topic,
        place=payload.place,
        date=payload.date,
        start_time=payload.start_time,
        duration_minutes=payload.duration_minutes,
        repeat_weeks=payload.repeat_weeks,
        until=payload.until,
    )
    return Status(201, created)


@router.get(
    "/activities/{activity_id}",
    response={200: TeachingActivityOut, **ERRORS},
    operation_id="teaching_activity_get",
)
def activity_get(request: HttpRequest, activity_id: int) -> Any:
    return selectors.activity_get_for_user_or_404(request.user, activity_id)


@router.get(
    "/activities/{activity_id}/code",
    response={200: TeachingCodeOut, **ERRORS},
    operation_id="teaching_activity_code",
)
def activity_code(request: HttpRequest, activity_id: int) -> Any:
    """The code to show now (the teacher's own display); it changes every 30 seconds."""
    activity = selectors.activity_get_for_user_or_404(request.user, activity_id)
    if not permissions.can_run_activity(request.user, activity):
        raise PermissionDenied(_("Only the activity's teacher shows its sign-in code."))
    now = timezone.now()
    code = codes.current_code(activity.secret, now)
    path = reverse("teaching:sign_in", kwargs={"pk": activity.pk}) + f"?code={code}"
    return {
        "code": code,
        "url": request.build_absolute_uri(path),
        "seconds_left": codes.seconds_left(now),
        "is_open": window.is_open(activity.starts_at, activity.ends_at, now),
    }


@router.get(
    "/activities/{activity_id}/attendance",
    response={200: list[TeachingAttendanceOut], **ERRORS},
    operation_id="teaching_attendance_list",
)
@paginate(Pagination)
def attendance_list(request: HttpRequest, activity_id: int) -> Any:
    activity = selectors.activity_get_for_user_or_404(request.user, activity_id)
    if not permissions.can_view_attendance(request.user, activity):
        raise PermissionDenied(_("Residents see their own attendance only."))
    return selectors.attendance_list_of(activity)


@router.post(
    "/activities/{activity_id}/sign-in",
    response={200: TeachingAttendanceOut, **ERRORS},
    operation_id="teaching_sign_in",
)
def sign_in(request: HttpRequest, activity_id: int, payload: TeachingSignInIn) -> Any:
    activity = selectors.activity_get_for_user_or_404(request.user, activity_id)
    return services.attendance_sign_in(actor=request.user, activity=activity, code=payload.code)


@router.post(
    "/activities/{activity_id}/attendance",
    response={200: TeachingAttendanceOut, **ERRORS},
    operation_id="teaching_attendance_correct",
)
def attendance_correct(request: HttpRequest, activity_id: int, payload: TeachingCorrectIn) -> Any:
    """The teacher records a resident present, excused or not signed in, with a reason."""
    activity = selectors.activity_get_for_user_or_404(request.user, activity_id)
    if not permissions.can_run_activity(request.user, activity):
        raise PermissionDenied(_("Only the activity's teacher corrects its attendance."))
    resident = selectors.residents_for_correction(activity).filter(pk=payload.resident_id).first()
    if resident is None:
        raise field_error("resident_id", _("Choose a resident of the audience."))
    return services.attendance_correct(
        actor=request.user,
        activity=activity,
        resident=resident,
        status=payload.status,
        reason=payload.reason,
    )


@router.get(
    "/bases/{base_id}/stats",
    response={200: TeachingBaseStatsOut, **ERRORS},
    operation_id="teaching_base_stats",
)
def base_stats(
    request: HttpRequest,
    base_id: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Any:
    """Attendance per department and teacher of the base (default: the last 90 days)."""
    base = selectors.base_get_for_user_or_404(request.user, base_id)
    period = stats.Period.default()
    period = stats.Period(start or period.start, end or period.end)
    if period.end < period.start:
        raise field_error("end", _("The end comes before the start."))
    activities = Activity.objects.filter(department__base=base)
    return {
        "start": period.start,
        "end": period.end,
        "departments": [
            {**row, "id": row["department_id"], "name": row["label"]}
            for row in stats.by_department(activities, period)
        ],
        "teachers": [
            {**row, "id": row["teacher_id"]} for row in stats.by_teacher(activities, period)
        ],
    }
