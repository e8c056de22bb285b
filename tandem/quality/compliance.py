"""Whether a base meets its standards in a month: a pure function over plain facts (no ORM;
`facts.py` gathers them in a constant number of queries, decision 115).

- Frequency ("at least N activities of kind K in every department every P days/weeks/months"):
  the periods are fixed windows (weeks from Monday, P-week windows counted from a fixed Monday,
  P-month windows from January 2000), so a window means the same in every month. Each window
  overlapping the month is checked in each department: met when it holds N activities; a window
  not over yet (it ends today or later) and still short is pending, not missed.
- Orientation ("for every new rotation start within D days"): each stint starting in the month
  needs an activity of the orientation kind in its department from its first day to D days
  after; pending while that time is not over.
- Teacher load ("at most N residents per responsible teacher at once"): for each teacher, the
  most residents whose stints with them cover one day of the month, and the first such day.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MET, MISSED, PENDING = "met", "missed", "pending"
FREQUENCY, ORIENTATION, TEACHER_LOAD = "frequency", "orientation", "teacher_load"
EPOCH_MONDAY = datetime.date(2000, 1, 3)


@dataclass(frozen=True)
class Rule:
    id: int
    kind: str
    activity_kind_id: int | None = None
    count: int = 1
    period: int = 1
    unit: str = "week"
    within_days: int = 3


@dataclass(frozen=True)
class ActivityFact:
    department_id: int
    kind_id: int
    day: datetime.date


@dataclass(frozen=True)
class StintFact:
    resident_id: int
    department_id: int
    start: datetime.date
    end: datetime.date
    teacher_id: int | None = None


@dataclass
class Facts:
    department_ids: Sequence[int]
    activities: Sequence[ActivityFact] = ()
    stints: Sequence[StintFact] = ()


@dataclass
class Outcome:
    rule_id: int
    department_id: int | None
    status: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def _month_index(day: datetime.date) -> int:
    return (day.year - 2000) * 12 + day.month - 1


def _month_start(index: int) -> datetime.date:
    return datetime.date(2000 + index // 12, index % 12 + 1, 1)


def window_of(rule: Rule, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The fixed window of the rule's period that holds `day`."""
    if rule.unit == "month":
        first = _month_index(day) // rule.period * rule.period
        start = _month_start(first)
        end = _month_start(first + rule.period) - datetime.timedelta(days=1)
        return start, end
    length = rule.period * (7 if rule.unit == "week" else 1)
    offset = (day - EPOCH_MONDAY).days // length * length
    start = EPOCH_MONDAY + datetime.timedelta(days=offset)
    return start, start + datetime.timedelta(days=length - 1)


def windows(rule: Rule, first: datetime.date, last: datetime.date) -> list[tuple[Any, Any]]:
    """The windows overlapping first..last, in order."""
    found = []
    day = first
    while day <= last:
        window = window_of(rule, day)
        found.append(window)
        day = window[1] + datetime.timedelta(days=1)
    return found


def facts_start(rules: Iterable[Rule], first: datetime.date) -> datetime.date:
    """The earliest day whose activities the month starting on `first` needs."""
    starts = [window_of(r, first)[0] for r in rules if r.kind == FREQUENCY]
    return min([first, *starts])


def _overall(statuses: Iterable[str]) -> str:
    statuses = list(statuses)
    if MISSED in statuses:
        return MISSED
    if PENDING in statuses:
        return PENDING
    return MET


def _frequency(rule: Rule, facts: Facts, first, last, today) -> list[Outcome]:
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for a in facts.activities:
        if a.kind_id == rule.activity_kind_id:
            days[a.department_id].append(a.day)
    for values in days.values():
        values.sort()
    outcomes = []
    for department_id in facts.department_ids:
        held = days.get(department_id, [])
        evidence, statuses = [], []
        for start, end in windows(rule, first, last):
            count = bisect.bisect_right(held, end) - bisect.bisect_left(held, start)
            if count >= rule.count:
                statuses.append(MET)
                continue
            status = PENDING if end >= today else MISSED
            statuses.append(status)
            evidence.append({"start": start, "end": end, "count": count, "status": status})
        outcomes.append(Outcome(rule.id, department_id, _overall(statuses), evidence))
    return outcomes


def _orientation(
    rule: Rule, facts: Facts, first, last, today, orientation_kind_id
) -> list[Outcome]:
    kind_id = rule.activity_kind_id or orientation_kind_id
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for a in facts.activities:
        if a.kind_id == kind_id:
            days[a.department_id].append(a.day)
    for values in days.values():
        values.sort()
    by_department: dict[int, list[StintFact]] = defaultdict(list)
    for s in facts.stints:
        if first <= s.start <= last:
            by_department[s.department_id].append(s)
    outcomes = []
    for department_id in facts.department_ids:
        evidence, statuses = [], []
        held = days.get(department_id, [])
        for s in sorted(
            by_department.get(department_id, []), key=lambda s: (s.start, s.resident_id)
        ):
            due = s.start + datetime.timedelta(days=rule.within_days)
            i = bisect.bisect_left(held, s.start)
            if i < len(held) and held[i] <= due:
                statuses.append(MET)
                continue
            status = PENDING if due >= today else MISSED
            statuses.append(status)
            evidence.append(
                {"resident_id": s.resident_id, "start": s.start, "due": due, "status": status}
            )
        outcomes.append(Outcome(rule.id, department_id, _overall(statuses), evidence))
    return outcomes


def peak_load(
    stints: Iterable[StintFact], first: datetime.date, last: datetime.date
) -> dict[int, tuple[int, datetime.date]]:
    """Per teacher: the most residents at once on a day of first..last and the first such day
    (a sweep over the stints' starts and ends)."""
    events: dict[int, list[tuple[datetime.date, int, int]]] = defaultdict(list)
    for s in stints:
        if s.teacher_id is None or s.end < first or s.start > last:
            continue
        start = max(s.start, first)
        end = min(s.end, last)
        events[s.teacher_id].append((start, 1, s.resident_id))
        events[s.teacher_id].append((end + datetime.timedelta(days=1), -1, s.resident_id))
    result = {}
    for teacher_id, rows in events.items():
        rows.sort(key=lambda e: (e[0], e[1]))
        current, best, best_day = 0, 0, first
        i = 0
        while i < len(rows):
            day = rows[i][0]
            while i < len(rows) and rows[i][0] == day:
                current += rows[i][1]
                i += 1
            if current > best and day <= last:
                best, best_day = current, day
        result[teacher_id] = (best, best_day)
    return result


def _teacher_load(rule: Rule, facts: Facts, first, last, department_id) -> list[Outcome]:
    stints = [s for s in facts.stints if department_id is None or s.department_id == department_id]
    evidence = [
        {"teacher_id": teacher_id, "residents": peak, "day": day}
        for teacher_id, (peak, day) in sorted(peak_load(stints, first, last).items())
        if peak > rule.count
    ]
    return [Outcome(rule.id, department_id, MISSED if evidence else MET, evidence)]


def evaluate(
    rules: Iterable[Rule],
    facts: Facts,
    month: datetime.date,
    *,
    today: datetime.date,
    orientation_kind_id: int | None = None,
    department_id: int | None = None,
) -> list[Outcome]:
    """Every rule's outcomes for the month holding `month`: per department for frequency and
    orientation, for the base (or `department_id` alone) for teacher load."""
    first, last = month_bounds(month)
    if department_id is not None:
        facts = Facts([department_id], facts.activities, facts.stints)
    outcomes: list[Outcome] = []
    for rule in rules:
        if rule.kind == FREQUENCY:
            outcomes += _frequency(rule, facts, first, last, today)
        elif rule.kind == ORIENTATION:
            outcomes += _orientation(rule, facts, first, last, today, orientation_kind_id)
        elif rule.kind == TEACHER_LOAD:
            outcomes += _teacher_load(rule, facts, first, last, department_id)
    return outcomes


def summary(outcomes: Iterable[Outcome]) -> dict[int, str]:
    """Each rule's overall status: missed when any department missed it."""
    by_rule: dict[int, list[str]] = defaultdict(list)
    for o in outcomes:
        by_rule[o.rule_id].append(o.status)
    return {rule_id: _overall(statuses) for rule_id, statuses in by_rule.items()}
