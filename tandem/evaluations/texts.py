"""What an evaluation reminder says, worded here so that its Chinese is in this app's catalogue
(`tandem.alerts.texts` calls it when the notification is shown, in the reader's language).
A reminder names the round and the due date; it never carries anything of the answers."""

import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


def _round_title(params: dict[str, Any]) -> str:
    if params.get("round_zh") and (get_language() or "").startswith("zh"):
        return str(params["round_zh"])
    return str(params.get("round", ""))


def _date(value: Any) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value or "")


def reminder_text(kind: str, params: dict[str, Any]) -> str:
    values = {
        "round": _round_title(params),
        "due": _date(params.get("due")),
        "count": params.get("count", 0),
    }
    if kind == "evaluation_due":
        return _("Your evaluation in “%(round)s” is due on %(due)s.") % values
    if kind == "evaluation_overdue":
        return _("Your evaluation in “%(round)s” was due on %(due)s and is overdue.") % values
    return (
        ngettext(
            "The evaluation round “%(round)s” was due on %(due)s; %(count)s evaluation is "
            "outstanding.",
            "The evaluation round “%(round)s” was due on %(due)s; %(count)s evaluations are "
            "outstanding.",
            int(values["count"] or 0),
        )
        % values
    )
