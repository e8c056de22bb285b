"""What the assessments' warnings and notifications say, worded when shown (in the reader's
language)."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.assessments.models import ComponentKind


def _department(detail: dict[str, Any]) -> str:
    chinese = (get_language() or "").startswith("zh")
    found = detail.get("department_zh") if chinese else detail.get("department")
    return str(found or detail.get("department", ""))


def overdue_text(detail: dict[str, Any]) -> str:
    return _("The rotation-end assessment of %(trainee)s in %(department)s was due on %(due)s.") % {
        **detail,
        "department": _department(detail),
    }


def failed_text(detail: dict[str, Any]) -> str:
    names = ", ".join(
        str(ComponentKind(kind).label)
        for kind in detail.get("components", ())
        if kind in ComponentKind.values
    )
    return _("%(trainee)s failed in %(department)s: %(components)s.") % {
        **detail,
        "department": _department(detail),
        "components": names,
    }


def wba_short_text(detail: dict[str, Any]) -> str:
    return _(
        "%(trainee)s still needs %(missing)s confirmed WBAs in %(department)s; the rotation ends "
        "on %(end)s."
    ) % {**detail, "department": _department(detail)}


def decided_text(params: dict[str, Any]) -> str:
    if params.get("passed"):
        return _("You passed the rotation-end assessment in %(department)s.") % params
    return (
        _("You did not pass the rotation-end assessment in %(department)s: see the remediation.")
        % params
    )


def wba_to_confirm_text(params: dict[str, Any]) -> str:
    return _("%(resident)s asks you to confirm a WBA (%(form)s).") % params


def annual_overdue_text(detail: dict[str, Any]) -> str:
    return (
        _("The annual assessment of %(trainee)s (training year %(year)s) was due on %(due)s.")
        % detail
    )


def completion_at_risk_text(detail: dict[str, Any]) -> str:
    return (
        _(
            "%(trainee)s ends training on %(end)s and is not on track for completion: %(missing)s "
            "items of the checklist are missing."
        )
        % detail
    )
