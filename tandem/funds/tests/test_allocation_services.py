"""Allocations by mutual agreement, warnings, and joint applications of tutor pairs."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.models import AuditEvent
from tandem.cultivation.tests.factories import cultivation_in
from tandem.funds import services_allocation as services
from tandem.funds.models import FundAllocation
from tandem.funds.selectors import allocation_warnings, funds_dashboard, projected_run_out
from tandem.funds.tests.factories import (
    FundAllocationFactory,
    ResearchFundFactory,
    fund_at_b,
    funded_cultivation,
)

pytestmark = pytest.mark.django_db


def _propose(cast, **kwargs):
    values = {"actor": cast.coord_b, "amount": Decimal("10000"), **kwargs}
    if "fund" not in values:
        values["fund"] = fund_at_b(cast)
    if "cultivation" not in values:
        values["cultivation"] = cultivation_in(cast, "active")
    return services.allocation_propose(**values)


def test_agreement_split_waits_for_the_partner_coordinator(cast):
    allocation = _propose(cast)
    assert allocation.status == "proposed" and not allocation.split_differs_from_agreement
    assert {(s.institution_id, s.share) for s in allocation.shares.all()} == {
        (cast.inst_a.pk, Decimal("50")),
        (cast.inst_b.pk, Decimal("50")),
    }
    shares = {s.institution_id: s for s in allocation.shares.all()}
    assert shares[cast.inst_b.pk].approved_by == cast.coord_b  # proposing is consenting
    assert shares[cast.inst_b.pk].approved_at is not None
    assert shares[cast.inst_a.pk].approved_by is None
    assert AuditEvent.objects.filter(action="allocation.propose").exists()
    services.allocation_approve(actor=cast.coord_a, allocation=allocation)
    allocation = FundAllocation.objects.get(pk=allocation.pk)
    assert allocation.status == "approved"
    assert {s.institution_id: s.approved_by for s in allocation.shares.all()} == {
        cast.inst_a.pk: cast.coord_a,
        cast.inst_b.pk: cast.coord_b,
    }


def test_allocation_proposed_by_the_pi_needs_both_coordinators(cast):
    allocation = _propose(cast, actor=cast.tutor_b)
    assert not allocation.shares.filter(approved_by__isnull=False).exists()
    services.allocation_approve(actor=cast.coord_b, allocation=allocation)
    assert FundAllocation.objects.get(pk=allocation.pk).status == "proposed"
    services.allocation_approve(actor=cast.coord_a, allocation=allocation)
    assert FundAllocation.objects.get(pk=allocation.pk).status == "approved"


def test_no_money_is_spent_before_the_partner_approved(cast):
    from tandem.funds import services as expense_services

    allocation = _propose(cast)
    with pytest.raises(ValidationError) as error:
        expense_services.expense_record(
            actor=cast.coord_b,
            fund=allocation.fund,
            amount=Decimal("100"),
            date=datetime.date(2026, 3, 1),
            category="consumables",
            description="Media",
            allocation=allocation,
        )
    assert "allocation" in error.value.message_dict


def test_another_split_needs_both_coordinators(cast):
    allocation = _propose(cast, shares={cast.inst_a.pk: 20, cast.inst_b.pk: 80})
    assert allocation.status == "proposed" and allocation.split_differs_from_agreement
    with pytest.raises(PermissionDenied):
        services.allocation_approve(actor=cast.admin, allocation=allocation)
    with pytest.raises(ValidationError):  # B approved by proposing
        services.allocation_approve(actor=cast.coord_b, allocation=allocation)
    services.allocation_approve(actor=cast.coord_a, allocation=allocation)
    assert FundAllocation.objects.get(pk=allocation.pk).status == "approved"
    with pytest.raises(ValidationError):
        services.allocation_approve(actor=cast.coord_a, allocation=allocation)


@pytest.mark.parametrize("shares", [{"a": 60, "b": 60}, {"a": 100, "c": 0}, {"a": -5, "b": 105}])
def test_bad_split_names_the_shares(cast, shares):
    mapping = {"a": cast.inst_a.pk, "b": cast.inst_b.pk, "c": cast.inst_c.pk}
    with pytest.raises(ValidationError) as error:
        _propose(cast, shares={mapping[k]: v for k, v in shares.items()})
    assert "shares" in error.value.message_dict
    assert not FundAllocation.objects.exists()


def test_cannot_allocate_more_than_is_left_unallocated(cast):
    fund = fund_at_b(cast, amount=Decimal("15000"))
    cultivation = cultivation_in(cast, "active")
    _propose(cast, fund=fund, cultivation=cultivation)
    with pytest.raises(ValidationError) as error:
        _propose(cast, fund=fund, cultivation=cultivation, amount=Decimal("6000"))
    assert "5,000.00 CNY" in error.value.message_dict["amount"][0]


def test_fund_of_an_unrelated_institution_cannot_fund_the_trainee(cast):
    fund = ResearchFundFactory(institution=cast.inst_c, principal_investigator=cast.outsider)
    with pytest.raises(ValidationError) as error:
        _propose(cast, actor=cast.outsider, fund=fund)
    assert "fund" in error.value.message_dict


def test_tutor_a_cannot_allocate_a_fund_at_b(cast):
    with pytest.raises(PermissionDenied):
        _propose(cast, actor=cast.tutor_a)


def test_warnings_for_a_low_remainder_and_a_fast_burn(cast):
    allocation = funded_cultivation(cast, amount=Decimal("1000"))
    allocation.warn_below = Decimal("300")
    allocation.spent = Decimal("800")
    # Planned 2026-09-01 → 2028-06-30; 800 spent in 100 days runs out ~25 days later.
    today = datetime.date(2026, 12, 10)
    warnings = allocation_warnings(allocation, today)
    assert len(warnings) == 2
    assert projected_run_out(allocation, today) == datetime.date(2027, 1, 4)
    allocation.spent = Decimal("10")
    assert allocation_warnings(allocation, today) == []
    allocation.spent = allocation.amount
    assert allocation_warnings(allocation, today) == ["The allocation is used up."]


def test_dashboard_is_query_constant(cast):
    allocation = funded_cultivation(cast)

    def count():
        with CaptureQueriesContext(connection) as queries:
            funds_dashboard(cast.coord_b)
        return len(queries)

    FundAllocationFactory(
        fund=allocation.fund,
        cultivation=allocation.cultivation,
        created_by=cast.coord_b,
        amount=Decimal("5"),
        spent=Decimal("5"),
    )
    count()  # the first call fills the per-user tenancy caches
    small = count()
    for _ in range(10):
        FundAllocationFactory(
            fund=allocation.fund,
            cultivation=allocation.cultivation,
            created_by=cast.coord_b,
            amount=Decimal("5"),
            spent=Decimal("5"),
        )
    assert count() == small
    assert funds_dashboard(cast.coord_b)["flagged_count"] == 11
    assert funds_dashboard(cast.outsider)["fund_count"] == 0


def test_joint_application_by_the_pair_through_to_the_grant(cast):
    allocation = funded_cultivation(cast)
    with pytest.raises(PermissionDenied):
        services.application_draft(
            actor=cast.coord_a,
            cultivation=allocation.cultivation,
            title="X",
            funder="NSFC",
            amount_requested=Decimal("1"),
        )
    application = services.application_draft(
        actor=cast.tutor_a,
        cultivation=allocation.cultivation,
        title="Joint NSFC project",
        funder="NSFC",
        amount_requested=Decimal("300000"),
    )
    assert (application.first_tutor, application.second_tutor) == (cast.tutor_b, cast.tutor_a)
    services.application_submit(actor=cast.tutor_b, application=application)
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            actor=cast.coord_a, application=application, status="granted", outcome=""
        )
    assert "resulting_fund" in error.value.message_dict
    granted = services.application_decide(
        actor=cast.coord_a,
        application=application,
        status="granted",
        outcome="Granted",
        resulting_fund=allocation.fund,
    )
    assert granted.status == "granted" and granted.resulting_fund == allocation.fund
    assert AuditEvent.objects.filter(action__startswith="application.").count() == 3


def test_application_needs_a_complete_pair(cast):
    cultivation = cultivation_in(cast, "active", paired=False)
    with pytest.raises(ValidationError) as error:
        services.application_draft(
            actor=cast.tutor_a,
            cultivation=cultivation,
            title="X",
            funder="Y",
            amount_requested=Decimal("1"),
        )
    assert "cultivation" in error.value.message_dict
