"""The expense ledger: the balance never goes below zero, reversals give money back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.models import AuditEvent
from tandem.funds.models import Expense, ResearchFund
from tandem.funds.selectors import allocation_list_chargeable_by, fund_list_chargeable_by
from tandem.funds.services import expense_record, expense_reverse
from tandem.funds.tests.factories import ResearchFundFactory, fund_at_b, funded_cultivation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 1)


def _spend(actor, fund, amount, **kwargs):
    return expense_record(
        actor=actor,
        fund=fund,
        amount=Decimal(amount),
        date=DAY,
        category="consumables",
        description="Antibodies",
        **kwargs,
    )


def test_expense_takes_money_off_the_balance_and_is_audited(cast):
    fund = fund_at_b(cast, amount=Decimal("1000"))
    expense = _spend(cast.tutor_b, fund, "250.50")
    fund.refresh_from_db()
    assert fund.balance == Decimal("749.50")
    assert AuditEvent.objects.filter(action="expense.record", target_id=str(expense.pk)).exists()


def test_expense_beyond_the_balance_is_refused_naming_the_remainder(cast):
    fund = fund_at_b(cast, amount=Decimal("100"))
    _spend(cast.tutor_b, fund, "80")
    with pytest.raises(ValidationError) as error:
        _spend(cast.tutor_b, fund, "30")
    assert "20.00" in error.value.message_dict["amount"][0]
    fund.refresh_from_db()
    assert fund.balance == Decimal("20.00")
    assert Expense.objects.count() == 1


def test_stale_fund_object_cannot_overdraw(cast):
    fund = fund_at_b(cast, amount=Decimal("100"))
    stale = ResearchFund.objects.get(pk=fund.pk)
    _spend(cast.tutor_b, fund, "100")
    with pytest.raises(ValidationError):
        _spend(cast.tutor_b, stale, "10")
    assert ResearchFund.objects.get(pk=fund.pk).balance == 0


def test_expense_beyond_the_allocation_is_refused_and_nothing_is_half_saved(cast):
    allocation = funded_cultivation(cast, amount=Decimal("500"))
    with pytest.raises(ValidationError) as error:
        _spend(cast.trainee, allocation.fund, "600", allocation=allocation)
    assert "500.00" in error.value.message_dict["amount"][0]
    allocation.fund.refresh_from_db()
    assert allocation.fund.balance == allocation.fund.amount  # the fund's update rolled back
    assert not Expense.objects.exists()


def test_trainee_charges_own_allocation_and_spent_grows(cast):
    allocation = funded_cultivation(cast, amount=Decimal("500"))
    _spend(cast.trainee, allocation.fund, "120", allocation=allocation)
    allocation.refresh_from_db()
    assert allocation.spent == Decimal("120")


def test_trainee_cannot_charge_the_fund_without_an_allocation(cast):
    allocation = funded_cultivation(cast)
    with pytest.raises(PermissionDenied):
        _spend(cast.trainee, allocation.fund, "10")


def test_outsider_cannot_charge(cast):
    fund = fund_at_b(cast)
    with pytest.raises(PermissionDenied):
        _spend(cast.outsider, fund, "10")


def test_proposed_allocation_cannot_be_spent(cast):
    allocation = funded_cultivation(cast)
    allocation.status = "proposed"
    allocation.save()
    with pytest.raises(ValidationError) as error:
        _spend(cast.coord_b, allocation.fund, "10", allocation=allocation)
    assert "allocation" in error.value.message_dict


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_non_positive_amount_names_the_field(cast, amount):
    fund = fund_at_b(cast)
    with pytest.raises(ValidationError) as error:
        _spend(cast.tutor_b, fund, amount)
    assert "amount" in error.value.message_dict


def test_date_outside_the_fund_period_names_the_field(cast):
    fund = fund_at_b(cast)
    with pytest.raises(ValidationError) as error:
        expense_record(
            actor=cast.tutor_b,
            fund=fund,
            amount=Decimal("1"),
            date=datetime.date(2031, 1, 1),
            category="travel",
            description="Trip",
        )
    assert "date" in error.value.message_dict


def test_unknown_category_names_the_field(cast):
    fund = fund_at_b(cast)
    with pytest.raises(ValidationError) as error:
        expense_record(
            actor=cast.tutor_b,
            fund=fund,
            amount=Decimal("1"),
            date=DAY,
            category="lunch",
            description="Lunch",
        )
    assert "category" in error.value.message_dict
    assert fund.balance == ResearchFund.objects.get(pk=fund.pk).balance


def test_reversal_gives_the_money_back_once(cast):
    allocation = funded_cultivation(cast, amount=Decimal("500"))
    expense = _spend(cast.trainee, allocation.fund, "200", allocation=allocation)
    reversal = expense_reverse(actor=cast.trainee, expense=expense, reason="Booking cancelled")
    assert reversal.reverses == expense and reversal.amount == Decimal("200")
    allocation.refresh_from_db()
    allocation.fund.refresh_from_db()
    assert allocation.spent == 0
    assert allocation.fund.balance == allocation.fund.amount
    with pytest.raises(ValidationError) as error:
        expense_reverse(actor=cast.trainee, expense=expense, reason="Again")
    assert "expense" in error.value.message_dict
    with pytest.raises(ValidationError):
        expense_reverse(actor=cast.trainee, expense=reversal, reason="Undo the undo")
    assert AuditEvent.objects.filter(action="expense.reverse").count() == 1


def test_reversal_needs_a_reason(cast):
    fund = fund_at_b(cast)
    expense = _spend(cast.tutor_b, fund, "5")
    with pytest.raises(ValidationError) as error:
        expense_reverse(actor=cast.tutor_b, expense=expense, reason=" ")
    assert "reason" in error.value.message_dict


def test_chargeable_funds_follow_pi_allocation_and_coordinator(cast):
    allocation = funded_cultivation(cast)
    other_at_a = ResearchFundFactory(institution=cast.inst_a, principal_investigator=cast.tutor_a)
    ResearchFundFactory(institution=cast.inst_c, principal_investigator=cast.outsider)
    assert set(fund_list_chargeable_by(cast.tutor_b)) == {allocation.fund}
    assert set(fund_list_chargeable_by(cast.trainee)) == {allocation.fund}
    assert set(fund_list_chargeable_by(cast.coord_a)) == {other_at_a}
    assert set(fund_list_chargeable_by(cast.coord_b)) == {allocation.fund}
    assert not fund_list_chargeable_by(cast.resident).exists()
    assert list(allocation_list_chargeable_by(cast.trainee, allocation.fund)) == [allocation]
    assert not allocation_list_chargeable_by(cast.resident, allocation.fund).exists()
