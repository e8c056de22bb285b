"""The funds API: the same selectors, permissions and services as the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.selectors import person_list_visible_to
from tandem.core.api import ERRORS, Pagination
from tandem.core.lookups import IdResolver, resolve_one
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.funds import permissions, selectors, services, services_allocation
from tandem.funds.models import Expense, FundAllocation
from tandem.institutions.selectors import institution_list_visible_to

router = Router(tags=["funds"])


class FundIn(Schema):
    code: str
    title: str
    source: str
    principal_investigator_id: int
    institution_id: int
    amount: Decimal
    start_date: datetime.date
    end_date: datetime.date


class FundOut(Schema):
    id: int
    code: str
    title: str
    source: str
    principal_investigator_id: int
    principal_investigator_name: str
    institution_id: int
    amount: Decimal
    balance: Decimal
    start_date: datetime.date
    end_date: datetime.date

    @staticmethod
    def resolve_principal_investigator_name(obj: Any) -> str:
        return str(obj.principal_investigator)


class FundFilters(Schema):
    institution_id: int | None = None
    q: str | None = None
    current: bool = False


class ExpenseIn(Schema):
    amount: Decimal
    date: datetime.date
    category: str
    description: str
    allocation_id: int | None = None


class ExpenseOut(Schema):
    id: int
    fund_id: int
    allocation_id: int | None
    date: datetime.date
    amount: Decimal
    signed_amount: Decimal
    category: str
    description: str
    receipt: str
    recorded_by_id: int
    recorded_at: datetime.datetime
    reverses_id: int | None
    reason: str

    @staticmethod
    def resolve_receipt(obj: Expense) -> str:
        return obj.receipt.name or ""


class ExpenseFilters(Schema):
    category: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    allocation_id: int | None = None
    q: str | None = None


class FundReasonIn(Schema):
    reason: str


class AllocationShareOut(Schema):
    institution_id: int
    share: Decimal
    approved_by_id: int | None
    approved_at: datetime.datetime | None


class AllocationIn(Schema):
    cultivation_id: int
    amount: Decimal
    warn_below: Decimal = Decimal("0")
    shares: dict[int, Decimal] | None = None


class AllocationOut(Schema):
    id: int
    fund_id: int
    cultivation_id: int
    trainee_id: int
    amount: Decimal
    spent: Decimal
    remaining: Decimal
    status: str
    split_differs_from_agreement: bool
    warn_below: Decimal
    shares: list[AllocationShareOut]
    warnings: list[str]

    @staticmethod
    def resolve_trainee_id(obj: FundAllocation) -> int:
        return obj.cultivation.trainee_id

    @staticmethod
    def resolve_shares(obj: FundAllocation) -> list:
        return list(obj.shares.all())

    @staticmethod
    def resolve_warnings(obj: FundAllocation) -> list[str]:
        return selectors.allocation_warnings(obj)


class AllocationFilters(Schema):
    status: str | None = None
    fund_id: int | None = None
    q: str | None = None


class ApplicationIn(Schema):
    cultivation_id: int
    title: str
    funder: str
    amount_requested: Decimal


class DecisionIn(Schema):
    status: str
    outcome: str = ""
    resulting_fund_id: int | None = None


class ApplicationOut(Schema):
    id: int
    cultivation_id: int
    first_tutor_id: int
    second_tutor_id: int
    title: str
    funder: str
    amount_requested: Decimal
    status: str
    outcome: str
    resulting_fund_id: int | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None


class ApplicationFilters(Schema):
    status: str | None = None
    q: str | None = None


# --- Funds and the ledger --------------------------------------------------------------------


@router.get("/", response={200: list[FundOut], **ERRORS}, operation_id="funds_fund_list")
@paginate(Pagination)
def fund_list(request: HttpRequest, filters: Query[FundFilters]) -> Any:
    return selectors.fund_list_for_page(
        request.user,
        institution_id=filters.institution_id,
        search=filters.q or "",
        current_only=filters.current,
    )


@router.get(
    "/chargeable", response={200: list[FundOut], **ERRORS}, operation_id="funds_fund_chargeable"
)
@paginate(Pagination)
def fund_chargeable(request: HttpRequest) -> Any:
    return selectors.fund_list_chargeable_by(request.user)


@router.post("/", response={201: FundOut, **ERRORS}, operation_id="funds_fund_create")
def fund_create(request: HttpRequest, payload: FundIn) -> Any:
    if not permissions.can_register_fund(request.user):
        raise PermissionDenied(_("Only coordinators register research funds."))
    data = payload.dict()
    if not permissions.can_register_fund_at(request.user, data["institution_id"]):
        raise PermissionDenied(_("Only a coordinator of the fund's institution can register it."))
    ids = IdResolver()
    pi = ids.one(
        "principal_investigator",
        person_list_visible_to(request.user),
        data.pop("principal_investigator_id"),
    )
    institution = ids.one(
        "institution", institution_list_visible_to(request.user), data.pop("institution_id")
    )
    ids.check()
    fund = services.fund_register(
        actor=request.user, principal_investigator=pi, institution=institution, **data
    )
    return Status(201, fund)


# Literal paths come before "/{fund_id}" so that they are not read as ids.
@router.get(
    "/allocations",
    response={200: list[AllocationOut], **ERRORS},
    operation_id="funds_allocation_list",
)
@paginate(Pagination)
def allocation_list(request: HttpRequest, filters: Query[AllocationFilters]) -> Any:
    return selectors.allocation_list_for_page(
        request.user,
        status=filters.status or "",
        fund_id=filters.fund_id,
        search=filters.q or "",
    )


@router.get(
    "/allocations/{allocation_id}",
    response={200: AllocationOut, **ERRORS},
    operation_id="funds_allocation_get",
)
def allocation_get(request: HttpRequest, allocation_id: int) -> Any:
    return selectors.allocation_get_for_user_or_404(request.user, allocation_id)


@router.post(
    "/allocations/{allocation_id}/approve",
    response={200: AllocationOut, **ERRORS},
    operation_id="funds_allocation_approve",
)
def allocation_approve(request: HttpRequest, allocation_id: int) -> Any:
    allocation = selectors.allocation_get_for_user_or_404(request.user, allocation_id)
    if not permissions.may_approve_as_side(request.user, allocation):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host approve a split.")
        )
    services_allocation.allocation_approve(actor=request.user, allocation=allocation)
    return selectors.allocation_get_for_user_or_404(request.user, allocation_id)


@router.get(
    "/applications",
    response={200: list[ApplicationOut], **ERRORS},
    operation_id="funds_application_list",
)
@paginate(Pagination)
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]) -> Any:
    return selectors.application_list_for_page(
        request.user, status=filters.status or "", search=filters.q or ""
    )


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS},
    operation_id="funds_application_create",
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    cultivation = cultivation_get_for_user_or_404(request.user, payload.cultivation_id)
    application = services_allocation.application_draft(
        actor=request.user,
        cultivation=cultivation,
        title=payload.title,
        funder=payload.funder,
        amount_requested=payload.amount_requested,
    )
    return Status(201, application)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    operation_id="funds_application_get",
)
def application_get(request: HttpRequest, application_id: int) -> Any:
    return selectors.application_get_for_user_or_404(request.user, application_id)


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, **ERRORS},
    operation_id="funds_application_submit",
)
def application_submit(request: HttpRequest, application_id: int) -> Any:
    application = selectors.application_get_for_user_or_404(request.user, application_id)
    if not permissions.is_application_tutor(request.user, application):
        raise PermissionDenied(_("Only the applying tutors submit the application."))
    return services_allocation.application_submit(actor=request.user, application=application)


@router.post(
    "/applications/{application_id}/decide",
    response={200: ApplicationOut, **ERRORS},
    operation_id="funds_application_decide",
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    application = selectors.application_get_for_user_or_404(request.user, application_id)
    if not permissions.can_decide_application(request.user, application):
        raise PermissionDenied(_("Only the tutors or the coordinators record the outcome."))
    fund = resolve_one(
        "resulting_fund", selectors.fund_list_visible_to(request.user), payload.resulting_fund_id
    )
    return services_allocation.application_decide(
        actor=request.user,
        application=application,
        status=payload.status,
        outcome=payload.outcome,
        resulting_fund=fund,
    )


@router.get("/{fund_id}", response={200: FundOut, **ERRORS}, operation_id="funds_fund_get")
def fund_get(request: HttpRequest, fund_id: int) -> Any:
    return selectors.fund_get_for_user_or_404(request.user, fund_id)


@router.get(
    "/{fund_id}/expenses",
    response={200: list[ExpenseOut], **ERRORS},
    operation_id="funds_expense_list",
)
@paginate(Pagination)
def expense_list(request: HttpRequest, fund_id: int, filters: Query[ExpenseFilters]) -> Any:
    fund = selectors.fund_get_for_user_or_404(request.user, fund_id)
    return selectors.expense_list_for(
        request.user,
        fund,
        category=filters.category or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
        allocation_id=filters.allocation_id,
        search=filters.q or "",
    )


@router.post(
    "/{fund_id}/expenses", response={201: ExpenseOut, **ERRORS}, operation_id="funds_expense_create"
)
def expense_create(request: HttpRequest, fund_id: int, payload: ExpenseIn) -> Any:
    fund = selectors.fund_get_for_user_or_404(request.user, fund_id)
    if not selectors.fund_list_chargeable_by(request.user).filter(pk=fund.pk).exists():
        raise PermissionDenied(_("You cannot charge expenses to this fund."))
    allocation = resolve_one(
        "allocation",
        selectors.allocation_list_chargeable_by(request.user, fund),
        payload.allocation_id,
    )
    expense = services.expense_record(
        actor=request.user,
        fund=fund,
        amount=payload.amount,
        date=payload.date,
        category=payload.category,
        description=payload.description,
        allocation=allocation,
    )
    return Status(201, expense)


@router.post(
    "/{fund_id}/expenses/{expense_id}/reverse",
    response={201: ExpenseOut, **ERRORS},
    operation_id="funds_expense_reverse",
)
def expense_reverse(
    request: HttpRequest, fund_id: int, expense_id: int, payload: FundReasonIn
) -> Any:
    expense = selectors.expense_get_for_user_or_404(request.user, fund_id, expense_id)
    if not permissions.can_charge_fund(request.user, expense.fund, expense.allocation):
        raise PermissionDenied(_("You cannot reverse this expense."))
    return Status(
        201, services.expense_reverse(actor=request.user, expense=expense, reason=payload.reason)
    )


@router.post(
    "/{fund_id}/allocations",
    response={201: AllocationOut, **ERRORS},
    operation_id="funds_allocation_create",
)
def allocation_create(request: HttpRequest, fund_id: int, payload: AllocationIn) -> Any:
    fund = selectors.fund_get_for_user_or_404(request.user, fund_id)
    if not permissions.can_allocate(request.user, fund):
        raise PermissionDenied(_("Only the fund's coordinators or its PI can allocate money."))
    cultivation = cultivation_get_for_user_or_404(request.user, payload.cultivation_id)
    allocation = services_allocation.allocation_propose(
        actor=request.user,
        fund=fund,
        cultivation=cultivation,
        amount=payload.amount,
        warn_below=payload.warn_below,
        shares=payload.shares,
    )
    return Status(201, selectors.allocation_get_for_user_or_404(request.user, allocation.pk))
