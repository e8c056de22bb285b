"""Two recordings of one resident's completion result at the same moment: one result, the
second told (decision 112).

Real parallel transactions on PostgreSQL (the resident's row is locked with select_for_update,
then the result read again). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yours> pytest -m postgres tandem/assessments.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.assessments import services_completion
from tandem.assessments.models_completion import CompletionResult
from tandem.assessments.tests.completion_factories import build_completion, make_eligible
from tandem.assessments.tests.factories import build_assessworld
from tandem.core.models import AuditEvent
from tandem.core.tests.cast import build_cast
from tandem.residency.tests.factories import WORLD_START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def test_two_recordings_of_one_completion_result_at_once_leave_one_result():
    cast = build_cast()
    aw = build_completion(build_assessworld(cast, start_date=WORLD_START))
    make_eligible(aw)
    other = UserFactory(username="coord_two", full_name="Cora Two")
    Membership.objects.create(user=other, role=Role.COORDINATOR, institution=cast.inst_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record(actor, outcome, number):
        try:
            barrier.wait()
            services_completion.completion_result_record(
                actor=actor,
                resident=cast.resident,
                institution_id=cast.inst_a.pk,
                specialty="internal_medicine",
                outcome=outcome,
                decided_on=timezone.localdate(),
                certificate_number=number,
            )
            outcomes.append("done")
        except ValidationError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=record, args=args)
        for args in ((cast.coord_a, "passed", "GD-1"), (other, "failed", ""))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "told"]
    assert CompletionResult.objects.count() == 1
    assert AuditEvent.objects.filter(action="completion.record").count() == 1
