"""Two coordinators assigning the same teacher to two residents at the same moment, with a
limit of one resident at once: one assignment, the other refused with the reason.

Real parallel transactions on PostgreSQL (the teacher's profiles are locked while assigning).
Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/t_faculty pytest -m postgres
tandem/faculty.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.core.tests.cast import build_cast
from tandem.faculty import services
from tandem.faculty.models import ResponsibleTeacher
from tandem.faculty.tests.factories import build_facworld

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def test_two_assignments_at_once_cannot_exceed_the_limit():
    cast = build_cast()
    fw = build_facworld(cast)
    world = fw.world
    services.policy_set(
        actor=cast.coord_a,
        base=world.base_a,
        min_attending_years=3,
        certificate_required=True,
        max_residents_general=1,
        max_residents_key=1,
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def assign(member):
        try:
            barrier.wait()
            services.responsible_assign(
                actor=cast.coord_a, member=member, department=world.a1, teacher=cast.tutor_a
            )
            outcomes.append("assigned")
        except ValidationError as exc:
            outcomes.append("refused" if "Already responsible" in str(exc) else str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(m,)) for m in (world.member, world.member2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["assigned", "refused"]
    assert ResponsibleTeacher.objects.filter(teacher=cast.tutor_a).count() == 1
