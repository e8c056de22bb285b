"""What exchange-visit notifications and warnings say, worded when shown (in the reader's
language): the visit's title in Chinese to a Chinese reader when it has one."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _visit(params: dict[str, Any]) -> str:
    if (get_language() or "").startswith("zh") and params.get("visit_zh"):
        return str(params["visit_zh"])
    return str(params.get("visit", ""))


def invited_text(params: dict[str, Any]) -> str:
    return _("You are invited to the exchange visit “%(visit)s”, %(start)s to %(end)s.") % {
        **params,
        "visit": _visit(params),
    }


def action_text(params: dict[str, Any]) -> str:
    values = {**params, "visit": _visit(params)}
    event = params.get("event")
    if event == "accepted":
        return _("Your action “%(title)s” of the visit “%(visit)s” was accepted.") % values
    if event == "returned":
        return (
            _("Your action “%(title)s” of the visit “%(visit)s” was returned: see what is missing.")
            % values
        )
    return _("You own the action “%(title)s” of the visit “%(visit)s”, due %(deadline)s.") % values


def overdue_text(detail: dict[str, Any]) -> str:
    return _("Action “%(title)s” of the visit “%(visit)s” (%(owner)s) was due on %(due)s.") % {
        **detail,
        "visit": _visit(detail),
    }
