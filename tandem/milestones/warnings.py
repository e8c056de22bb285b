"""The early warnings of the competency committee, read by `tandem.alerts.rules` once per
evaluation run for the whole consortium, each in a fixed number of queries:

- an open resident review past the due date of its period (to the committee's members);
- a resident in training for more than six months (by the published schedule) of a program
  with a committee, with no finalised review in the last six months.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Max, Min

from tandem.milestones.models import CommitteeMember, ResidentReview, ReviewStatus
from tandem.residency.models import Assignment, CohortMember

REVIEW_EVERY_DAYS = 183


def _name(user: Any) -> str:
    return user.full_name or user.username


def _members_by_committee(committee_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for committee_id, user_id in CommitteeMember.objects.filter(
        committee_id__in=committee_ids
    ).values_list("committee_id", "user_id"):
        found[committee_id].append(user_id)
    return found


def review_overdue(today: datetime.date) -> list[dict[str, Any]]:
    rows = list(
        ResidentReview.objects.filter(
            status=ReviewStatus.OPEN, review__due_on__lt=today
        ).select_related("resident", "review__committee__program")
    )
    members = _members_by_committee({r.review.committee_id for r in rows})
    return [
        {
            "subject_id": r.pk,
            "cause": f"due:{r.review.due_on.isoformat()}",
            "institution_id": r.review.committee.program.institution_id,
            "resident_id": r.resident_id,
            "recipients": tuple(sorted(members.get(r.review.committee_id, ()))),
            "detail": {
                "trainee": _name(r.resident),
                "period": r.review.label,
                "due": r.review.due_on.isoformat(),
            },
        }
        for r in rows
    ]


def not_reviewed(today: datetime.date) -> list[dict[str, Any]]:
    cutoff = today - datetime.timedelta(days=REVIEW_EVERY_DAYS)
    spans = {
        row["member_id"]: row
        for row in Assignment.objects.filter(member__program__competency_committee__isnull=False)
        .values("member_id")
        .annotate(first=Min("block__start_date"), last=Max("block__end_date"))
        .order_by()
    }
    in_training = [
        pk for pk, row in spans.items() if row["first"] <= cutoff and row["last"] >= today
    ]
    if not in_training:
        return []
    members = CohortMember.objects.select_related(
        "resident", "program__competency_committee"
    ).in_bulk(in_training)
    last_review: dict[int, datetime.date] = dict(
        ResidentReview.objects.filter(
            resident_id__in={m.resident_id for m in members.values()},
            status=ReviewStatus.FINALISED,
        )
        .values("resident_id")
        .annotate(last=Max("review__period_end"))
        .values_list("resident_id", "last")
    )
    committees = _members_by_committee(
        {m.program.competency_committee.pk for m in members.values()}
    )
    rows = []
    seen: set[int] = set()
    for member in members.values():
        last = last_review.get(member.resident_id)
        if member.resident_id in seen or (last is not None and last >= cutoff):
            continue
        seen.add(member.resident_id)
        committee_id = member.program.competency_committee.pk
        rows.append(
            {
                "subject_id": member.pk,
                "cause": f"not_reviewed:{last.isoformat() if last else 'never'}",
                "institution_id": member.program.institution_id,
                "resident_id": member.resident_id,
                "recipients": tuple(sorted(committees.get(committee_id, ()))),
                "detail": {
                    "trainee": _name(member.resident),
                    "last": last.isoformat() if last else "",
                },
            }
        )
    return rows
