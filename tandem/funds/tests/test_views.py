"""Funds pages and API: lists with constant queries, ledger export, errors by field."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.funds.models import Expense, FundAllocation, ResearchFund
from tandem.funds.tests.factories import (
    ExpenseFactory,
    FundAllocationFactory,
    JointFundApplicationFactory,
    ResearchFundFactory,
    fund_at_b,
    funded_cultivation,
)

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(cast, allocation, n):
    for _ in range(n):
        ResearchFundFactory(institution=cast.inst_b, principal_investigator=cast.tutor_b)
        ExpenseFactory(fund=allocation.fund, allocation=allocation, recorded_by=cast.tutor_b)
        extra = FundAllocationFactory(
            fund=allocation.fund,
            cultivation=allocation.cultivation,
            created_by=cast.coord_b,
            amount=Decimal("10"),
        )
        extra.shares.create(institution=cast.inst_a, share=50)
        JointFundApplicationFactory(
            cultivation=allocation.cultivation, first_tutor=cast.tutor_b, second_tutor=cast.tutor_a
        )


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("funds:list", None),
        ("funds:detail", "fund"),
        ("funds:allocation_list", None),
        ("funds:application_list", None),
        ("funds:cultivation_funds", "cultivation"),
    ],
)
def test_list_pages_issue_the_same_queries_for_3_and_30_rows(cast, client_for, name, kwargs):
    allocation = funded_cultivation(cast)
    args = {"fund": [allocation.fund_id], "cultivation": [allocation.cultivation_id], None: []}[
        kwargs
    ]
    url = reverse(name, args=args)
    client = client_for("coord_b")
    _grow(cast, allocation, 3)
    client.get(url)  # the first request of a session does extra work
    small = _count(client, url)
    _grow(cast, allocation, 27)
    assert _count(client, url) == small


def test_outsider_gets_404_on_a_fund_and_the_trainee_403_on_registering(cast, client_for):
    allocation = funded_cultivation(cast)
    assert (
        client_for("outsider").get(reverse("funds:detail", args=[allocation.fund_id])).status_code
        == 404
    )
    assert client_for("trainee").get(reverse("funds:create")).status_code == 403


def test_overspending_form_shows_the_remainder_on_the_amount_field(cast, client_for):
    fund = fund_at_b(cast, amount=Decimal("100"))
    response = client_for("tutor_b").post(
        reverse("funds:expense_create", args=[fund.pk]),
        {
            "date": "2026-10-01",
            "amount": "150",
            "category": "consumables",
            "description": "Too much",
            "allocation": "",
        },
    )
    assert response.status_code == 400
    assert "100.00" in str(response.context["form"].errors["amount"])
    assert not Expense.objects.exists()


def test_expense_with_a_receipt_is_recorded_and_downloadable(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    allocation = funded_cultivation(cast)
    client = client_for("trainee")
    response = client.post(
        reverse("funds:expense_create", args=[allocation.fund_id]),
        {
            "date": "2026-10-01",
            "amount": "99.50",
            "category": "testing",
            "description": "Western blot",
            "allocation": allocation.pk,
            "receipt": SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice"),
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    download = client.get(reverse("funds:expense_receipt", args=[allocation.fund_id, expense.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 invoice"


def test_ledger_export_honours_the_filters_and_speaks_chinese(cast, client_for):
    import openpyxl

    allocation = funded_cultivation(cast)
    ExpenseFactory(
        fund=allocation.fund,
        category="travel",
        description="Trip to Xi'an",
        recorded_by=cast.tutor_b,
    )
    ExpenseFactory(
        fund=allocation.fund, category="animals", description="Mice", recorded_by=cast.tutor_b
    )
    client = client_for("coord_b")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(
        reverse("funds:ledger_export", args=[allocation.fund_id]), {"category": "travel"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "Trip to Xi'an"
    assert rows[0][0] == "日期"


def test_api_bad_category_names_the_field(cast, client_for):
    fund = fund_at_b(cast)
    response = client_for("tutor_b").post(
        f"/api/v1/funds/{fund.pk}/expenses",
        {"amount": "5", "date": "2026-10-01", "category": "lunch", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "category" in response.json()["errors"]
    assert ResearchFund.objects.get(pk=fund.pk).balance == fund.amount


def test_api_allocation_with_another_split_waits_for_the_partner_coordinator(cast, client_for):
    from tandem.cultivation.tests.factories import cultivation_in

    cultivation = cultivation_in(cast, "active")
    fund = fund_at_b(cast)
    response = client_for("coord_b").post(
        f"/api/v1/funds/{fund.pk}/allocations",
        {
            "cultivation_id": cultivation.pk,
            "amount": "1000",
            "shares": {str(cast.inst_a.pk): 30, str(cast.inst_b.pk): 70},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["split_differs_from_agreement"]
    allocation_url = f"/api/v1/funds/allocations/{body['id']}/approve"
    assert client_for("coord_a").post(allocation_url).json()["status"] == "approved"
    assert FundAllocation.objects.get().status == "approved"


def test_allocation_page_says_proposed_until_the_partner_approved(cast, client_for):
    from tandem.cultivation.tests.factories import cultivation_in
    from tandem.funds.services_allocation import allocation_propose

    allocation = allocation_propose(
        actor=cast.coord_b,
        fund=fund_at_b(cast),
        cultivation=cultivation_in(cast, "active"),
        amount=Decimal("1000"),
    )
    url = reverse("funds:allocation_detail", args=[allocation.pk])
    page = client_for("coord_a").get(url).content.decode()
    assert "Approved by both" not in page and "awaiting approval" in page
    assert "Approve this allocation" in page
    client_for("coord_a").post(reverse("funds:allocation_approve", args=[allocation.pk]))
    page = client_for("coord_a").get(url).content.decode()
    assert "Approved by both" in page and "awaiting approval" not in page
    assert str(cast.coord_a) in page and str(cast.coord_b) in page


def test_expense_with_an_error_keeps_the_fields_and_asks_for_the_receipt_again(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fund = fund_at_b(cast, amount=Decimal("100"))
    response = client_for("tutor_b").post(
        reverse("funds:expense_create", args=[fund.pk]),
        {
            "date": "2026-10-01",
            "amount": "150",
            "category": "consumables",
            "description": "Too much",
            "allocation": "",
            "receipt": SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body and 'href="#id_amount"' in body
    assert "the receipt invoice.pdf must be chosen again" in body
    assert 'value="Too much"' in body and 'value="150"' in body
    assert not Expense.objects.exists()
