"""Who may do what with funds, allocations, expenses and joint applications. Views and the API
ask these; the services ask again.

A fund belongs to one institution and has a principal investigator (PI). Its coordinators and
its PI manage it; money set aside for a joint trainee (an allocation) may also be spent by that
trainee. Allocations are decided by the coordinators of the trainee's home and host.
"""

from typing import Any

from tandem.core import tenancy
from tandem.funds.models import (
    AllocationStatus,
    ApplicationStatus,
    Expense,
    FundAllocation,
    JointFundApplication,
    ResearchFund,
)


def _pk(user: Any) -> Any:
    return getattr(user, "pk", None)


def can_register_fund(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_register_fund_at(user: Any, institution_id: int) -> bool:
    return tenancy.is_consortium_admin(user) or (
        institution_id in tenancy.coordinated_institution_ids(user)
    )


def can_manage_fund(user: Any, fund: ResearchFund) -> bool:
    """Coordinators of the fund's institution, its PI and consortium admins."""
    if tenancy.is_consortium_admin(user) or fund.principal_investigator_id == _pk(user):
        return True
    return fund.institution_id in tenancy.coordinated_institution_ids(user)


def can_charge_fund(
    user: Any, fund: ResearchFund, allocation: FundAllocation | None = None
) -> bool:
    """The PI and the coordinators of the fund's institution charge any expense; a joint trainee
    charges their own approved allocation. Admins oversee but do not spend."""
    if fund.principal_investigator_id == _pk(user):
        return True
    if fund.institution_id in tenancy.coordinated_institution_ids(user):
        return True
    return (
        allocation is not None
        and allocation.fund_id == fund.pk
        and allocation.status == AllocationStatus.APPROVED
        and allocation.cultivation.trainee_id == _pk(user)
    )


def can_reverse_expense(user: Any, expense: Expense) -> bool:
    if expense.is_reversal or is_reversed(expense):
        return False
    return can_charge_fund(user, expense.fund, expense.allocation)


def is_reversed(expense: Expense) -> bool:
    try:
        return expense.reversal is not None
    except Expense.reversal.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False


def allocation_sides(allocation: FundAllocation) -> set[int]:
    return {allocation.cultivation.home_id, allocation.cultivation.host_id}


def can_allocate(user: Any, fund: ResearchFund) -> bool:
    """Coordinators of the fund's institution, its PI and admins propose allocations."""
    return can_manage_fund(user, fund)


def sides_user_may_approve(user: Any, allocation: FundAllocation) -> set[int]:
    """Home/host institutions this coordinator may still approve a proposed split for."""
    if allocation.status != AllocationStatus.PROPOSED:
        return set()
    pending = {s.institution_id for s in allocation.shares.all() if s.approved_by_id is None}
    return tenancy.coordinated_institution_ids(user) & allocation_sides(allocation) & pending


def may_approve_as_side(user: Any, allocation: FundAllocation) -> bool:
    return bool(tenancy.coordinated_institution_ids(user) & allocation_sides(allocation))


def is_application_tutor(user: Any, application: JointFundApplication) -> bool:
    return _pk(user) in (application.first_tutor_id, application.second_tutor_id)


def can_edit_application(user: Any, application: JointFundApplication) -> bool:
    return application.status == ApplicationStatus.DRAFTED and is_application_tutor(
        user, application
    )


def may_decide_application(user: Any, application: JointFundApplication) -> bool:
    """Either tutor, a coordinator of the home or the host, or a consortium admin: who records
    an application's outcome, whatever state it is in."""
    if is_application_tutor(user, application):
        return True
    cultivation = application.cultivation
    sides = {cultivation.home_id, cultivation.host_id}
    return tenancy.is_consortium_admin(user) or bool(
        tenancy.coordinated_institution_ids(user) & sides
    )


def can_decide_application(user: Any, application: JointFundApplication) -> bool:
    """The outcome of a submitted application (see `may_decide_application`)."""
    return application.status == ApplicationStatus.SUBMITTED and may_decide_application(
        user, application
    )
