"""Closing an allocation when its joint cultivation is terminated (decision 098).

Money set aside is not money spent: closing the allocation gives its unspent part back to the
fund's unallocated money (a closed allocation no longer counts as committed when the next one is
proposed). The ledger does not move: expenses stay as they were, the fund's balance stays equal
to its amount less what was spent, and the allocation keeps its amount and what was spent from
it, so the history reads as it happened. The caller (`cultivation_terminate`) has checked its own
authority and holds the transaction.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.cultivation.models import JointCultivation
from tandem.funds.models import AllocationStatus, FundAllocation


def allocations_open(cultivation: JointCultivation) -> QuerySet[FundAllocation]:
    """The allocations of a cultivation still proposed or in force."""
    return (
        FundAllocation.objects.filter(cultivation=cultivation)
        .exclude(status=AllocationStatus.CLOSED)
        .select_related("fund")
        .order_by("id")
    )


@transaction.atomic
def allocation_close(*, actor: User, allocation: FundAllocation, reason: str) -> Decimal:
    """Close the allocation; returns the unspent amount given back to the fund."""
    allocation = FundAllocation.objects.select_for_update(of=("self",)).get(pk=allocation.pk)
    if allocation.status == AllocationStatus.CLOSED:
        raise ValidationError(_("This allocation is already closed."))
    returned = allocation.amount - allocation.spent
    before = allocation.status
    allocation.status = AllocationStatus.CLOSED
    allocation.full_clean()
    allocation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="allocation.close",
        target=allocation,
        changes={"status": [before, AllocationStatus.CLOSED], "returned": [None, str(returned)]},
        reason=(reason or "").strip(),
    )
    return returned
