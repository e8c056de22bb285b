"""The wording of qualification reasons, refusals and warnings, in the reader's language."""

import datetime
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tandem.faculty.qualification import Peak, Reason


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value or "")


def reason_text(reason: Reason) -> str:
    p = reason.params
    if reason.code == "inactive":
        return _("The teacher's profile at this base is not active.")
    if reason.code == "not_attending":
        return _("Not an attending physician yet (at least %(required)s years required).") % p
    if reason.code == "attending_years":
        return _(
            "Attending physician since %(since)s: %(years)s full years, at least %(required)s "
            "required."
        ) % (p | {"since": _day(p.get("since"))})
    if reason.code == "no_certificate":
        return _("No teacher-training certificate on file.")
    if reason.code == "certificate_not_yet":
        return _("The teacher-training certificate is only issued on %(issued)s.") % {
            "issued": _day(p.get("issued"))
        }
    if reason.code == "certificate_expired":
        return _("The teacher-training certificate expired on %(expired)s.") % {
            "expired": _day(p.get("expired"))
        }
    if reason.code == "no_profile":
        return _("Has no teacher profile at this training base.")
    return reason.code


def at_limit_text(peak: Peak, limit: int) -> str:
    return ngettext(
        "Already responsible for %(count)s resident from %(start)s to %(end)s (at most "
        "%(limit)s at once).",
        "Already responsible for %(count)s residents from %(start)s to %(end)s (at most "
        "%(limit)s at once).",
        peak.count,
    ) % {"count": peak.count, "start": _day(peak.start), "end": _day(peak.end), "limit": limit}


def expiring_text(d: dict[str, Any]) -> str:
    if d.get("expired"):
        return (
            _(
                "The teacher-training certificate of %(teacher)s expired on %(expires)s and they "
                "are still responsible for residents."
            )
            % d
        )
    return _("The teacher-training certificate of %(teacher)s expires on %(expires)s.") % d


def assigned_text(params: dict[str, Any]) -> str:
    """The notification of a responsible-teacher assignment, to the teacher or the resident."""
    zh = (get_language() or "").startswith("zh")
    values = {
        "resident": params.get("resident", ""),
        "teacher": params.get("teacher", ""),
        "department": (zh and params.get("department_zh")) or params.get("department", ""),
        "start": params.get("start", ""),
        "end": params.get("end", ""),
    }
    if params.get("role") == "teacher":
        return (
            _(
                "You are the responsible teacher of %(resident)s in %(department)s from %(start)s "
                "to %(end)s."
            )
            % values
        )
    return (
        _("%(teacher)s is your responsible teacher in %(department)s from %(start)s to %(end)s.")
        % values
    )
