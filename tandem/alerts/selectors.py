"""Reads about warnings and notifications, always scoped to the asking user.

A warning is visible to the people responsible: the current tutors of the cultivation, the
coordinators of its institution and of the cultivation's home and host, anyone it was sent to,
and consortium admins. Trainees never see warnings about themselves.
"""

import datetime
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.alerts.models import (
    ACTIVE_STATUSES,
    DEFAULT_THRESHOLDS,
    EarlyWarning,
    EmailMode,
    Notification,
    NotificationPreference,
    WarningStatus,
    WarningThresholds,
)
from tandem.core import tenancy
from tandem.cultivation.models import TutorAssignment
from tandem.institutions.models import Institution

AGE_BUCKETS = ((7, "week"), (28, "month"))


def warning_list_visible_to(user: Any) -> QuerySet[EarlyWarning]:
    queryset = EarlyWarning.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    tutor = TutorAssignment.objects.filter(
        cultivation=OuterRef("cultivation"), tutor=user, ended_at__isnull=True
    )
    sent = Notification.objects.filter(warning=OuterRef("pk"), user=user)
    condition = Exists(tutor) | Exists(sent) | Q(extra_recipient=user)
    coordinated = tenancy.coordinated_institution_ids(user)
    if coordinated:
        condition |= (
            Q(institution_id__in=coordinated)
            | Q(cultivation__home_id__in=coordinated)
            | Q(cultivation__host_id__in=coordinated)
        )
    return queryset.filter(condition)


def warning_list_for_page(
    user: Any,
    *,
    state: str = "active",
    rule: str = "",
    institution_id: int | None = None,
) -> QuerySet[EarlyWarning]:
    queryset = warning_list_visible_to(user)
    if state == "active":
        queryset = queryset.filter(status__in=ACTIVE_STATUSES)
    elif state in WarningStatus.values:
        queryset = queryset.filter(status=state)
    if rule:
        queryset = queryset.filter(rule=rule)
    if institution_id:
        queryset = queryset.filter(institution_id=institution_id)
    return queryset.select_related(
        "institution", "cultivation__trainee", "acknowledged_by", "resolved_by"
    ).order_by("-is_urgent", "opened_at", "id")


def warning_get_for_user_or_404(user: Any, pk: int) -> EarlyWarning:
    return get_object_or_404(
        warning_list_visible_to(user).select_related(
            "institution",
            "cultivation__trainee",
            "cultivation__home",
            "cultivation__host",
            "acknowledged_by",
            "resolved_by",
        ),
        pk=pk,
    )


def thresholds_for(institution: Institution) -> WarningThresholds:
    """The institution's row, or an unsaved one holding the defaults."""
    return WarningThresholds.objects.filter(institution=institution).first() or (
        WarningThresholds(institution=institution, **DEFAULT_THRESHOLDS)
    )


def institutions_with_editable_thresholds(user: Any) -> QuerySet[Institution]:
    if tenancy.is_consortium_admin(user):
        return Institution.objects.order_by("name")
    return Institution.objects.filter(pk__in=tenancy.coordinated_institution_ids(user)).order_by(
        "name"
    )


def institution_get_for_thresholds_or_404(user: Any, pk: int) -> Institution:
    """Any institution the user reaches (the page shows thresholds; editing is checked)."""
    queryset = Institution.objects.all()
    if not tenancy.is_consortium_admin(user):
        queryset = queryset.filter(pk__in=tenancy.reach_institution_ids(user))
    return get_object_or_404(queryset, pk=pk)


# --- Notifications ------------------------------------------------------------------------------


def notification_list_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user).select_related(
        "warning__cultivation__trainee"
    )
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_get_for_user_or_404(user: Any, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.filter(user=user), pk=pk)


def preference_for(user: Any) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user, email_mode=EmailMode.DIGEST
    )


# --- Dashboards ---------------------------------------------------------------------------------


def _age_filters(now: datetime.datetime) -> dict[str, Any]:
    week = now - datetime.timedelta(days=7)
    month = now - datetime.timedelta(days=28)
    return {
        "under_week": Count("id", filter=Q(opened_at__gte=week)),
        "under_month": Count("id", filter=Q(opened_at__lt=week, opened_at__gte=month)),
        "older": Count("id", filter=Q(opened_at__lt=month)),
    }


def open_warnings_by_institution(user: Any) -> list[dict[str, Any]]:
    """Per institution: open warnings and how long they have been open (buckets), and the
    oldest. One query."""
    now = timezone.now()
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in (
            warning_list_visible_to(user)
            .filter(status__in=ACTIVE_STATUSES)
            .order_by()
            .values("institution_id", "institution__name", "institution__name_zh")
            .annotate(total=Count("id"), oldest=Min("opened_at"), **_age_filters(now))
            .order_by("-total", "institution__name")
        )
    ]
    top = max((row["total"] for row in rows), default=0) or 1
    for row in rows:
        row["days_open"] = (now - row["oldest"]).days if row["oldest"] else 0
        for part in ("under_week", "under_month", "older"):
            row[f"{part}_pct"] = round(100 * row[part] / top)
    return rows


def open_warnings_by_rule(user: Any) -> dict[str, int]:
    return dict(
        warning_list_visible_to(user)
        .filter(status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("id"))
    )


def alerts_dashboard(user: Any) -> dict[str, Any]:
    """A tutor's open warnings, a coordinator's warnings per institution, everyone's unread
    notifications. A fixed number of queries."""
    if not getattr(user, "is_authenticated", False):
        return {"open": [], "open_count": 0, "unread": 0, "by_institution": []}
    active = warning_list_for_page(user)
    overview = tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))
    return {
        "open": list(active[:5]),
        "open_count": active.count(),
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "by_institution": open_warnings_by_institution(user)[:10] if overview else [],
    }


def active_warnings_for(cultivation_ids: list[int]) -> dict[int, int]:
    """How many warnings are open or acknowledged, per cultivation, in one query (workspaces)."""
    rows = (
        EarlyWarning.objects.filter(cultivation_id__in=cultivation_ids, status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("cultivation_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def active_warnings_of_trainee(trainee_id: int) -> QuerySet[EarlyWarning]:
    """The open and acknowledged warnings about one trainee, newest first (one query). Read by
    the competency committee's evidence page (tandem/milestones), whose members see them."""
    return EarlyWarning.objects.filter(trainee_id=trainee_id, status__in=ACTIVE_STATUSES).order_by(
        "-opened_at", "-id"
    )
