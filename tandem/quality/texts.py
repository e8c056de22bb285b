"""What quality standards and warnings say, worded when shown (in the reader's language)."""

from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


def _unit(unit: str, period: int) -> str:
    if unit == "day":
        return ngettext("day", "%(n)s days", period) % {"n": period}
    if unit == "month":
        return ngettext("month", "%(n)s months", period) % {"n": period}
    return ngettext("week", "%(n)s weeks", period) % {"n": period}


def standard_text(standard: Any) -> str:
    """One line: "At least 1 × Teaching rounds in every department every 2 weeks"."""
    if standard.kind == "frequency":
        return _("At least %(count)s × %(kind)s in every department every %(period)s") % {
            "count": standard.count,
            "kind": standard.activity_kind if standard.activity_kind_id else "",
            "period": _unit(standard.unit, standard.period),
        }
    if standard.kind == "orientation":
        return _("An orientation for every new rotation start within %(days)s days") % {
            "days": standard.within_days
        }
    return _("At most %(count)s residents per responsible teacher at once") % {
        "count": standard.count
    }


def _base(detail: dict[str, Any]) -> str:
    if _zh() and detail.get("base_zh"):
        return str(detail["base_zh"])
    return str(detail.get("base", ""))


def missed_text(detail: dict[str, Any]) -> str:
    return _("%(base)s missed %(count)s of its standards in %(month)s.") % {
        **detail,
        "base": _base(detail),
    }


def overdue_text(detail: dict[str, Any]) -> str:
    return _("Rectification “%(finding)s” (%(owner)s) was due on %(due)s.") % detail


def rectification_text(params: dict[str, Any]) -> str:
    """A notification about a rectification item: assigned to its owner, the action reported to
    the supervisor, accepted or returned to the owner."""
    values = {"finding": params.get("finding", ""), "deadline": params.get("deadline", "")}
    step = params.get("step")
    if step == "responded":
        return _("The action taken on “%(finding)s” is reported: accept it or return it.") % values
    if step == "accepted":
        return _("The supervisor accepted the action taken on “%(finding)s”.") % values
    if step == "returned":
        return _("The supervisor returned “%(finding)s”: see what is missing.") % values
    return _("A supervision finding is yours to rectify by %(deadline)s: “%(finding)s”.") % values
