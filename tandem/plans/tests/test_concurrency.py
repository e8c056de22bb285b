"""Signing holds when both tutors (or one tutor twice) sign at the same moment.

Real parallel API requests on PostgreSQL, one connection per thread, released together. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres tandem/plans.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from tandem.core.tests.cast import build_cast
from tandem.plans.models import PlanSignature, PlanVersion
from tandem.plans.tests.factories import draft_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list[int] = [0] * len(calls)

    def run(index, user, url):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            results[index] = client.post(url).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_both_tutors_signing_at_once_bring_the_plan_into_force():
    cast = build_cast()
    plan = draft_plan(cast)
    url = f"/api/v1/plans/{plan.cultivation_id}/sign"
    statuses = _parallel([(cast.tutor_a, url), (cast.tutor_b, url)])
    assert sorted(statuses) == [200, 200]
    version = PlanVersion.objects.get(plan=plan)
    assert version.status == "signed"
    assert PlanSignature.objects.filter(version=version).count() == 2


def test_one_tutor_signing_twice_at_once_signs_once():
    cast = build_cast()
    plan = draft_plan(cast)
    url = f"/api/v1/plans/{plan.cultivation_id}/sign"
    statuses = _parallel([(cast.tutor_a, url)] * 3)
    assert sorted(statuses) == [200, 400, 400]
    version = PlanVersion.objects.get(plan=plan)
    assert version.status == "awaiting_signoff"
    assert PlanSignature.objects.filter(version=version).count() == 1
