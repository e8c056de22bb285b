"""The demo data: funds, an allocation running low, a ledger, applications, publications."""

from decimal import Decimal

import pytest

from tandem.cultivation import demo as cultivation_demo
from tandem.funds import demo as funds_demo
from tandem.funds.models import Expense, FundAllocation, JointFundApplication, ResearchFund
from tandem.funds.selectors import allocation_warnings
from tandem.portal import demo as portal_demo
from tandem.publications import demo as publications_demo
from tandem.publications.models import Publication

pytestmark = pytest.mark.django_db


def test_demo_builds_funds_ledger_applications_and_publications():
    portal_demo.load_demo()
    funds_demo.load_demo()  # without cultivations: only the funds, no error
    assert ResearchFund.objects.filter(code="JGY2021219").exists()
    assert not FundAllocation.objects.exists()
    ResearchFund.objects.all().delete()
    cultivation_demo.load_demo()
    funds_demo.load_demo()
    publications_demo.load_demo()
    funds_demo.load_demo()  # idempotent
    publications_demo.load_demo()

    fund = ResearchFund.objects.get(code="JGY2021219")
    assert fund.institution.code == "emu"
    allocation = FundAllocation.objects.get(cultivation__trainee__username="trainee.zhang")
    assert allocation.status == "approved" and not allocation.split_differs_from_agreement
    approvals = {s.institution.code: s.approved_by.username for s in allocation.shares.all()}
    assert approvals == {"emu": "coord.emu", "wmu": "coord.wmu"}  # approved by both, truly
    assert allocation.spent == Decimal("50000.00")
    assert fund.balance == Decimal("205000.00")
    assert Expense.objects.filter(reverses__isnull=False).count() == 1
    assert len(allocation_warnings(allocation)) == 2
    statuses = set(JointFundApplication.objects.values_list("status", flat=True))
    assert statuses == {"granted", "drafted"}

    compliant, waived = (Publication.objects.get(year=2026), Publication.objects.get(year=2025))
    assert compliant.compliant and compliant.violations == []
    assert compliant.confirmations.count() == 2
    assert waived.compliant and waived.violations == ["corresponding_not_tutor"]
    assert waived.waiver_home_by.username == "coord.wmu"
    assert waived.waiver_host_by.username == "coord.emu"
