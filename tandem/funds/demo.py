"""Research funds of the demo consortium, built through the services. On top of `tandem.portal.demo`
and `tandem.cultivation.demo`: EMU's fund JGY2021219 led by Prof. Li, with an allocation to
Zhang's joint cultivation (split as the WMU–EMU agreement says, proposed by EMU's coordinator
and approved by WMU's) that is running low; a ledger of expenses with one reversal; WMU's fund
JGY2023107 that came out of a joint application by Zhang's two tutors, and a second application
still in draft. Without Zhang's cultivation only the funds are created.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from tandem.accounts.models import User
from tandem.cultivation.demo import demo_cultivation
from tandem.funds import services, services_allocation
from tandem.funds.models import ResearchFund
from tandem.institutions.models import Institution

EXPENSES = [
    # date, amount, category, description
    ((2024, 10, 15), "8600.00", "consumables", "Hypoxia chamber gases and cell culture media"),
    ((2025, 1, 20), "12400.00", "animals", "BALB/c nude mice for xenograft models (40)"),
    ((2025, 4, 8), "9800.00", "testing", "RNA sequencing of hypoxic and normoxic cells"),
    ((2025, 9, 3), "3200.00", "travel", "Chinese Society of Radiation Oncology annual meeting"),
    ((2026, 3, 12), "14500.00", "consumables", "Antibodies: HIF-1α, CA9, γH2AX"),
    ((2026, 6, 30), "3500.00", "publication", "Article processing charge"),
]


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


@transaction.atomic
def load_demo() -> None:
    """Create the demo funds. Call once, after the core and cultivation demos."""
    if ResearchFund.objects.filter(code="JGY2021219").exists():
        return
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coord.wmu", "coord.emu", "tutor.li", "tutor.chen", "trainee.zhang"]
        )
    }
    institutions = {i.code: i for i in Institution.objects.filter(code__in=["wmu", "emu"])}
    emu_fund = services.fund_register(
        actor=people["coord.emu"],
        code="JGY2021219",
        title="Radiotherapy resistance of hypoxic tumours: joint training programme",
        source="Provincial Department of Education, graduate education reform fund",
        principal_investigator=people["tutor.li"],
        institution=institutions["emu"],
        amount=Decimal("300000.00"),
        start_date=_d(2021, 7, 1),
        end_date=_d(2027, 12, 31),
    )
    wmu_fund = services.fund_register(
        actor=people["coord.wmu"],
        code="JGY2023107",
        title="Plateau hypoxia and tumour radiosensitivity (joint application)",
        source="Natural Science Foundation of the province",
        principal_investigator=people["tutor.chen"],
        institution=institutions["wmu"],
        amount=Decimal("150000.00"),
        start_date=_d(2023, 1, 1),
        end_date=_d(2027, 12, 31),
    )
    zhang = demo_cultivation("trainee.zhang")
    if zhang is None or zhang.status != "active":
        return
    allocation = services_allocation.allocation_propose(
        actor=people["coord.emu"],
        fund=emu_fund,
        cultivation=zhang,
        amount=Decimal("60000.00"),
        warn_below=Decimal("12000.00"),
    )
    allocation = services_allocation.allocation_approve(
        actor=people["coord.wmu"], allocation=allocation
    )
    recorded = []
    for (year, month, day), amount, category, description in EXPENSES:
        recorded.append(
            services.expense_record(
                actor=people["tutor.li"],
                fund=emu_fund,
                amount=Decimal(amount),
                date=_d(year, month, day),
                category=category,
                description=description,
                allocation=allocation,
            )
        )
    services.expense_record(
        actor=people["trainee.zhang"],
        fund=emu_fund,
        amount=Decimal("1200.00"),
        date=_d(2026, 10, 9),
        category="testing",
        description="Flow cytometry, 8 hours",
        allocation=allocation,
    )
    services.expense_reverse(
        actor=people["tutor.li"],
        expense=recorded[3],
        reason="Conference cancelled; the registration fee was refunded.",
    )
    services.expense_record(
        actor=people["tutor.li"],
        fund=emu_fund,
        amount=Decimal("45000.00"),
        date=_d(2022, 5, 10),
        category="instrument_use",
        description="Small-animal irradiator service contract (laboratory-wide)",
    )
    granted = services_allocation.application_draft(
        actor=people["tutor.chen"],
        cultivation=zhang,
        title="Plateau hypoxia and tumour radiosensitivity",
        funder="Natural Science Foundation of the province",
        amount_requested=Decimal("180000.00"),
    )
    services_allocation.application_submit(actor=people["tutor.li"], application=granted)
    services_allocation.application_decide(
        actor=people["coord.wmu"],
        application=granted,
        status="granted",
        outcome="Granted 150,000 CNY for 2023–2027.",
        resulting_fund=wmu_fund,
    )
    services_allocation.application_draft(
        actor=people["tutor.li"],
        cultivation=zhang,
        title="Hypoxia imaging to guide dose painting",
        funder="National Natural Science Foundation of China (joint fund)",
        amount_requested=Decimal("500000.00"),
    )
