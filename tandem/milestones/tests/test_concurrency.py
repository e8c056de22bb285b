"""Two members finalising one resident's review at the same moment: one decision, the second
told it is finalised already. Real parallel transactions on PostgreSQL (the resident review is
locked with select_for_update, then its status read again). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/t_milestones pytest -m postgres tandem/milestones.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.alerts.models import Notification
from tandem.core.tests.cast import build_cast
from tandem.milestones import services
from tandem.milestones.models import ResidentReview
from tandem.milestones.tests.factories import build_milestone_world, rate_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def test_two_members_finalising_at_once_leave_one_decision():
    cast = build_cast()
    mw = build_milestone_world(cast)
    rate_all(mw.open_rr, cast.tutor_a, 3)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finalise(member, decision):
        try:
            barrier.wait()
            services.resident_review_finalise(
                actor=member, resident_review=mw.open_rr, decision=decision
            )
            outcomes.append(decision)
        except ValidationError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=finalise, args=(cast.tutor_a, "progressing")),
        threading.Thread(target=finalise, args=(mw.two, "not_yet")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "told" in outcomes and len(outcomes) == 2
    winner = next(o for o in outcomes if o != "told")
    assert ResidentReview.objects.get(pk=mw.open_rr.pk).decision == winner
    # One notification for the finalised earlier review, one for this one.
    assert Notification.objects.filter(user=cast.resident, kind="ccc_summary").count() == 2
