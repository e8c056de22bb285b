"""Whose expenses a person reads in a fund's ledger: the page, the API and the export agree."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.cultivation.tests.factories import cultivation_in
from tandem.funds import selectors
from tandem.funds.tests.factories import ExpenseFactory, FundAllocationFactory, funded_cultivation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(cast):
    """One fund at B with allocations for two trainees and an entry of the fund's own."""
    own = funded_cultivation(cast)
    other_trainee = UserFactory(username="trainee2", full_name="Tao Trainee")
    MembershipFactory(user=other_trainee, role=Role.TRAINEE, institution=cast.inst_a)
    other = FundAllocationFactory(
        fund=own.fund,
        cultivation=cultivation_in(cast, "active", trainee=other_trainee),
        created_by=cast.coord_b,
    )
    ExpenseFactory(
        fund=own.fund, allocation=own, description="Tina's reagents", recorded_by=cast.trainee
    )
    ExpenseFactory(
        fund=own.fund, allocation=other, description="Tao's reagents", recorded_by=other_trainee
    )
    ExpenseFactory(fund=own.fund, description="PI's sequencer time", recorded_by=cast.tutor_b)
    return own.fund


def _descriptions(expenses):
    return sorted(e.description for e in expenses)


def test_trainee_reads_only_their_own_allocations_entries(cast, ledger):
    assert _descriptions(selectors.expense_list_visible_to(cast.trainee, ledger)) == [
        "Tina's reagents"
    ]


def test_those_who_manage_the_fund_read_the_whole_ledger(cast, ledger):
    for manager in (cast.tutor_b, cast.coord_b, cast.admin):
        assert len(selectors.expense_list_visible_to(manager, ledger)) == 3


def test_home_coordinator_reads_the_entries_of_their_institutions_trainees(cast, ledger):
    assert _descriptions(selectors.expense_list_visible_to(cast.coord_a, ledger)) == [
        "Tao's reagents",
        "Tina's reagents",
    ]


def test_trainee_page_api_and_export_leave_out_other_trainees_entries(cast, client_for, ledger):
    client = client_for("trainee")
    page = client.get(reverse("funds:detail", args=[ledger.pk])).content.decode()
    assert "Tina&#x27;s reagents" in page or "Tina's reagents" in page
    assert "Tao" not in page and "sequencer" not in page

    api = client.get(f"/api/v1/funds/{ledger.pk}/expenses").json()
    assert [row["description"] for row in api["items"]] == ["Tina's reagents"]

    export = client.get(reverse("funds:ledger_export", args=[ledger.pk]))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    )
    assert [row[3] for row in rows[1:]] == ["Tina's reagents"]


def test_another_trainees_receipt_is_not_found_for_the_trainee(cast, client_for, ledger):
    from django.core.files.base import ContentFile

    other = ledger.expenses.get(description="Tao's reagents")
    other.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4"))
    url = reverse("funds:expense_receipt", args=[ledger.pk, other.pk])
    assert client_for("trainee").get(url).status_code == 404
    assert client_for("coord_b").get(url).status_code == 200
