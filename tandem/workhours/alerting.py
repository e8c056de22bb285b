"""The early warning for work hours: residents whose shifts of the last weeks break a rule.

Read by `tandem.alerts.rules.workhours_violations` once per evaluation run, for the whole
consortium in a fixed number of queries: the members with a shift in the last `RECENT_DAYS`
days, their shifts from four weeks before that (so the 4-week windows are whole), their rule
sets. One cause per resident: the newest violation ending in the recent days.
"""

import datetime
from collections import defaultdict
from typing import Any

from tandem.residency.models import CohortMember
from tandem.workhours import rules
from tandem.workhours.models import Shift
from tandem.workhours.selectors import rulesets_for_members
from tandem.workhours.texts import violation_detail

RECENT_DAYS = 14


def recent_violations(now: datetime.datetime) -> list[dict[str, Any]]:
    recent = now - datetime.timedelta(days=RECENT_DAYS)
    member_ids = set(
        Shift.objects.filter(end__gt=recent, start__lte=now).values_list("member_id", flat=True)
    )
    if not member_ids:
        return []
    members = list(
        CohortMember.objects.filter(pk__in=member_ids).select_related(
            "program", "resident", "cohort"
        )
    )
    rulesets = rulesets_for_members(members)
    by_member: dict[int, list[rules.Shift]] = defaultdict(list)
    since = recent - datetime.timedelta(days=28)
    for shift in Shift.objects.filter(member_id__in=member_ids, end__gt=since, start__lte=now):
        by_member[shift.member_id].append(shift.as_rule_shift())
    rows = []
    for member in members:
        ruleset = rulesets[member.pk]
        limits = ruleset.limits()
        found = [v for v in rules.check(by_member[member.pk], limits, ruleset.tz) if v.end > recent]
        if not found:
            continue
        newest = max(found, key=lambda v: v.start)
        detail = violation_detail(newest, limits)
        detail["trainee"] = member.resident.full_name or member.resident.username
        rows.append(
            {
                "member_id": member.pk,
                "resident_id": member.resident_id,
                "institution_id": member.cohort.institution_id,
                "cause": f"{newest.rule}:{newest.start.astimezone(datetime.UTC):%Y%m%dT%H%M}",
                "detail": detail,
            }
        )
    return rows
