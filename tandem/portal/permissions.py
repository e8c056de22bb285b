"""Who may read the consortium's reports (the portal only reads; decision 116)."""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy

REPORT_ROLES = (Role.CONSORTIUM_ADMIN, Role.COORDINATOR, Role.BASE_DIRECTOR)


def can_view_benchmarks(user: Any) -> bool:
    """Consortium admins, coordinators and training-base directors see the consortium's
    suppressed aggregates."""
    return bool(getattr(user, "is_authenticated", False)) and bool(
        tenancy.roles(user) & set(REPORT_ROLES)
    )


def drill_down_institution_ids(user: Any) -> set[int] | None:
    """The institutions whose own details the user may open from a report: every one for a
    consortium admin (None), else those they coordinate."""
    if tenancy.is_consortium_admin(user):
        return None
    return tenancy.coordinated_institution_ids(user)


def can_request_annual_report(user: Any, institution: Any | None) -> bool:
    """The consortium's report: anyone who reads the reports. An institution's: the consortium
    admins and that institution's coordinators and training-base directors."""
    if not can_view_benchmarks(user):
        return False
    if institution is None or tenancy.is_consortium_admin(user):
        return True
    return institution.pk in tenancy.own_institution_ids(user, Role.COORDINATOR, Role.BASE_DIRECTOR)
