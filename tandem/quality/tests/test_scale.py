"""The compliance page of a base with 300 residents and five years of activities issues the same
number of queries as for the small world, and how long it takes (docs/benchmarks.md)."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.assessments.models import Assessment
from tandem.quality import services
from tandem.residency.models import CohortMember, Department
from tandem.teaching.models import Activity

pytestmark = pytest.mark.django_db
DEPARTMENTS, RESIDENTS, YEARS = 10, 300, 5


def _measure(client, url):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), time.perf_counter() - started


def test_compliance_of_a_large_base_at_the_same_queries(client, cast, qw):
    world = qw.tw.world
    services.standard_add(actor=cast.coord_a, base=world.base_a, kind="teacher_load", count=3)
    client.force_login(cast.coord_a)
    url = reverse("quality:compliance", args=[world.base_a.pk])
    small, _ = _measure(client, url)

    departments = [world.a1, world.a2] + [
        Department.objects.create(base=world.base_a, name=f"D{n}", code=f"d{n}")
        for n in range(DEPARTMENTS - 2)
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    activities = []
    for week in range(52 * YEARS):
        for n, department in enumerate(departments):
            start = now - datetime.timedelta(days=7 * week + n % 5)
            for kind in (qw.tw.rounds, qw.tw.lecture):
                activities.append(
                    Activity(
                        department=department,
                        kind=kind,
                        teacher=cast.tutor_a,
                        topic="T",
                        place="P",
                        starts_at=start,
                        ends_at=start + datetime.timedelta(hours=1),
                        created_by=cast.coord_a,
                    )
                )
    Activity.objects.bulk_create(activities, batch_size=2000)
    residents = User.objects.bulk_create(
        User(username=f"scale{n}", full_name=f"Scale {n}") for n in range(RESIDENTS)
    )
    members = CohortMember.objects.bulk_create(
        CohortMember(cohort=world.cohort, resident=r, program=world.program) for r in residents
    )
    today = timezone.localdate()
    stints = []
    for n, (resident, member) in enumerate(zip(residents, members, strict=True)):
        for k in range(YEARS * 12):  # a four-week stint a month, five years back
            start = today - datetime.timedelta(days=30 * k + n % 28)
            stints.append(
                Assessment(
                    member=member,
                    resident=resident,
                    department=departments[(n + k) % DEPARTMENTS],
                    start=start,
                    end=start + datetime.timedelta(days=27),
                    due_on=start + datetime.timedelta(days=40),
                    teacher=cast.tutor_a,
                )
            )
    Assessment.objects.bulk_create(stints, batch_size=2000)
    large, seconds = _measure(client, url)
    print(
        f"\ncompliance page: {len(activities)} activities, {len(stints)} stints, "
        f"{large} queries, {seconds:.2f} s"
    )
    assert large == small
