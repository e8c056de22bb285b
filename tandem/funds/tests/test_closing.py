"""Closing an allocation when its joint cultivation is terminated (decision 098): its unspent
money is free again, the ledger does not move."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.funds import services, services_allocation
from tandem.funds.services_closing import allocation_close, allocations_open
from tandem.funds.tests.factories import funded_cultivation

pytestmark = pytest.mark.django_db


def test_closing_frees_the_unspent_money_and_keeps_the_ledger(cast):
    allocation = funded_cultivation(cast, amount=Decimal("20000.00"))
    fund = allocation.fund
    services.expense_record(
        actor=cast.tutor_b,
        fund=fund,
        amount=Decimal("1500.00"),
        date=timezone.localdate(),
        category="consumables",
        description="Antibodies",
        allocation=allocation,
    )
    fund.refresh_from_db()
    balance = fund.balance
    assert list(allocations_open(allocation.cultivation)) == [allocation]
    returned = allocation_close(actor=cast.coord_a, allocation=allocation, reason="Terminated")
    assert returned == Decimal("18500.00")
    allocation.refresh_from_db()
    fund.refresh_from_db()
    assert (allocation.status, allocation.spent, fund.balance) == (
        "closed",
        Decimal("1500.00"),
        balance,
    )
    assert list(allocations_open(allocation.cultivation)) == []
    event = AuditEvent.objects.get(action="allocation.close")
    assert event.changes["returned"] == [None, "18500.00"]
    # The money is free again: the whole balance can be allocated to someone else.
    from tandem.cultivation.tests.factories import cultivation_in, joint_trainee

    other = cultivation_in(cast, "active", trainee=joint_trainee(cast, "other"))
    again = services_allocation.allocation_propose(
        actor=cast.coord_b, fund=fund, cultivation=other, amount=balance
    )
    assert again.amount == balance
    with pytest.raises(ValidationError):
        allocation_close(actor=cast.coord_a, allocation=allocation, reason="Twice")
