"""What teaching notifications say, worded when shown (in the reader's language)."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.teaching.models import AttendanceStatus


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def scheduled_text(params: dict[str, Any]) -> str:
    kind = (params.get("kind_zh") if _chinese() else None) or params.get("kind", "")
    values = {**params, "kind": kind}
    if int(params.get("count") or 1) > 1:
        return (
            _(
                "%(kind)s “%(topic)s” was scheduled for you: %(count)s times from %(start)s, "
                "at %(place)s."
            )
            % values
        )
    return _("%(kind)s “%(topic)s” was scheduled for you on %(start)s at %(place)s.") % values


def attendance_corrected_text(params: dict[str, Any]) -> str:
    status = params.get("status", "")
    label = AttendanceStatus(status).label if status in AttendanceStatus.values else status
    return _("%(teacher)s recorded you as “%(status)s” at “%(topic)s” of %(date)s: %(reason)s") % {
        **params,
        "status": label,
    }
