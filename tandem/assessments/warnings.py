"""The early warnings of rotation assessments, read by `tandem.alerts.rules` once per
evaluation run for the whole consortium, each in a fixed number of queries:

- an open rotation-end assessment past its due date;
- an assessment with a failed component that is not remedied yet (decided failed, or open);
- a current rotation ending within WBA_SHORT_DAYS with fewer confirmed WBAs than required.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q

from tandem.assessments.models import (
    Assessment,
    AssessmentStatus,
    Component,
    Wba,
    WbaRequirement,
    WbaStatus,
)
from tandem.residency.models import Assignment, CohortMember, Department
from tandem.residency.stints import stints_of_members

WBA_SHORT_DAYS = 7


def _name(user: Any) -> str:
    return user.full_name or user.username


def _department_names(department: Department) -> dict[str, str]:
    return {"department": department.name, "department_zh": department.name_zh or department.name}


def overdue(today: datetime.date) -> list[dict[str, Any]]:
    rows = Assessment.objects.filter(status=AssessmentStatus.OPEN, due_on__lt=today).select_related(
        "resident", "department", "member__cohort"
    )
    return [
        {
            "subject_id": a.pk,
            "cause": f"overdue:{a.due_on.isoformat()}",
            "institution_id": a.member.cohort.institution_id,
            "resident_id": a.resident_id,
            "recipients": tuple(uid for uid in (a.resident_id, a.teacher_id) if uid),
            "detail": {
                "trainee": _name(a.resident),
                **_department_names(a.department),
                "due": a.due_on.isoformat(),
            },
        }
        for a in rows
    ]


def failed_components(today: datetime.date) -> list[dict[str, Any]]:
    failed: dict[int, list[str]] = defaultdict(list)
    for assessment_id, kind in Component.objects.filter(
        passed=False, assessment__status__in=[AssessmentStatus.OPEN, AssessmentStatus.FAILED]
    ).values_list("assessment_id", "kind"):
        failed[assessment_id].append(kind)
    rows = Assessment.objects.filter(pk__in=failed).select_related(
        "resident", "department", "member__cohort"
    )
    return [
        {
            "subject_id": a.pk,
            "cause": "failed:" + ",".join(sorted(failed[a.pk])),
            "institution_id": a.member.cohort.institution_id,
            "resident_id": a.resident_id,
            "recipients": tuple(uid for uid in (a.resident_id, a.teacher_id) if uid),
            "detail": {
                "trainee": _name(a.resident),
                **_department_names(a.department),
                "components": sorted(failed[a.pk]),
            },
        }
        for a in rows
    ]


def wba_short(today: datetime.date) -> list[dict[str, Any]]:
    member_ids = set(
        Assignment.objects.filter(
            block__start_date__lte=today, block__end_date__gte=today, department__isnull=False
        ).values_list("member_id", flat=True)
    )
    if not member_ids:
        return []
    ending = [
        s
        for s in stints_of_members(member_ids)
        if s.covers(today) and (s.end - today).days <= WBA_SHORT_DAYS
    ]
    if not ending:
        return []
    members = CohortMember.objects.select_related("resident", "cohort").in_bulk(
        {s.member_id for s in ending}
    )
    required: dict[tuple[int, int | None], dict[int, int]] = defaultdict(dict)
    for program_id, department_id, form_id, count in WbaRequirement.objects.filter(
        program_id__in={m.program_id for m in members.values()}
    ).values_list("program_id", "department_id", "form_id", "count"):
        required[(program_id, department_id)][form_id] = count
    confirmed: dict[tuple[int, int, int], list[datetime.date]] = defaultdict(list)
    for resident_id, department_id, form_id, day in Wba.objects.filter(
        Q(resident_id__in={m.resident_id for m in members.values()})
        & Q(department_id__in={s.department_id for s in ending})
        & Q(status=WbaStatus.CONFIRMED)
        & Q(date__gte=min(s.start for s in ending))
    ).values_list("resident_id", "department_id", "form_id", "date"):
        confirmed[(resident_id, department_id, form_id)].append(day)
    departments = Department.objects.in_bulk({s.department_id for s in ending})
    teachers: dict[int, list[int]] = defaultdict(list)
    for department_id, user_id in Department.teachers.through.objects.filter(
        department_id__in=departments
    ).values_list("department_id", "user_id"):
        teachers[department_id].append(user_id)
    rows = []
    for stint in ending:
        member = members[stint.member_id]
        needed = {
            **required.get((member.program_id, None), {}),
            **required.get((member.program_id, stint.department_id), {}),
        }
        short = 0
        for form_id, count in needed.items():
            days = confirmed.get((member.resident_id, stint.department_id, form_id), [])
            done = sum(1 for day in days if stint.covers(day))
            short += max(0, count - done)
        if not short:
            continue
        department = departments[stint.department_id]
        rows.append(
            {
                "subject_id": stint.first_assignment_id,
                "cause": f"wba_short:{stint.start.isoformat()}",
                "institution_id": member.cohort.institution_id,
                "resident_id": member.resident_id,
                "recipients": (member.resident_id, *sorted(teachers.get(department.pk, ()))),
                "detail": {
                    "trainee": _name(member.resident),
                    **_department_names(department),
                    "missing": short,
                    "end": stint.end.isoformat(),
                },
            }
        )
    return rows
