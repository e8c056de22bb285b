"""The early warnings of the quality app, read by `tandem.alerts.rules` once per evaluation run
for the whole consortium, each in a fixed number of queries:

- a base missing some of its standards this month (to its training office and directors);
- a rectification item still open past its deadline (to its owner and supervisor too).
"""

import datetime
from collections import defaultdict
from typing import Any

from tandem.accounts.models import Membership, Role
from tandem.quality import selectors


def _name(user: Any) -> str:
    return user.full_name or user.username


def standards_missed(today: datetime.date) -> list[dict[str, Any]]:
    rows = [row for row in selectors.missed_by_base(today, today) if row["missed"]]
    directors: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Membership.objects.filter(
        unit_id__in=[row["base"].pk for row in rows], role=Role.BASE_DIRECTOR, is_active=True
    ).values_list("unit_id", "user_id"):
        directors[unit_id].append(user_id)
    month = today.replace(day=1).isoformat()[:7]
    return [
        {
            "subject_id": row["base"].pk,
            "cause": f"{month}:" + ",".join(str(i) for i in row["standard_ids"]),
            "institution_id": row["base"].institution_id,
            "detail": {
                "base": row["base"].name,
                "base_zh": row["base"].name_zh,
                "count": row["missed"],
                "month": month,
                "base_id": row["base"].pk,
            },
            "recipients": tuple(directors.get(row["base"].pk, ())),
            "resident_id": None,
        }
        for row in rows
    ]


def rectifications_overdue(today: datetime.date) -> list[dict[str, Any]]:
    return [
        {
            "subject_id": item.pk,
            "cause": f"due:{item.deadline.isoformat()}",
            "institution_id": item.observation.activity.department.base.institution_id,
            "detail": {
                "finding": item.finding[:80],
                "owner": _name(item.owner),
                "due": item.deadline.isoformat(),
                "item_id": item.pk,
            },
            "recipients": (item.owner_id, item.observation.supervisor_id),
            "resident_id": None,
        }
        for item in selectors.overdue_rectifications(today).select_related("observation")
    ]
