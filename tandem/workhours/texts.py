"""What work-hour violations, warnings and notifications say, worded when shown (in the
reader's language). Times are shown in the rule set's time zone."""

import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.workhours import rules
from tandem.workhours.rules.model import CONTINUOUS_DUTY, DAYS_OFF, REST, WEEKLY_HOURS

RULE_LABELS = {
    WEEKLY_HOURS: gettext_lazy("Hours a week, averaged"),
    DAYS_OFF: gettext_lazy("Free days, averaged"),
    CONTINUOUS_DUTY: gettext_lazy("Continuous duty"),
    REST: gettext_lazy("Rest between shifts"),
}


def rule_label(code: str) -> str:
    return str(RULE_LABELS.get(code, code))


def when(moment: datetime.datetime) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _number(value: float) -> str:
    return formats.number_format(round(value, 1), decimal_pos=1 if value % 1 else 0)


def violation_text(violation: rules.Violation, limits: rules.Limits) -> str:
    """One sentence naming the rule, the interval and the numbers."""
    values = {
        "start": when(violation.start),
        "end": when(violation.end),
        "value": _number(violation.value),
        "limit": _number(violation.limit),
        "weeks": limits.averaging_weeks,
    }
    if violation.rule == WEEKLY_HOURS:
        return (
            _(
                "%(value)s hours a week on average over %(weeks)s weeks (at most %(limit)s), "
                "from %(start)s to %(end)s."
            )
            % values
        )
    if violation.rule == DAYS_OFF:
        return (
            _(
                "Only %(value)s free days in %(weeks)s weeks (at least %(limit)s), from "
                "%(start)s to %(end)s."
            )
            % values
        )
    if violation.rule == CONTINUOUS_DUTY:
        return (
            _("%(value)s hours of continuous duty (at most %(limit)s), from %(start)s to %(end)s.")
            % values
        )
    return (
        _(
            "Only %(value)s hours of rest between shifts (at least %(limit)s), from %(start)s "
            "to %(end)s."
        )
        % values
    )


def violation_detail(violation: rules.Violation, limits: rules.Limits) -> dict[str, Any]:
    """What a warning or notification keeps, to be worded when shown."""
    return {
        "rule": violation.rule,
        "start": violation.start.isoformat(),
        "end": violation.end.isoformat(),
        "value": round(violation.value, 2),
        "limit": violation.limit,
        "weeks": limits.averaging_weeks,
    }


def _from_detail(detail: dict[str, Any]) -> tuple[rules.Violation, rules.Limits]:
    violation = rules.Violation(
        rule=detail.get("rule", ""),
        start=datetime.datetime.fromisoformat(detail["start"]),
        end=datetime.datetime.fromisoformat(detail["end"]),
        value=float(detail.get("value", 0)),
        limit=float(detail.get("limit", 0)),
    )
    return violation, rules.Limits(code="", averaging_weeks=int(detail.get("weeks", 4)))


def detail_text(detail: dict[str, Any]) -> str:
    try:
        violation, limits = _from_detail(detail)
    except (KeyError, ValueError):
        return rule_label(detail.get("rule", ""))
    return violation_text(violation, limits)


def warning_text(detail: dict[str, Any]) -> str:
    return _("Work hours of %(trainee)s break the rule “%(rule)s”: %(text)s") % {
        "trainee": detail.get("trainee", ""),
        "rule": rule_label(detail.get("rule", "")),
        "text": detail_text(detail),
    }


def notification_text(params: dict[str, Any]) -> str:
    return _("Your shifts break the work-hour rule “%(rule)s”: %(text)s") % {
        "rule": rule_label(params.get("rule", "")),
        "text": detail_text(params),
    }
