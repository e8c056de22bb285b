import datetime
from decimal import Decimal

import factory

from tandem.accounts.tests.factories import UserFactory
from tandem.funds.models import Expense, FundAllocation, JointFundApplication, ResearchFund
from tandem.institutions.tests.factories import InstitutionFactory


class ResearchFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchFund

    code = factory.Sequence(lambda n: f"TEST-{n:05d}")
    title = factory.Sequence(lambda n: f"Hypoxia research fund {n}")
    source = "Provincial Health Commission"
    principal_investigator = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    amount = Decimal("100000.00")
    balance = factory.LazyAttribute(lambda o: o.amount)
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2029, 12, 31)


class FundAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundAllocation

    fund = factory.SubFactory(ResearchFundFactory)
    cultivation = factory.SubFactory("tandem.cultivation.tests.factories.JointCultivationFactory")
    amount = Decimal("20000.00")
    status = "approved"
    created_by = factory.SubFactory(UserFactory)


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    fund = factory.SubFactory(ResearchFundFactory)
    date = datetime.date(2026, 3, 1)
    amount = Decimal("100.00")
    category = "consumables"
    description = factory.Sequence(lambda n: f"Reagents batch {n}")
    recorded_by = factory.SubFactory(UserFactory)


class JointFundApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointFundApplication

    cultivation = factory.SubFactory("tandem.cultivation.tests.factories.JointCultivationFactory")
    first_tutor = factory.SubFactory(UserFactory)
    second_tutor = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Joint project {n}")
    funder = "National Natural Science Foundation of China"
    amount_requested = Decimal("500000.00")
    created_by = factory.LazyAttribute(lambda o: o.first_tutor)


def fund_at_b(cast, **overrides):
    """EMU's fund JGY2021219, led by tutor_b (the experimental tutor at B)."""
    values = {
        "code": "JGY2021219",
        "title": "Tumour hypoxia and radiotherapy",
        "principal_investigator": cast.tutor_b,
        "institution": cast.inst_b,
    }
    values.update(overrides)
    return ResearchFundFactory(**values)


def funded_cultivation(cast, *, amount=Decimal("20000.00"), fund=None, status="active"):
    """cast.trainee's active cultivation A→B with an approved allocation from a fund at B."""
    from tandem.cultivation.tests.factories import cultivation_in

    cultivation = cultivation_in(cast, status)
    fund = fund or fund_at_b(cast)
    allocation = FundAllocationFactory(
        fund=fund, cultivation=cultivation, amount=amount, created_by=cast.coord_b
    )
    allocation.shares.create(institution=cast.inst_a, share=50)
    allocation.shares.create(institution=cast.inst_b, share=50)
    return allocation
