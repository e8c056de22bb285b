"""The teaching workload of a base's teachers over a period, in a fixed number of queries
whatever the number of teachers, activities or residents (one grouped query per figure):

- activities given (teaching activities of the base's departments, not cancelled);
- residents supervised (distinct residents of responsible-teacher assignments overlapping the
  period);
- WBAs confirmed and log entries verified in the base's departments;
- the residents' evaluations of the teacher (the engine's released rounds opening in the
  period): only the rounds at or above the anonymity threshold count, never a raw answer.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count
from django.utils import timezone

from tandem.assessments.models import Wba, WbaStatus
from tandem.evaluations.models import EvaluationAnswer, ItemKind, Relationship
from tandem.evaluations.results import threshold
from tandem.faculty.models import ResponsibleTeacher
from tandem.logbook.models import EntryStatus, LogEntry
from tandem.teaching.models import Activity, ActivityStatus
from tandem.teaching.stats import Period


def year_period(year: int | None = None) -> Period:
    year = year or timezone.localdate().year
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass
class Workload:
    teacher_id: int
    activities: int = 0
    residents: int = 0
    wbas: int = 0
    verifications: int = 0
    evaluation_responses: int = 0  # only of the rounds shown (at or above the threshold)
    evaluation_mean: float | None = None
    sums: list[tuple[int, float]] = field(default_factory=list, repr=False)


def workload_of(teacher_ids: Iterable[int], base_id: int, period: Period) -> dict[int, Workload]:
    """Five queries whatever the sizes."""
    ids = list(teacher_ids)
    result = {pk: Workload(pk) for pk in ids}
    start, end = period.bounds()
    for row in (
        Activity.objects.filter(
            teacher_id__in=ids,
            department__base_id=base_id,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .values("teacher_id")
        .annotate(n=Count("id"))
    ):
        result[row["teacher_id"]].activities = row["n"]
    for row in (
        ResponsibleTeacher.objects.filter(
            teacher_id__in=ids,
            department__base_id=base_id,
            cancelled_at__isnull=True,
            starts_on__lte=period.end,
            ends_on__gte=period.start,
        )
        .values("teacher_id")
        .annotate(n=Count("resident_id", distinct=True))
    ):
        result[row["teacher_id"]].residents = row["n"]
    for row in (
        Wba.objects.filter(
            teacher_id__in=ids,
            department__base_id=base_id,
            status=WbaStatus.CONFIRMED,
            confirmed_at__gte=start,
            confirmed_at__lt=end,
        )
        .values("teacher_id")
        .annotate(n=Count("id"))
    ):
        result[row["teacher_id"]].wbas = row["n"]
    for row in (
        LogEntry.objects.filter(
            reviewed_by_id__in=ids,
            department__base_id=base_id,
            status=EntryStatus.VERIFIED,
            reviewed_at__gte=start,
            reviewed_at__lt=end,
        )
        .values("reviewed_by_id")
        .annotate(n=Count("id"))
    ):
        result[row["reviewed_by_id"]].verifications = row["n"]
    _add_evaluations(result, ids, period)
    for item in result.values():
        total = sum(n for n, _mean in item.sums)
        if total:
            item.evaluation_responses = total
            item.evaluation_mean = round(sum(n * mean for n, mean in item.sums) / total, 2)
    return result


def _add_evaluations(result: dict[int, Workload], ids: list[int], period: Period) -> None:
    """Per teacher, round and template: the responses and the mean of the scale answers of
    the residents' released evaluations; a round of an anonymous template below the threshold
    is left out entirely (decision 082)."""
    minimum = threshold()
    rows = (
        EvaluationAnswer.objects.filter(
            response__target_user_id__in=ids,
            response__template__relationship=Relationship.TRAINEE_TUTOR,
            response__round__released_at__isnull=False,
            response__round__opens_on__gte=period.start,
            response__round__opens_on__lte=period.end,
            number__isnull=False,
            item__kind__in=[ItemKind.RATING, ItemKind.ENTRUSTMENT],
        )
        .values(
            "response__target_user_id",
            "response__round_id",
            "response__template_id",
            "response__template__is_anonymous",
        )
        .annotate(responses=Count("response_id", distinct=True), mean=Avg("number"))
        .order_by()
    )
    for row in rows:
        if row["response__template__is_anonymous"] and row["responses"] < minimum:
            continue
        result[row["response__target_user_id"]].sums.append((row["responses"], float(row["mean"])))


def rows_for(profiles: Iterable[Any], period: Period) -> list[dict[str, Any]]:
    """The overview of a base: one row per profile (all of one base)."""
    profiles = list(profiles)
    if not profiles:
        return []
    loads = workload_of([p.teacher_id for p in profiles], profiles[0].base_id, period)
    return [{"profile": p, "load": loads[p.teacher_id]} for p in profiles]
