"""Attendance statistics per resident, teacher, department and base: grouped aggregates in the
database, a fixed number of queries whatever the number of activities.

`expected`: residents in the audience who were not excused; `attended`: those of them present;
`walk_ins`: present without being in the audience (not in the rate); `rate`: attended/expected.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from tandem.teaching.models import Activity, ActivityStatus, Attendance, AttendanceStatus

IN_AUDIENCE = Q(in_audience=True) & ~Q(status=AttendanceStatus.EXCUSED)
ATTENDED = Q(in_audience=True, status=AttendanceStatus.PRESENT)
WALK_IN = Q(in_audience=False, status=AttendanceStatus.PRESENT)


@dataclass
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls) -> "Period":
        today = timezone.localdate()
        return cls(today - datetime.timedelta(days=90), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        start = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        )
        return start, end


def _rate(row: dict[str, Any]) -> dict[str, Any]:
    if "name" in row:
        chinese = (get_language() or "").startswith("zh")
        row["label"] = (row.get("name_zh") if chinese else None) or row["name"]
    expected = row.get("expected") or 0
    row["rate"] = round(100 * (row.get("attended") or 0) / expected) if expected else None
    return row


def _aggregates() -> dict[str, Count]:
    return {
        "expected": Count("id", filter=IN_AUDIENCE),
        "attended": Count("id", filter=ATTENDED),
        "walk_ins": Count("id", filter=WALK_IN),
    }


def attendances_in(activities: QuerySet[Activity], period: Period) -> QuerySet[Attendance]:
    start, end = period.bounds()
    return Attendance.objects.filter(
        activity__in=activities.filter(status=ActivityStatus.SCHEDULED).values("pk"),
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    )


def activities_in(activities: QuerySet[Activity], period: Period) -> QuerySet[Activity]:
    start, end = period.bounds()
    return activities.filter(
        status=ActivityStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    )


def _grouped(
    activities: QuerySet[Activity], period: Period, key: str, names: dict[str, str]
) -> list[dict[str, Any]]:
    """Two queries: the activities held per `key` (an Activity field path) with the `names`
    columns ({row field: field path}), and their attendance counts; one row per group."""
    held = {
        row[key]: row
        for row in activities_in(activities, period)
        .order_by()
        .values(key, *names.values())
        .annotate(activities=Count("id"))
    }
    counts = {
        row[f"activity__{key}"]: row
        for row in attendances_in(activities, period)
        .order_by()
        .values(f"activity__{key}")
        .annotate(**_aggregates())
    }
    rows = []
    for group_id, row in held.items():
        found = counts.get(group_id, {})
        rows.append(
            _rate(
                {
                    **{field: row[path] for field, path in names.items()},
                    "activities": row["activities"],
                    "expected": found.get("expected", 0),
                    "attended": found.get("attended", 0),
                    "walk_ins": found.get("walk_ins", 0),
                }
            )
        )
    return rows


def by_department(activities: QuerySet[Activity], period: Period) -> list[dict[str, Any]]:
    """Two queries: activities per department and kind count, attendance per department."""
    rows = _grouped(
        activities,
        period,
        "department_id",
        {
            "department_id": "department_id",
            "name": "department__name",
            "name_zh": "department__name_zh",
        },
    )
    rows.sort(key=lambda r: r["name"])
    return rows


def by_teacher(activities: QuerySet[Activity], period: Period) -> list[dict[str, Any]]:
    rows = _grouped(
        activities,
        period,
        "teacher_id",
        {
            "teacher_id": "teacher_id",
            "name": "teacher__full_name",
            "username": "teacher__username",
        },
    )
    for row in rows:
        username = row.pop("username")
        row["name"] = row["label"] = row["name"] or username
    rows.sort(key=lambda r: r["name"])
    return rows


def by_resident(activities: QuerySet[Activity], period: Period) -> QuerySet[Attendance, dict]:
    """A queryset of rows (paginate it): one per resident, with their counts."""
    return (
        attendances_in(activities, period)
        .order_by()
        .values("resident_id", "resident__full_name", "resident__username")
        .annotate(excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)), **_aggregates())
        .order_by("resident__full_name", "resident__username", "resident_id")
    )


def with_rates(rows: Any) -> list[dict[str, Any]]:
    return [_rate(dict(row)) for row in rows]


def by_base(activities: QuerySet[Activity], period: Period) -> list[dict[str, Any]]:
    rows = _grouped(
        activities,
        period,
        "department__base_id",
        {
            "base_id": "department__base_id",
            "name": "department__base__name",
            "name_zh": "department__base__name_zh",
            "institution": "department__base__institution__name",
        },
    )
    rows.sort(key=lambda r: (r["institution"], r["name"]))
    return rows


def resident_summary(resident_id: int) -> dict[str, Any]:
    """A resident's own attendance over every activity (one query)."""
    row = Attendance.objects.filter(
        resident_id=resident_id,
        activity__status=ActivityStatus.SCHEDULED,
        activity__starts_at__lte=timezone.now(),
    ).aggregate(**_aggregates())
    return _rate(row)
