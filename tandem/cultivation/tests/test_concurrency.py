"""Quotas and the first-in-charge rule hold when requests arrive at the same moment.

Real parallel requests on PostgreSQL: each thread has its own client and database connection,
all released together by a barrier. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from tandem.accounts.models import TutorProfile
from tandem.accounts.tests.factories import MembershipFactory, TutorProfileFactory, UserFactory
from tandem.core.tests.cast import build_cast
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.cultivation.tests.factories import cultivation_in, joint_trainee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _parallel(calls):
    """Run each (user, url, data) POST in its own thread at the same moment; statuses."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = [0] * len(calls)

    def run(index, user, url, data):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            results[index] = client.post(
                url, data=data, content_type="application/json"
            ).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_last_approvals_at_once_take_one_quota_place():
    cast = build_cast()
    cast.agreement_ab.quotas.update(max_trainees=1)
    first = cultivation_in(cast, "proposed", paired=False)
    second = cultivation_in(cast, "proposed", trainee=joint_trainee(cast, "t2"), paired=False)
    for cultivation in (first, second):
        cultivation.decisions.create(
            kind="approve", institution=cast.inst_a, decided_by=cast.coord_a, from_status="proposed"
        )
    statuses = _parallel(
        [(cast.coord_b, f"/api/v1/cultivation/{c.pk}/approve", {}) for c in (first, second)]
    )
    assert sorted(statuses) == [200, 400]
    assert JointCultivation.objects.filter(status="approved").count() == 1
    assert JointCultivation.objects.filter(status="proposed").count() == 1


def test_two_coordinators_approving_at_once_both_count():
    cast = build_cast()
    cultivation = cultivation_in(cast, "proposed", paired=False)
    statuses = _parallel(
        [
            (coord, f"/api/v1/cultivation/{cultivation.pk}/approve", {})
            for coord in (cast.coord_a, cast.coord_b)
        ]
    )
    assert statuses == [200, 200]
    cultivation.refresh_from_db()
    assert cultivation.status == "approved"


def test_tutor_quota_holds_under_parallel_assignments():
    cast = build_cast()
    TutorProfile.objects.filter(user=cast.tutor_a).update(annual_quota=1)
    cultivations = [
        cultivation_in(cast, "approved", trainee=joint_trainee(cast, f"q{i}"), paired=False)
        for i in range(3)
    ]
    statuses = _parallel(
        [
            (
                cast.coord_a,
                f"/api/v1/cultivation/{c.pk}/tutors",
                {"tutor_id": cast.tutor_a.pk, "role": "theoretical"},
            )
            for c in cultivations
        ]
    )
    assert sorted(statuses) == [201, 400, 400]
    assert TutorAssignment.objects.filter(tutor=cast.tutor_a).count() == 1


def test_only_one_first_in_charge_under_parallel_assignments():
    cast = build_cast()
    cultivation = cultivation_in(cast, "approved", paired=False)
    tutors = []
    for index in range(3):
        tutor = UserFactory(username=f"exp{index}")
        MembershipFactory(user=tutor, role="tutor", institution=cast.inst_b)
        TutorProfileFactory(user=tutor, qualification="doctoral", annual_quota=5)
        tutors.append(tutor)
    statuses = _parallel(
        [
            (
                cast.coord_b,
                f"/api/v1/cultivation/{cultivation.pk}/tutors",
                {"tutor_id": tutor.pk, "role": "experimental"},
            )
            for tutor in tutors
        ]
    )
    assert sorted(statuses) == [201, 400, 400]
    assert (
        TutorAssignment.objects.filter(
            cultivation=cultivation, is_first_in_charge=True, ended_at__isnull=True
        ).count()
        == 1
    )
