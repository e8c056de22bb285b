"""The early warning for case logs: a resident whose log is far behind a linear pace over the
current stint (decision 102).

Read by `tandem.alerts.rules.logbook_behind` once per evaluation run, for the whole consortium
in a fixed number of queries. A stint is checked once a quarter of it has passed (the first
days of a rotation are for settling in); it is behind when the share of its department's
minimums met by logged entries (verified or waiting) is below half the share of the stint's
days gone by. Returned entries do not count.
"""

import datetime
from typing import Any

from django.db.models import Q

from tandem.logbook.progress import progress_for
from tandem.residency.models import Assignment, CohortMember, Department
from tandem.residency.stints import stints_of_members

CHECK_FROM = 0.25  # share of the stint gone by before it is checked
FAR_BEHIND = 0.5  # behind when logged share < FAR_BEHIND × expected share


def expected_share(start: datetime.date, end: datetime.date, today: datetime.date) -> float:
    days = (end - start).days + 1
    return min(1.0, max(0.0, ((today - start).days + 1) / days))


def is_behind(logged_share: float, expected: float) -> bool:
    return expected >= CHECK_FROM and logged_share < FAR_BEHIND * expected


def behind_pace(today: datetime.date) -> list[dict[str, Any]]:
    """Every current stint far behind, with what the warning says and whom it tells."""
    member_ids = set(
        Assignment.objects.filter(
            block__start_date__lte=today, block__end_date__gte=today, department__isnull=False
        ).values_list("member_id", flat=True)
    )
    if not member_ids:
        return []
    current = [s for s in stints_of_members(member_ids) if s.covers(today)]
    members = {
        m.pk: m
        for m in CohortMember.objects.filter(pk__in={s.member_id for s in current}).select_related(
            "program", "resident", "cohort"
        )
    }
    progress = progress_for(members.values(), {(s.member_id, s.department_id) for s in current})
    behind = []
    for stint in current:
        found = progress[(stint.member_id, stint.department_id)]
        if found.logged_share is None:
            continue
        expected = expected_share(stint.start, stint.end, today)
        if is_behind(found.logged_share, expected):
            behind.append((stint, found.logged_share, expected))
    if not behind:
        return []
    departments = Department.objects.in_bulk({s.department_id for s, _l, _e in behind})
    teachers: dict[int, list[int]] = {}
    for department_id, user_id in Department.teachers.through.objects.filter(
        Q(department_id__in=departments)
    ).values_list("department_id", "user_id"):
        teachers.setdefault(department_id, []).append(user_id)
    rows = []
    for stint, logged, expected in behind:
        member = members[stint.member_id]
        department = departments[stint.department_id]
        rows.append(
            {
                "subject_id": stint.first_assignment_id,
                "start": stint.start,
                "end": stint.end,
                "institution_id": member.cohort.institution_id,
                "resident_id": member.resident_id,
                "resident": member.resident.full_name or member.resident.username,
                "department": department.name,
                "department_zh": department.name_zh or department.name,
                "logged": round(logged * 100),
                "expected": round(expected * 100),
                "teacher_ids": tuple(sorted(teachers.get(department.pk, ()))),
            }
        )
    return rows
