"""Parallel spending on PostgreSQL: the balance never goes below zero, whatever the race.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (skipped on SQLite, which
serialises writers anyway).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from tandem.core.tests.cast import build_cast
from tandem.funds.models import Expense, FundAllocation, ResearchFund
from tandem.funds.services import expense_record
from tandem.funds.tests.factories import fund_at_b, funded_cultivation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def _run_in_threads(work, count):
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def worker(index):
        try:
            barrier.wait()
            outcome = work(index)
        except Exception as exc:  # noqa: BLE001 - counted below
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_parallel_expenses_of_ten_on_a_balance_of_one_hundred():
    cast = build_cast()
    fund = fund_at_b(cast, amount=Decimal("100"))

    def spend(_index):
        return expense_record(
            actor=cast.tutor_b,
            fund=ResearchFund.objects.get(pk=fund.pk),
            amount=Decimal("10"),
            date=datetime.date(2026, 10, 1),
            category="consumables",
            description="Tips",
        )

    results = _run_in_threads(spend, PARALLEL)
    succeeded = [r for r in results if isinstance(r, Expense)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == 10
    assert len(refused) == PARALLEL - 10, [r for r in results if not isinstance(r, Expense)][:3]
    assert all("amount" in r.message_dict for r in refused)
    assert ResearchFund.objects.get(pk=fund.pk).balance == Decimal("0")
    assert Expense.objects.filter(fund=fund).count() == 10


def test_parallel_api_requests_on_one_allocation_never_overspend_it():
    cast = build_cast()
    allocation = funded_cultivation(cast, amount=Decimal("100"))
    url = f"/api/v1/funds/{allocation.fund_id}/expenses"

    def post(_index):
        client = Client()
        client.force_login(cast.trainee)
        return client.post(
            url,
            data={
                "amount": "10",
                "date": "2026-10-01",
                "category": "instrument_use",
                "description": "Confocal microscope, 1 hour",
                "allocation_id": allocation.pk,
            },
            content_type="application/json",
        ).status_code

    statuses = _run_in_threads(post, PARALLEL)
    assert statuses.count(201) == 10, statuses
    assert statuses.count(400) == PARALLEL - 10
    allocation.refresh_from_db()
    assert allocation.spent == allocation.amount
    fund = ResearchFund.objects.get(pk=allocation.fund_id)
    assert fund.balance == fund.amount - Decimal("100")
    assert FundAllocation.objects.get(pk=allocation.pk).remaining == 0
