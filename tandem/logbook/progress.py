"""Completion of the minimums, computed in the database for a whole page at once: a fixed
number of queries (three) whatever the number of residents, stints and entries.

A minimum of a department applies to each of the resident's rotations through it; within one
cohort membership the stints in the same department count together (a second stint in the same
department within one training year is rare, and then shares the minimum). An entry counts
towards the minimum of its role and of every lower role (decision 102). Only verified entries
make a minimum met; `logged` counts the waiting ones too (the pace warning reads it: a
teacher's slowness is not the resident's).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from tandem.logbook.models import Catalogue, EntryRole, EntryStatus, LogEntry, Minimum
from tandem.residency.models import CohortMember


@dataclass(frozen=True)
class Line:
    item_id: int
    role: int
    required: int
    verified: int
    logged: int

    @property
    def role_label(self) -> str:
        return str(EntryRole(self.role).label)

    @property
    def is_met(self) -> bool:
        return self.verified >= self.required


@dataclass
class Progress:
    required: int = 0
    met: int = 0  # verified entries, each minimum capped at its count
    met_logged: int = 0  # the same with the entries waiting for verification
    pending: int = 0
    verified: int = 0
    returned: int = 0
    lines: list[Line] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.met / self.required if self.required else None

    @property
    def logged_share(self) -> float | None:
        return self.met_logged / self.required if self.required else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)

    def __add__(self, other: "Progress") -> "Progress":
        return Progress(
            self.required + other.required,
            self.met + other.met,
            self.met_logged + other.met_logged,
            self.pending + other.pending,
            self.verified + other.verified,
            self.returned + other.returned,
            self.lines + other.lines,
        )


def catalogue_ids_of(members: Iterable[CohortMember]) -> dict[int, int]:
    """{member id: catalogue id} for members whose program has an active catalogue."""
    members = list(members)
    pairs = {(m.program.institution_id, m.program.specialty) for m in members}
    if not pairs:
        return {}
    condition = Q()
    for institution_id, specialty in pairs:
        condition |= Q(institution_id=institution_id, specialty=specialty)
    found = {
        (row["institution_id"], row["specialty"]): row["id"]
        for row in Catalogue.objects.filter(condition, is_active=True).values(
            "id", "institution_id", "specialty"
        )
    }
    result = {}
    for m in members:
        catalogue_id = found.get((m.program.institution_id, m.program.specialty))
        if catalogue_id is not None:
            result[m.pk] = catalogue_id
    return result


def _accumulate(
    minimums: list[Any], counts: dict[tuple[int, int], list[int]], progress: Progress
) -> None:
    """`counts`: {(item, role): [verified, logged]} of exact roles; a minimum of a role is met
    by entries of that role or higher."""
    for minimum in minimums:
        verified = logged = 0
        for role in range(minimum["role"], 4):
            found = counts.get((minimum["item_id"], role))
            if found:
                verified += found[0]
                logged += found[1]
        required = minimum["count"]
        progress.required += required
        progress.met += min(verified, required)
        progress.met_logged += min(logged, required)
        progress.lines.append(Line(minimum["item_id"], minimum["role"], required, verified, logged))


def progress_for(
    members: Iterable[CohortMember],
    keys: set[tuple[int, int]],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[tuple[int, int], Progress]:
    """{(member id, department id): Progress} for each key; `start`/`end` limit the entries
    to those dates (one stint)."""
    members = list(members)
    result = {key: Progress() for key in keys}
    if not keys:
        return result
    catalogues = catalogue_ids_of(members)
    department_ids = {department_id for _m, department_id in keys}
    minimums: dict[tuple[int, int], list[Any]] = defaultdict(list)  # (catalogue, department)
    row: Any
    if catalogues:
        for row in Minimum.objects.filter(
            item__catalogue_id__in=set(catalogues.values()),
            item__is_active=True,
            department_id__in=department_ids,
        ).values("item_id", "item__catalogue_id", "department_id", "role", "count"):
            minimums[(row["item__catalogue_id"], row["department_id"])].append(row)
    entries = LogEntry.objects.filter(
        member_id__in={m for m, _d in keys}, department_id__in=department_ids
    )
    if start is not None:
        entries = entries.filter(date__gte=start)
    if end is not None:
        entries = entries.filter(date__lte=end)
    counts: dict[tuple[int, int], dict[tuple[int, int], list[int]]] = defaultdict(dict)
    for row in (
        entries.order_by()
        .values("member_id", "department_id", "item_id", "role")
        .annotate(
            verified=Count("id", filter=Q(status=EntryStatus.VERIFIED)),
            pending=Count("id", filter=Q(status=EntryStatus.PENDING)),
            returned=Count("id", filter=Q(status=EntryStatus.RETURNED)),
        )
    ):
        key = (row["member_id"], row["department_id"])
        if key not in result:
            continue
        counts[key][(row["item_id"], row["role"])] = [
            row["verified"],
            row["verified"] + row["pending"],
        ]
        progress = result[key]
        progress.pending += row["pending"]
        progress.verified += row["verified"]
        progress.returned += row["returned"]
    for key, progress in result.items():
        catalogue_id = catalogues.get(key[0])
        if catalogue_id is None:
            continue
        _accumulate(minimums.get((catalogue_id, key[1]), []), counts.get(key, {}), progress)
    return result


def period_progress(member: CohortMember) -> Progress:
    """The minimums over the whole training (no department), against every entry of the
    resident for the catalogue's items."""
    progress = Progress()
    catalogue_id = catalogue_ids_of([member]).get(member.pk)
    if catalogue_id is None:
        return progress
    minimums: list[Any] = list(
        Minimum.objects.filter(
            item__catalogue_id=catalogue_id, item__is_active=True, department__isnull=True
        ).values("item_id", "role", "count")
    )
    if not minimums:
        return progress
    counts: dict[tuple[int, int], list[int]] = {}
    for row in (
        LogEntry.objects.filter(resident_id=member.resident_id, item__catalogue_id=catalogue_id)
        .order_by()
        .values("item_id", "role")
        .annotate(
            verified=Count("id", filter=Q(status=EntryStatus.VERIFIED)),
            logged=Count("id", filter=~Q(status=EntryStatus.RETURNED)),
        )
    ):
        counts[(row["item_id"], row["role"])] = [row["verified"], row["logged"]]
    _accumulate(minimums, counts, progress)
    return progress
