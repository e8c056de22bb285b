"""Two submissions of one assessment at the same moment: one decision, the second told.

Real parallel transactions on PostgreSQL (the assessment row is locked with select_for_update,
then its status read again). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres tandem/assessments.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.assessments import services
from tandem.assessments.models import AssessmentStatus, Remediation
from tandem.assessments.tests.factories import a1_assessment, build_assessworld
from tandem.core.models import AuditEvent
from tandem.core.tests.cast import build_cast
from tandem.residency.tests.factories import WORLD_START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def test_two_decisions_of_one_assessment_at_once_leave_one_decision():
    cast = build_cast()
    aw = build_assessworld(cast, start_date=WORLD_START)
    other = UserFactory(username="coord_two", full_name="Cora Two")
    Membership.objects.create(user=other, role=Role.COORDINATOR, institution=cast.inst_a)
    assessment = a1_assessment(aw)
    services.component_record(actor=cast.tutor_a, assessment=assessment, kind="theory", score=30)
    services.component_record(
        actor=cast.tutor_a,
        assessment=assessment,
        kind="skills",
        stations=[{"name": "ECG", "score": 9, "max": 10}],
    )
    services.component_record(
        actor=cast.tutor_a, assessment=assessment, kind="attendance", score=90
    )
    services.summary_submit(actor=cast.resident, assessment=assessment, text="A" * 40)
    services.signoff_record(actor=cast.coord_a, assessment=assessment, approve=True)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor):
        try:
            barrier.wait()
            services.assessment_decide(actor=actor, assessment=assessment)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(who,)) for who in (cast.coord_a, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "told"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FAILED
    assert Remediation.objects.filter(assessment=assessment).count() == 1
    assert AuditEvent.objects.filter(action="assessment.decide").count() == 1
