"""What the early warning about an overdue feedback item says (worded here so that its
Chinese is in this app's catalogue; `tandem.alerts.texts` calls it)."""

from typing import Any

from django.utils.translation import gettext as _


def feedback_warning_text(detail: dict[str, Any]) -> str:
    if detail.get("stage") == "acknowledge":
        text = _("Feedback item “%(title)s” was to be acknowledged by %(due)s.") % detail
    else:
        text = _("Feedback item “%(title)s” was to be resolved by %(due)s.") % detail
    if detail.get("level") == 2:
        text += " " + _("Escalated to the consortium.")
    return text
