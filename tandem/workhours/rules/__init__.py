"""The work-hour rule library: plain dataclasses in, violations out, no Django (decision 107).

`check(shifts, limits, tz)` applies one rule set to a resident's shifts; `weekly_hours` sums the
hours per local week for the dashboards; `expand_pattern` turns a department's rota pattern
over a stint into planned shifts, so the same rules check a rota before it is published.
"""

from tandem.workhours.rules.check import check, weekly_hours
from tandem.workhours.rules.model import (
    HOME_CALL,
    IN_HOUSE_KINDS,
    KINDS,
    Limits,
    Shift,
    Violation,
)
from tandem.workhours.rules.presets import ACGME, CHINA_BASE, PRESETS
from tandem.workhours.rules.rota import Pattern, expand_pattern

__all__ = [
    "ACGME",
    "CHINA_BASE",
    "HOME_CALL",
    "IN_HOUSE_KINDS",
    "KINDS",
    "PRESETS",
    "Limits",
    "Pattern",
    "Shift",
    "Violation",
    "check",
    "expand_pattern",
    "weekly_hours",
]
