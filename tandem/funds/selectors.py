"""Reads about research funds, allocations, expenses and joint applications, scoped to the user.

A fund is visible to consortium admins, to the people of its institution who manage money
(coordinators), to its principal investigator, and to whoever may open a joint cultivation it
funds (the trainee, their tutors, the coordinators of the home and the host).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import tenancy
from tandem.core.numbers import format_money
from tandem.core.unions import pk_in_any
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.funds import permissions
from tandem.funds.models import (
    AllocationShare,
    AllocationStatus,
    Expense,
    FundAllocation,
    JointFundApplication,
    ResearchFund,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def fund_list_visible_to(user: Any) -> QuerySet[ResearchFund]:
    queryset = ResearchFund.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    # Indexed branches (decision 081): the fund's own columns, and the funds of the
    # allocations of visible cultivations.
    return queryset.filter(
        pk_in_any(
            ResearchFund.objects.filter(
                Q(institution_id__in=tenancy.coordinated_institution_ids(user))
                | Q(principal_investigator=user)
            ).values("pk"),
            FundAllocation.objects.filter(cultivation__in=cultivation_list_visible_to(user)).values(
                "fund_id"
            ),
        )
    )


def fund_list_chargeable_by(user: Any) -> QuerySet[ResearchFund]:
    """Funds this person may charge an expense to: funds they lead, funds holding an approved
    allocation for their own joint cultivation, and (for coordinators) their institution's."""
    if not _signed_in(user):
        return ResearchFund.objects.none()
    own_allocation = FundAllocation.objects.filter(
        fund=OuterRef("pk"), status=AllocationStatus.APPROVED, cultivation__trainee=user
    )
    return (
        ResearchFund.objects.filter(
            Q(principal_investigator=user)
            | Q(institution_id__in=tenancy.coordinated_institution_ids(user))
            | Exists(own_allocation)
        )
        .select_related("institution", "principal_investigator")
        .order_by("code")
    )


def allocation_list_chargeable_by(user: Any, fund: ResearchFund) -> QuerySet[FundAllocation]:
    """The approved allocations of `fund` this person may charge (all of them for the PI and
    the fund's coordinators, their own for a trainee)."""
    queryset = FundAllocation.objects.filter(fund=fund, status=AllocationStatus.APPROVED)
    manages = fund.principal_investigator_id == getattr(user, "pk", None) or (
        fund.institution_id in tenancy.coordinated_institution_ids(user)
    )
    if not manages:
        queryset = queryset.filter(cultivation__trainee=user)
    return queryset.select_related("cultivation__trainee", "fund")


def fund_list_for_page(
    user: Any, *, institution_id: int | None = None, search: str = "", current_only: bool = False
) -> QuerySet[ResearchFund]:
    queryset = fund_list_visible_to(user)
    if institution_id:
        queryset = queryset.filter(institution_id=institution_id)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(source__icontains=search)
            | Q(principal_investigator__full_name__icontains=search)
        )
    if current_only:
        today = timezone.localdate()
        queryset = queryset.filter(start_date__lte=today, end_date__gte=today)
    return queryset.select_related("institution", "principal_investigator")


def fund_get_for_user_or_404(user: Any, pk: int) -> ResearchFund:
    return get_object_or_404(
        fund_list_visible_to(user).select_related("institution", "principal_investigator"),
        pk=pk,
    )


def expense_list_visible_to(user: Any, fund: ResearchFund) -> QuerySet[Expense]:
    """The entries of `fund` (fetched through its selector) this person may read. Those who
    manage the fund read its whole ledger; anyone else reads only the entries charged to the
    allocations of joint cultivations they may open: a trainee their own, a tutor their
    trainees', a coordinator of the home or host the cultivations of their institution."""
    queryset = fund.expenses.all()
    if permissions.can_manage_fund(user, fund):
        return queryset
    return queryset.filter(allocation__cultivation__in=cultivation_list_visible_to(user))


def expense_list_for(
    user: Any,
    fund: ResearchFund,
    *,
    category: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    allocation_id: int | None = None,
    search: str = "",
) -> QuerySet[Expense]:
    """The entries of a fund the caller may read, filtered."""
    queryset = expense_list_visible_to(user, fund)
    if category:
        queryset = queryset.filter(category=category)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if allocation_id:
        queryset = queryset.filter(allocation_id=allocation_id)
    if search:
        queryset = queryset.filter(description__icontains=search)
    return queryset.select_related(
        "recorded_by", "allocation__cultivation__trainee", "reverses", "reversal", "booking"
    )


def expense_get_for_user_or_404(user: Any, fund_pk: int, pk: int) -> Expense:
    fund = fund_get_for_user_or_404(user, fund_pk)
    return get_object_or_404(expense_list_for(user, fund).select_related("fund"), pk=pk)


def ledger_totals(fund: ResearchFund) -> dict[str, Decimal]:
    sums = fund.expenses.aggregate(
        spent=Sum("amount", filter=Q(reverses__isnull=True), default=Decimal("0")),
        returned=Sum("amount", filter=Q(reverses__isnull=False), default=Decimal("0")),
    )
    return {"spent": sums["spent"], "returned": sums["returned"]}


# --- Allocations ----------------------------------------------------------------------------


def _allocation_related(queryset: QuerySet[FundAllocation]) -> QuerySet[FundAllocation]:
    return queryset.select_related(
        "fund__institution",
        "cultivation__trainee",
        "cultivation__home",
        "cultivation__host",
        "created_by",
    ).prefetch_related(
        Prefetch(
            "shares",
            queryset=AllocationShare.objects.select_related("institution", "approved_by"),
        )
    )


def allocation_list_visible_to(user: Any) -> QuerySet[FundAllocation]:
    queryset = FundAllocation.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        pk_in_any(
            FundAllocation.objects.filter(
                fund__in=ResearchFund.objects.filter(
                    Q(institution_id__in=tenancy.coordinated_institution_ids(user))
                    | Q(principal_investigator=user)
                )
            ).values("pk"),
            FundAllocation.objects.filter(cultivation__in=cultivation_list_visible_to(user)).values(
                "pk"
            ),
        )
    )


def allocation_list_for_page(
    user: Any, *, status: str = "", fund_id: int | None = None, search: str = ""
) -> QuerySet[FundAllocation]:
    queryset = allocation_list_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if fund_id:
        queryset = queryset.filter(fund_id=fund_id)
    if search:
        queryset = queryset.filter(
            Q(cultivation__trainee__full_name__icontains=search) | Q(fund__code__icontains=search)
        )
    return _allocation_related(queryset)


def allocation_get_for_user_or_404(user: Any, pk: int) -> FundAllocation:
    return get_object_or_404(_allocation_related(allocation_list_visible_to(user)), pk=pk)


def allocation_list_for_cultivation(
    user: Any, cultivation: JointCultivation
) -> QuerySet[FundAllocation]:
    """The allocations of a cultivation the caller fetched through its selector."""
    return _allocation_related(allocation_list_visible_to(user).filter(cultivation=cultivation))


def allocation_warnings(
    allocation: FundAllocation, today: datetime.date | None = None
) -> list[str]:
    """Plain warnings about an allocation's remainder: exhausted, below its threshold, or
    spending at a pace that uses it up before the planned end of the research."""
    if allocation.status == AllocationStatus.CLOSED:
        return []
    today = today or timezone.localdate()
    remaining = allocation.amount - allocation.spent
    if remaining <= 0:
        return [_("The allocation is used up.")]
    warnings = []
    if remaining < allocation.warn_below:
        warnings.append(
            _("Only %(remaining)s CNY remain, below the warning threshold of %(threshold)s CNY.")
            % {
                "remaining": format_money(remaining),
                "threshold": format_money(allocation.warn_below),
            }
        )
    run_out = projected_run_out(allocation, today)
    if run_out is not None:
        warnings.append(
            _(
                "At the present rate of spending the money runs out around %(date)s, before the "
                "planned end of the research on %(end)s."
            )
            % {"date": run_out.isoformat(), "end": allocation.cultivation.planned_end.isoformat()}
        )
    return warnings


def projected_run_out(allocation: FundAllocation, today: datetime.date) -> datetime.date | None:
    """The day the remainder runs out at the spending rate so far, if that is before the planned
    end of the cultivation; None otherwise. The rate counts from the planned start of the
    research, which is when the trainee starts spending (expenses are often entered later)."""
    start = allocation.cultivation.planned_start
    end = allocation.cultivation.planned_end
    elapsed = (today - start).days
    if allocation.spent <= 0 or elapsed <= 0 or today >= end:
        return None
    per_day = allocation.spent / elapsed
    remaining = allocation.amount - allocation.spent
    days_left = (end - today).days
    if per_day * days_left <= remaining:
        return None
    return today + datetime.timedelta(days=int(remaining / per_day))


def funds_dashboard(user: Any) -> dict[str, Any]:
    """Counts and flagged allocations for the dashboard card, in a fixed number of queries."""
    funds = fund_list_visible_to(user)
    totals = funds.aggregate(
        amount=Sum("amount", default=Decimal("0")),
        balance=Sum("balance", default=Decimal("0")),
    )
    allocations = _allocation_related(
        allocation_list_visible_to(user).filter(status=AllocationStatus.APPROVED)
    )
    today = timezone.localdate()
    flagged = []
    for allocation in allocations.order_by("id")[:200]:
        warnings = allocation_warnings(allocation, today)
        if warnings:
            flagged.append({"allocation": allocation, "warnings": warnings})
    awaiting = 0
    coordinated = tenancy.coordinated_institution_ids(user)
    if coordinated:
        awaiting = (
            allocation_list_visible_to(user)
            .filter(status=AllocationStatus.PROPOSED)
            .filter(
                Exists(
                    AllocationShare.objects.filter(
                        allocation=OuterRef("pk"),
                        institution_id__in=coordinated,
                        approved_by__isnull=True,
                    )
                )
            )
            .count()
        )
    return {
        "fund_count": funds.count(),
        "amount": totals["amount"],
        "balance": totals["balance"],
        "flagged": flagged[:10],
        "flagged_count": len(flagged),
        "awaiting_my_approval": awaiting,
    }


# --- Joint fund applications ----------------------------------------------------------------


def application_list_visible_to(user: Any) -> QuerySet[JointFundApplication]:
    queryset = JointFundApplication.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(first_tutor=user)
        | Q(second_tutor=user)
        | Q(cultivation__in=cultivation_list_visible_to(user))
    )


def application_list_for_page(
    user: Any, *, status: str = "", search: str = ""
) -> QuerySet[JointFundApplication]:
    queryset = application_list_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(funder__icontains=search))
    return queryset.select_related(
        "first_tutor", "second_tutor", "cultivation__trainee", "resulting_fund"
    )


def application_get_for_user_or_404(user: Any, pk: int) -> JointFundApplication:
    return get_object_or_404(
        application_list_for_page(user).select_related(
            "cultivation__home", "cultivation__host", "created_by"
        ),
        pk=pk,
    )
