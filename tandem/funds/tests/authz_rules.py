"""Who gets what on every funds page and API operation (see tandem/core/tests/authz.py).

The scene: EMU (B) fund JGY2021219 led by tutor_b, with an approved allocation for the trainee's
joint cultivation A→B (tutor_b experimental, tutor_a theoretical). It is visible to the admin,
both coordinators, both tutors and the trainee; the resident (a trainee at A outside the
cultivation) and the outsider get 404. Spending: the PI, B's coordinator and the trainee (from
the allocation); admins oversee but do not spend. Splits: only the two coordinators approve.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.tests.authz import CREATED, REDIRECT, api, everyone_else, expect, page
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.tests.factories import cultivation_in
from tandem.funds.models import FundAllocation, JointFundApplication, ResearchFund
from tandem.funds.services import expense_record
from tandem.funds.tests.factories import JointFundApplicationFactory, fund_at_b, funded_cultivation

VISIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
HIDDEN = ["resident", "outsider"]
SPENDERS = ["tutor_b", "coord_b", "trainee"]
NOT_SPENDERS = ["admin", "coord_a", "tutor_a"]
MANAGERS = ["admin", "coord_b", "tutor_b"]
COORDINATORS = ["coord_a", "coord_b"]
TUTORS = ["tutor_a", "tutor_b"]
API = "/api/v1/funds"


def _allocation(cast):
    return funded_cultivation(cast)


def _fund(cast):
    return {"pk": _allocation(cast).fund_id}


def _expense(cast, receipt=None):
    allocation = _allocation(cast)
    expense = expense_record(
        actor=cast.tutor_b,
        fund=allocation.fund,
        amount=Decimal("50"),
        date=datetime.date(2026, 10, 1),
        category="consumables",
        description="Reagents",
        allocation=allocation,
        receipt=receipt,
    )
    return expense


def _expense_kwargs(cast):
    expense = _expense(cast)
    return {"pk": expense.fund_id, "expense_pk": expense.pk}


def _receipt_kwargs(cast):
    expense = _expense(cast, SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt"))
    return {"pk": expense.fund_id, "expense_pk": expense.pk}


def _spend_data(cast):
    allocation = FundAllocation.objects.get(fund__code="JGY2021219")
    return {
        "allocation": allocation.pk,
        "date": "2026-10-02",
        "amount": "12.50",
        "category": "testing",
        "description": "Sequencing run",
    }


def _spend_json(cast):
    data = _spend_data(cast)
    return {**data, "allocation_id": data.pop("allocation")}


def _unallocated_fund(cast):
    cultivation_in(cast, "active")
    return {"pk": fund_at_b(cast).pk}


def _allocate_data(cast):
    return {
        "cultivation": JointCultivation.objects.get(trainee=cast.trainee).pk,
        "amount": "5000",
        "warn_below": "500",
        "home_share": "",
        "host_share": "",
    }


def _allocate_json(cast):
    return {
        "cultivation_id": JointCultivation.objects.get(trainee=cast.trainee).pk,
        "amount": "5000",
        "warn_below": "500",
    }


def _proposed(cast):
    allocation = _allocation(cast)
    FundAllocation.objects.filter(pk=allocation.pk).update(
        status="proposed", split_differs_from_agreement=True
    )
    return allocation


def _application(cast, status="drafted"):
    allocation = _allocation(cast)
    return JointFundApplicationFactory(
        cultivation=allocation.cultivation,
        first_tutor=cast.tutor_b,
        second_tutor=cast.tutor_a,
        status=status,
        created_by=cast.tutor_b,
    )


def _fund_form(cast):
    return {
        "code": "WMU2026001",
        "title": "Plateau hypoxia",
        "source": "Provincial fund",
        "principal_investigator": cast.tutor_a.pk,
        "institution": cast.inst_a.pk,
        "amount": "80000",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
    }


def _fund_json(cast):
    data = _fund_form(cast)
    return {
        **data,
        "principal_investigator_id": data.pop("principal_investigator"),
        "institution_id": data.pop("institution"),
    }


def _application_json(cast):
    return {
        "cultivation_id": _allocation(cast).cultivation_id,
        "title": "Joint NSFC project",
        "funder": "NSFC",
        "amount_requested": "300000",
    }


def _decision(cast):
    return {"status": "rejected", "outcome": "Not funded this year"}


RULES = {
    "funds:list": page(expect=expect(ok=everyone_else())),
    "funds:create": page(
        "POST",
        data=_fund_form,
        expect=expect(
            ok=["admin", "coord_a"],
            forbidden=everyone_else(["admin", "coord_a"]),
            ok_status=REDIRECT,
        ),
    ),
    "funds:detail": page(kwargs=_fund, expect=expect(ok=VISIBLE, hidden=HIDDEN)),
    "funds:ledger_export": page(kwargs=_fund, expect=expect(ok=VISIBLE, hidden=HIDDEN)),
    "funds:expense_create": page(
        "POST",
        kwargs=_fund,
        data=_spend_data,
        expect=expect(ok=SPENDERS, forbidden=NOT_SPENDERS, hidden=HIDDEN, ok_status=REDIRECT),
    ),
    "funds:expense_reverse": page(
        "POST",
        kwargs=_expense_kwargs,
        data=lambda cast: {"reason": "Booking cancelled"},
        expect=expect(ok=SPENDERS, forbidden=NOT_SPENDERS, hidden=HIDDEN, ok_status=REDIRECT),
    ),
    "funds:expense_receipt": page(kwargs=_receipt_kwargs, expect=expect(ok=VISIBLE, hidden=HIDDEN)),
    "funds:allocation_create": page(
        "POST",
        kwargs=_unallocated_fund,
        data=_allocate_data,
        expect=expect(ok=MANAGERS, hidden=everyone_else(MANAGERS), ok_status=REDIRECT),
    ),
    "funds:allocation_list": page(expect=expect(ok=everyone_else())),
    "funds:allocation_detail": page(
        kwargs=lambda cast: {"pk": _allocation(cast).pk},
        expect=expect(ok=VISIBLE, hidden=HIDDEN),
    ),
    "funds:allocation_approve": page(
        "POST",
        kwargs=lambda cast: {"pk": _proposed(cast).pk},
        data=lambda cast: {},
        expect=expect(
            ok=COORDINATORS,
            forbidden=["admin", *TUTORS, "trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    "funds:cultivation_funds": page(
        kwargs=lambda cast: {"pk": _allocation(cast).cultivation_id},
        expect=expect(ok=VISIBLE, hidden=HIDDEN),
    ),
    "funds:application_create": page(
        "POST",
        kwargs=lambda cast: {"pk": _allocation(cast).cultivation_id},
        data=lambda cast: {
            "title": "Joint NSFC project",
            "funder": "NSFC",
            "amount_requested": "300000",
        },
        expect=expect(
            ok=TUTORS,
            forbidden=["admin", *COORDINATORS, "trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    "funds:application_list": page(expect=expect(ok=everyone_else())),
    "funds:application_detail": page(
        kwargs=lambda cast: {"pk": _application(cast).pk},
        expect=expect(ok=VISIBLE, hidden=HIDDEN),
    ),
    "funds:application_submit": page(
        "POST",
        kwargs=lambda cast: {"pk": _application(cast).pk},
        data=lambda cast: {},
        expect=expect(
            ok=TUTORS,
            forbidden=["admin", *COORDINATORS, "trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    "funds:application_decide": page(
        "POST",
        kwargs=lambda cast: {"pk": _application(cast, "submitted").pk},
        data=_decision,
        expect=expect(
            ok=["admin", *COORDINATORS, *TUTORS],
            forbidden=["trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    # API
    "funds_fund_list": api(
        "GET", lambda cast: f"{API}/", expect(ok=everyone_else(), anonymous=401)
    ),
    "funds_fund_chargeable": api(
        "GET", lambda cast: f"{API}/chargeable", expect(ok=everyone_else(), anonymous=401)
    ),
    "funds_fund_create": api(
        "POST",
        lambda cast: f"{API}/",
        expect(
            ok=["admin", "coord_a"],
            forbidden=everyone_else(["admin", "coord_a"]),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=_fund_json,
    ),
    "funds_fund_get": api(
        "GET",
        lambda cast: f"{API}/{_allocation(cast).fund_id}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "funds_expense_list": api(
        "GET",
        lambda cast: f"{API}/{_allocation(cast).fund_id}/expenses",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "funds_expense_create": api(
        "POST",
        lambda cast: f"{API}/{_allocation(cast).fund_id}/expenses",
        expect(
            ok=SPENDERS, forbidden=NOT_SPENDERS, hidden=HIDDEN, ok_status=CREATED, anonymous=401
        ),
        data=_spend_json,
    ),
    "funds_expense_reverse": api(
        "POST",
        lambda cast: "{API}/{pk}/expenses/{expense_pk}/reverse".format(
            API=API, **_expense_kwargs(cast)
        ),
        expect(
            ok=SPENDERS, forbidden=NOT_SPENDERS, hidden=HIDDEN, ok_status=CREATED, anonymous=401
        ),
        data=lambda cast: {"reason": "Booking cancelled"},
    ),
    "funds_allocation_list": api(
        "GET", lambda cast: f"{API}/allocations", expect(ok=everyone_else(), anonymous=401)
    ),
    "funds_allocation_create": api(
        "POST",
        lambda cast: f"{API}/{_unallocated_fund(cast)['pk']}/allocations",
        expect(ok=MANAGERS, hidden=everyone_else(MANAGERS), ok_status=CREATED, anonymous=401),
        data=_allocate_json,
    ),
    "funds_allocation_get": api(
        "GET",
        lambda cast: f"{API}/allocations/{_allocation(cast).pk}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "funds_allocation_approve": api(
        "POST",
        lambda cast: f"{API}/allocations/{_proposed(cast).pk}/approve",
        expect(
            ok=COORDINATORS, forbidden=["admin", *TUTORS, "trainee"], hidden=HIDDEN, anonymous=401
        ),
        data=lambda cast: {},
    ),
    "funds_application_list": api(
        "GET", lambda cast: f"{API}/applications", expect(ok=everyone_else(), anonymous=401)
    ),
    "funds_application_create": api(
        "POST",
        lambda cast: f"{API}/applications",
        expect(
            ok=TUTORS,
            forbidden=["admin", *COORDINATORS, "trainee"],
            hidden=HIDDEN,
            ok_status=CREATED,
            anonymous=401,
        ),
        data=_application_json,
    ),
    "funds_application_get": api(
        "GET",
        lambda cast: f"{API}/applications/{_application(cast).pk}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "funds_application_submit": api(
        "POST",
        lambda cast: f"{API}/applications/{_application(cast).pk}/submit",
        expect(
            ok=TUTORS, forbidden=["admin", *COORDINATORS, "trainee"], hidden=HIDDEN, anonymous=401
        ),
        data=lambda cast: {},
    ),
    "funds_application_decide": api(
        "POST",
        lambda cast: f"{API}/applications/{_application(cast, 'submitted').pk}/decide",
        expect(
            ok=["admin", *COORDINATORS, *TUTORS],
            forbidden=["trainee"],
            hidden=HIDDEN,
            anonymous=401,
        ),
        data=_decision,
    ),
}

__all__ = ["RULES", "ResearchFund", "JointFundApplication"]
