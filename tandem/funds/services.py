"""Every write about research funds and the expense ledger.

The balance of a fund lives on its row and never goes below zero. Spending changes it with ONE
conditional UPDATE (`balance >= amount`), which PostgreSQL re-checks against the newest row
version when parallel transactions race, so no number of simultaneous expenses can overdraw a
fund; the check constraint `fund_balance_within_amount` is the last line of defence. An
allocation's `spent` is guarded the same way.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, User
from tandem.core import audit_labels
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.audit_labels import in_site_language
from tandem.core.errors import field_error
from tandem.core.numbers import format_money
from tandem.funds import permissions
from tandem.funds.models import (
    AllocationStatus,
    Expense,
    FundAllocation,
    ResearchFund,
)
from tandem.institutions.models import Institution

FUND_FIELDS = (
    "code",
    "title",
    "source",
    "principal_investigator",
    "institution",
    "amount",
    "balance",
    "start_date",
    "end_date",
)
EXPENSE_FIELDS = (
    "fund",
    "allocation",
    "date",
    "amount",
    "category",
    "description",
    "reverses",
    "reason",
)


def _expense_state(expense: Expense) -> dict[str, Any]:
    # An empty FieldFile cannot go through snapshot(): its `url` raises ValueError.
    state = {**snapshot(expense, EXPENSE_FIELDS), "receipt": expense.receipt.name or ""}
    # A generated description or reason is recorded as its code, worded when read.
    return state | expense.generated


def _clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)


@transaction.atomic
def fund_register(
    *,
    actor: User,
    code: str,
    title: str,
    source: str,
    principal_investigator: User,
    institution: Institution,
    amount: Decimal,
    start_date: datetime.date,
    end_date: datetime.date,
) -> ResearchFund:
    """A coordinator of the institution (or a consortium admin) registers a research fund."""
    if not permissions.can_register_fund_at(actor, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of the fund's institution can register a fund.")
        )
    if amount is None or amount <= 0:
        raise field_error("amount", _("The amount must be more than zero."))
    if not Membership.objects.filter(
        user=principal_investigator, institution=institution, is_active=True
    ).exists():
        raise field_error(
            "principal_investigator",
            _("The principal investigator must be a member of the fund's institution."),
        )
    if start_date and end_date and end_date <= start_date:
        raise field_error("end_date", _("The period must end after it starts."))
    fund = ResearchFund(
        code=(code or "").strip(),
        title=(title or "").strip(),
        source=(source or "").strip(),
        principal_investigator=principal_investigator,
        institution=institution,
        amount=amount,
        balance=amount,
        start_date=start_date,
        end_date=end_date,
    )
    _clean(fund)
    fund.save()
    audit_record(
        actor=actor,
        action="fund.register",
        target=fund,
        changes=diff({}, snapshot(fund, FUND_FIELDS)),
    )
    return fund


def _remaining_message(balance: Decimal, what: str) -> str:
    if what == "allocation":
        return _("This expense exceeds the allocation: only %(remaining)s CNY remain of it.") % {
            "remaining": format_money(balance)
        }
    return _("This expense exceeds the fund's balance: only %(remaining)s CNY remain.") % {
        "remaining": format_money(balance)
    }


@transaction.atomic
def expense_record(
    *,
    actor: User,
    fund: ResearchFund,
    amount: Decimal,
    date: datetime.date,
    category: str,
    description: str,
    allocation: FundAllocation | None = None,
    receipt: File | None = None,
    generated_description: dict[str, Any] | None = None,
) -> Expense:
    """Record one expense and take it off the fund's balance (and the allocation's remainder).
    `generated_description`: the system makes this entry (see core.audit_labels.generated);
    `description` is then its words in the site's language.

    Refused with a ValidationError on `amount`, naming what remains, when the balance or the
    allocation would go below zero — also when parallel requests race for the last money."""
    if allocation is not None and allocation.fund_id != fund.pk:
        raise field_error("allocation", _("The allocation belongs to another fund."))
    if not permissions.can_charge_fund(actor, fund, allocation):
        raise PermissionDenied(_("You cannot charge expenses to this fund."))
    if allocation is not None and allocation.status != AllocationStatus.APPROVED:
        raise field_error(
            "allocation", _("Money can only be spent from an allocation approved by both sides.")
        )
    if amount is None or amount <= 0:
        raise field_error("amount", _("The amount must be more than zero."))
    if date and not (fund.start_date <= date <= fund.end_date):
        raise field_error(
            "date",
            _("The date must fall within the fund's period (%(start)s – %(end)s).")
            % {"start": fund.start_date.isoformat(), "end": fund.end_date.isoformat()},
        )
    expense = Expense(
        fund=fund,
        allocation=allocation,
        date=date,
        amount=amount,
        category=category,
        description=(description or "").strip(),
        recorded_by=actor,
        generated={"description": generated_description} if generated_description else {},
    )
    if receipt is not None:
        expense.receipt = receipt
    _clean(expense)
    taken = ResearchFund.objects.filter(pk=fund.pk, balance__gte=amount).update(
        balance=F("balance") - amount
    )
    if not taken:
        balance = ResearchFund.objects.filter(pk=fund.pk).values_list("balance", flat=True)[0]
        raise field_error("amount", _remaining_message(balance, "fund"))
    if allocation is not None:
        taken = FundAllocation.objects.filter(
            pk=allocation.pk, spent__lte=F("amount") - amount
        ).update(spent=F("spent") + amount)
        if not taken:
            left = FundAllocation.objects.filter(pk=allocation.pk).values_list("amount", "spent")[0]
            # Raising rolls back the fund's update above with the rest of this transaction.
            raise field_error("amount", _remaining_message(left[0] - left[1], "allocation"))
        allocation.refresh_from_db(fields=["spent"])
    expense.save()
    fund.refresh_from_db(fields=["balance"])
    audit_record(
        actor=actor,
        action="expense.record",
        target=expense,
        changes=diff({}, _expense_state(expense)),
    )
    return expense


@transaction.atomic
def expense_reverse(
    *,
    actor: User,
    expense: Expense,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
) -> Expense:
    """A compensating entry that gives an expense's money back (e.g. a cancelled booking's
    charge). The original stays in the ledger; an expense is reversed at most once.
    `reason`: what a person wrote; `reason_code`: a reason the system gives instead."""
    original = (
        Expense.objects.select_for_update(of=("self",))
        .select_related("fund", "allocation__cultivation")
        .get(pk=expense.pk)
    )
    if not permissions.can_charge_fund(actor, original.fund, original.allocation):
        raise PermissionDenied(_("You cannot reverse expenses of this fund."))
    if original.is_reversal:
        raise field_error("expense", _("A reversal cannot itself be reversed."))
    if Expense.objects.filter(reverses=original).exists():
        raise field_error("expense", _("This expense has already been reversed."))
    reason = (reason or "").strip()
    generated = {
        "description": audit_labels.generated(
            "expense.reversal",
            {"description": original.generated.get("description") or original.description},
        )
    }
    if reason_code:
        generated["reason"] = audit_labels.generated(reason_code, reason_params)
        reason = in_site_language(generated["reason"])
    if not reason:
        raise field_error("reason", _("Say why the expense is reversed."))
    reversal = Expense(
        fund=original.fund,
        allocation=original.allocation,
        date=timezone.localdate(),
        amount=original.amount,
        category=original.category,
        description=in_site_language(generated["description"])[:300],
        recorded_by=actor,
        reverses=original,
        reason=reason,
        generated=generated,
    )
    _clean(reversal)
    amount = original.amount
    ResearchFund.objects.filter(pk=original.fund_id).update(balance=F("balance") + amount)
    if original.allocation_id is not None:
        FundAllocation.objects.filter(pk=original.allocation_id).update(spent=F("spent") - amount)
    reversal.save()
    expense.fund.refresh_from_db(fields=["balance"])
    audit_record(
        actor=actor,
        action="expense.reverse",
        target=reversal,
        changes=diff({}, _expense_state(reversal)),
        reason="" if reason_code else reason,
        reason_code=reason_code,
        reason_params=reason_params if reason_code else None,
    )
    return reversal
