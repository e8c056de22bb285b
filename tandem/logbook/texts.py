"""What the logbook's early warning says, worded when shown (in the reader's language)."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def pace_warning_text(detail: dict[str, Any]) -> str:
    chinese = (get_language() or "").startswith("zh")
    department = detail.get("department_zh") if chinese else detail.get("department")
    return _(
        "The case log of %(trainee)s in %(department)s is far behind: %(logged)s%% of the "
        "minimums logged, %(expected)s%% of the rotation gone (it ends on %(end)s)."
    ) % {**detail, "department": department or detail.get("department", "")}


def returned_text(params: dict[str, Any]) -> str:
    return _("%(teacher)s returned your log entry “%(item)s” of %(date)s: %(comment)s") % params
