"""Whether a teacher is qualified on a day, and how many residents they are responsible for at
once: pure functions of plain values (no database), so the rules can be tested against a plain
reference and read in one place (decision 113).

A reason is a code with its parameters; `texts.reason_text` words it in the reader's language.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Policy:
    min_attending_years: int = 3
    certificate_required: bool = True
    max_residents_general: int = 3
    max_residents_key: int = 3

    def max_residents(self, tier: str) -> int:
        return self.max_residents_key if tier == "key" else self.max_residents_general


@dataclass(frozen=True)
class Facts:
    is_active: bool = True
    attending_since: datetime.date | None = None
    certificate_number: str = ""
    certificate_issued_on: datetime.date | None = None
    certificate_expires_on: datetime.date | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def full_years(since: datetime.date | None, on: datetime.date) -> int:
    """Completed years from `since` to `on` (0 before the first anniversary; 29 February counts
    its anniversary on 1 March in other years)."""
    if since is None or on < since:
        return 0
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def reasons_not_qualified(facts: Facts, policy: Policy, on: datetime.date) -> list[Reason]:
    """Every reason the teacher is not qualified on `on`; empty: qualified."""
    reasons: list[Reason] = []
    if not facts.is_active:
        reasons.append(Reason("inactive"))
    if policy.min_attending_years > 0:
        if facts.attending_since is None or facts.attending_since > on:
            reasons.append(Reason("not_attending", {"required": policy.min_attending_years}))
        else:
            years = full_years(facts.attending_since, on)
            if years < policy.min_attending_years:
                reasons.append(
                    Reason(
                        "attending_years",
                        {
                            "years": years,
                            "required": policy.min_attending_years,
                            "since": facts.attending_since,
                        },
                    )
                )
    if policy.certificate_required:
        if not facts.certificate_number.strip():
            reasons.append(Reason("no_certificate"))
        elif facts.certificate_issued_on is not None and facts.certificate_issued_on > on:
            reasons.append(Reason("certificate_not_yet", {"issued": facts.certificate_issued_on}))
        elif facts.certificate_expires_on is not None and facts.certificate_expires_on < on:
            reasons.append(Reason("certificate_expired", {"expired": facts.certificate_expires_on}))
    return reasons


@dataclass(frozen=True)
class Peak:
    """The most residents at once over a period, and the first stretch where it is reached."""

    count: int
    start: datetime.date | None = None
    end: datetime.date | None = None


def peak_load(
    intervals: Iterable[tuple[datetime.date, datetime.date]],
    start: datetime.date,
    end: datetime.date,
) -> Peak:
    """The most of `intervals` (inclusive day ranges) that cover one day from `start` to `end`,
    and the first maximal stretch of days with that many. A sweep over the interval ends."""
    events: dict[datetime.date, int] = {}
    for first, last in intervals:
        first, last = max(first, start), min(last, end)
        if first > last:
            continue
        events[first] = events.get(first, 0) + 1
        after = last + datetime.timedelta(days=1)
        events[after] = events.get(after, 0) - 1
    best = Peak(0)
    count = 0
    days = [day for day in sorted(events) if events[day]]  # one ending as another starts: 0
    for index, day in enumerate(days):
        count += events[day]
        if count > best.count and day <= end:
            stretch_end = days[index + 1] - datetime.timedelta(days=1)
            best = Peak(count, day, min(stretch_end, end))
    return best
