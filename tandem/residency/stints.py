"""Stints (a resident's consecutive blocks in one department of a published schedule), derived
from the schedule's assignment rows. Shared by the logbook (completion per stint) and the
assessments (one rotation-end assessment per stint)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tandem.residency.models import Assignment


@dataclass(frozen=True)
class Stint:
    member_id: int
    resident_id: int
    cohort_id: int
    department_id: int
    start: datetime.date
    end: datetime.date
    first_assignment_id: int

    def days(self) -> int:
        return (self.end - self.start).days + 1

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def stints_from(rows: Iterable[dict]) -> list[Stint]:
    """`rows`: assignment values (id, member_id, member__resident_id, member__cohort_id,
    department_id, block__index, block__start_date, block__end_date) ordered by member and
    block index. Blocks without a department end a stint."""
    stints: list[Stint] = []
    current: dict | None = None
    last_index = -2
    for row in rows:
        same = (
            current is not None
            and row["member_id"] == current["member_id"]
            and row["department_id"] == current["department_id"]
            and row["block__index"] == last_index + 1
        )
        if same and current is not None:
            current["end"] = row["block__end_date"]
        else:
            if current is not None:
                stints.append(Stint(**current))
            current = None
            if row["department_id"] is not None:
                current = {
                    "member_id": row["member_id"],
                    "resident_id": row["member__resident_id"],
                    "cohort_id": row["member__cohort_id"],
                    "department_id": row["department_id"],
                    "start": row["block__start_date"],
                    "end": row["block__end_date"],
                    "first_assignment_id": row["id"],
                }
        last_index = row["block__index"]
    if current is not None:
        stints.append(Stint(**current))
    return stints


ASSIGNMENT_FIELDS = (
    "id",
    "member_id",
    "member__resident_id",
    "member__cohort_id",
    "department_id",
    "block__index",
    "block__start_date",
    "block__end_date",
)


def stints_of_members(member_ids: Iterable[int]) -> list[Stint]:
    """Every stint of these cohort memberships, in one query."""
    rows = (
        Assignment.objects.filter(member_id__in=list(member_ids))
        .order_by("member_id", "block__index")
        .values(*ASSIGNMENT_FIELDS)
    )
    return stints_from(rows)


def stints_of_resident(resident_id: int) -> list[Stint]:
    rows = (
        Assignment.objects.filter(member__resident_id=resident_id)
        .order_by("member_id", "block__index")
        .values(*ASSIGNMENT_FIELDS)
    )
    return stints_from(rows)
