"""The work-hour rules on a planned rota, before it is published: the residency proposal's rows
place each resident in a department per block, each department's rota pattern gives the
planned shifts, and the resident's rule set checks them (the same `rules.check` as for logged
shifts). The residency publish page calls `planned_rota_check`; our check page shows it."""

import datetime
from dataclasses import dataclass

from tandem.residency import instancing
from tandem.residency.models import Block, CohortMember, PublishedSchedule, ScheduleProposal
from tandem.workhours import rules
from tandem.workhours.selectors import patterns_for, rulesets_for_members


@dataclass(frozen=True)
class PlannedFinding:
    member: CohortMember
    violation: rules.Violation
    limits: rules.Limits


def _stints(row: tuple[str | None, ...]) -> list[tuple[int, int, int]]:
    """(department pk, first block index, last block index) of consecutive equal cells."""
    runs: list[tuple[int, int, int]] = []
    for index, key in enumerate(row):
        pk = instancing.department_pk(key) if key else None
        if pk is None:
            continue
        if runs and runs[-1][0] == pk and runs[-1][2] == index - 1:
            runs[-1] = (pk, runs[-1][1], index)
        else:
            runs.append((pk, index, index))
    return runs


def planned_rota_check(obj: ScheduleProposal | PublishedSchedule) -> list[PlannedFinding]:
    """Every violation the planned rota would bring, per resident (a fixed number of queries)."""
    rows = instancing.stored_rows(obj.solution)
    members = list(
        CohortMember.objects.filter(pk__in=instancing.member_pks(rows)).select_related(
            "program", "resident"
        )
    )
    if not members:
        return []
    blocks = {
        b.index: (b.start_date, b.end_date)
        for b in Block.objects.filter(calendar_id=obj.cohort.calendar_id)
    }
    # Block numbers in the rows are positions: the calendar's blocks ordered by index.
    ordered = [blocks[i] for i in sorted(blocks)]
    stints = {m.pk: _stints(rows.get(instancing.member_key(m.pk), ())) for m in members}
    patterns = patterns_for({pk for runs in stints.values() for pk, _f, _l in runs})
    rulesets = rulesets_for_members(members)
    findings: list[PlannedFinding] = []
    for member in members:
        ruleset = rulesets[member.pk]
        shifts: list[rules.Shift] = []
        for department_pk, first, last in stints[member.pk]:
            if last >= len(ordered):
                continue
            start: datetime.date = ordered[first][0]
            end: datetime.date = ordered[last][1]
            shifts += rules.expand_pattern(start, end, patterns[department_pk], ruleset.tz)
        limits = ruleset.limits()
        for violation in rules.check(shifts, limits, ruleset.tz):
            findings.append(PlannedFinding(member, violation, limits))
    findings.sort(key=lambda f: (f.member.resident.full_name, f.violation.start))
    return findings
