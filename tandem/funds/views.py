"""Fund pages: the register of funds, a fund's ledger, expenses and their export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.numbers import format_money
from tandem.core.pagination import paginate, query_without_page
from tandem.core.spreadsheets import XLSX
from tandem.funds import permissions, selectors, services
from tandem.funds.exports import ledger_workbook
from tandem.funds.forms import ExpenseForm, FundFilterForm, FundForm, LedgerFilterForm, ReasonForm
from tandem.funds.models import ResearchFund


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back_url: str = "",
    back_label: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The one form template of the funds pages."""
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            **extra,
        },
        status=status,
    )


@login_required
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    filters = FundFilterForm(request.GET or None, user=request.user)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    institution = values.get("institution")
    queryset = selectors.fund_list_for_page(
        request.user,
        institution_id=institution.pk if institution else None,
        search=values.get("q") or "",
        current_only=bool(values.get("current")),
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_create": permissions.can_register_fund(request.user),
    }
    if request.htmx:
        return render(request, "funds/_fund_results.html", context)
    return render(request, "funds/fund_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register_fund(request.user):
        raise PermissionDenied(_("Only coordinators register research funds."))
    posted = request.POST.get("institution", "")
    if posted.isdigit() and not permissions.can_register_fund_at(request.user, int(posted)):
        raise PermissionDenied(_("Only a coordinator of the fund's institution can register it."))
    form = FundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The fund is registered."))
            return redirect("funds:detail", pk=fund.pk)
    return form_page(
        request,
        form,
        title=_("Register a research fund"),
        back_url=reverse("funds:list"),
        back_label=_("All research funds"),
        status=400 if request.method == "POST" else 200,
    )


def _ledger(request: HttpRequest, fund: ResearchFund) -> tuple[LedgerFilterForm, Any]:
    filters = LedgerFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    expenses = selectors.expense_list_for(
        request.user,
        fund,
        category=values.get("category") or "",
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
        allocation_id=values.get("allocation"),
        search=values.get("q") or "",
    )
    return filters, expenses


@login_required
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get_for_user_or_404(request.user, pk)
    filters, expenses = _ledger(request, fund)
    context = {
        "fund": fund,
        "filters": filters,
        "page_obj": paginate(request, expenses),
        "query": query_without_page(request),
        "totals": selectors.ledger_totals(fund),
        "can_charge": selectors.fund_list_chargeable_by(request.user).filter(pk=fund.pk).exists(),
        "can_manage": permissions.can_manage_fund(request.user, fund),
        "allocations": selectors.allocation_list_for_page(request.user, fund_id=fund.pk)[:50],
        "history": audit_history(fund)[:50],
    }
    if request.htmx:
        return render(request, "funds/_ledger.html", context)
    return render(request, "funds/fund_detail.html", context)


@login_required
@require_GET
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get_for_user_or_404(request.user, pk)
    _filters, expenses = _ledger(request, fund)
    response = HttpResponse(
        ledger_workbook(fund, expenses.iterator(chunk_size=500)), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-{fund.code}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get_for_user_or_404(request.user, pk)
    if not selectors.fund_list_chargeable_by(request.user).filter(pk=fund.pk).exists():
        raise PermissionDenied(_("You cannot charge expenses to this fund."))
    allocations = selectors.allocation_list_chargeable_by(request.user, fund)
    form = ExpenseForm(request.POST or None, request.FILES or None, allocations=allocations)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_record(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The expense is recorded."))
            return redirect("funds:detail", pk=fund.pk)
    return form_page(
        request,
        form,
        title=_("Record an expense"),
        back_url=reverse("funds:detail", args=[pk]),
        back_label=str(fund),
        status=400 if request.method == "POST" else 200,
        explanation=_("Balance: %(balance)s CNY.") % {"balance": format_money(fund.balance)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def expense_reverse(request: HttpRequest, pk: int, expense_pk: int) -> HttpResponse:
    expense = selectors.expense_get_for_user_or_404(request.user, pk, expense_pk)
    if not permissions.can_reverse_expense(request.user, expense):
        raise PermissionDenied(_("You cannot reverse this expense."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_reverse(
                actor=request.user, expense=expense, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The expense is reversed."))
            return redirect("funds:detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Reverse an expense"),
        back_url=reverse("funds:detail", args=[pk]),
        back_label=str(expense.fund),
        status=400 if request.method == "POST" else 200,
        danger=True,
        explanation=_(
            "A compensating entry gives %(amount)s CNY back to the fund; the expense “%(what)s” "
            "stays in the ledger."
        )
        % {"amount": format_money(expense.amount), "what": expense.description_text},
    )


@login_required
@require_GET
def expense_receipt(request: HttpRequest, pk: int, expense_pk: int) -> HttpResponse:
    expense = selectors.expense_get_for_user_or_404(request.user, pk, expense_pk)
    if not expense.receipt:
        raise Http404
    return FileResponse(
        expense.receipt.open("rb"),
        as_attachment=True,
        filename=expense.receipt.name.rsplit("/", 1)[-1],
    )
