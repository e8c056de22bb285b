"""On PostgreSQL: 50 parallel requests for one slot give exactly one booking and 49 clear
refusals. Run with DATABASE_URL=postgres://… (skipped on SQLite; see test_services.py for the
serialized SQLite variant)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.test import Client

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.bookings import services
from tandem.bookings.models import Booking
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import rules_for
from tandem.core.tests.cast import build_cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PARALLEL = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def _bookers(cast, n):
    users = []
    for i in range(n):
        user = UserFactory(username=f"booker{i}")
        MembershipFactory(user=user, role=Role.TRAINEE, institution=cast.inst_b)
        users.append(user)
    return users


def _fire(n, attempt):
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            outcome = attempt(i)
        except Exception as exc:  # noqa: BLE001 - any surprise is counted, then asserted on
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_parallel_service_calls_give_one_booking():
    cast = build_cast()
    rules_for(cast.resource_a)
    users = _bookers(cast, PARALLEL)
    start, end = slot(3, 10)

    def attempt(i):
        try:
            services.booking_request(actor=users[i], resource=cast.resource_a, start=start, end=end)
            return "ok"
        except ValidationError as exc:
            return exc.message_dict.get("start", ["?"])[0]

    results = _fire(PARALLEL, attempt)
    assert len(results) == PARALLEL
    assert results.count("ok") == 1, results
    refusals = [r for r in results if r != "ok"]
    assert len(refusals) == PARALLEL - 1
    assert all("overlaps another booking" in r for r in refusals), set(refusals)
    assert Booking.objects.filter(resource=cast.resource_a).count() == 1


def test_fifty_parallel_http_requests_give_one_201_and_49_400s():
    cast = build_cast()
    rules_for(cast.resource_a)
    users = _bookers(cast, PARALLEL)
    start, end = slot(5, 15)
    body = {"resource_id": cast.resource_a.pk, "start": start.isoformat(), "end": end.isoformat()}
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)

    def attempt(i):
        response = clients[i].post("/api/v1/bookings/", data=body, content_type="application/json")
        if response.status_code == 400:
            return f"400 {response.json()['errors'].get('start', ['?'])[0]}"
        return str(response.status_code)

    results = _fire(PARALLEL, attempt)
    assert results.count("201") == 1, results
    assert sum("overlaps another booking" in r for r in results) == PARALLEL - 1, set(results)
    assert Booking.objects.filter(resource=cast.resource_a).count() == 1


def test_the_database_itself_refuses_an_overlap():
    cast = build_cast()
    rules_for(cast.resource_a)
    start, end = slot(3, 10)
    Booking.objects.create(
        resource=cast.resource_a,
        booked_by=cast.trainee,
        institution=cast.inst_a,
        start=start,
        end=end,
    )
    with pytest.raises(IntegrityError, match="booking_no_overlap"):
        Booking.objects.create(
            resource=cast.resource_a,
            booked_by=cast.tutor_a,
            institution=cast.inst_a,
            start=start,
            end=end,
        )
