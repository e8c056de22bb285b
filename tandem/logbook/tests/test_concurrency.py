"""Two teachers verifying the same entry at the same moment: one result, the second told.

Real parallel transactions on PostgreSQL (the entry row is locked with select_for_update, then
its status read again). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres tandem/logbook.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.cast import build_cast
from tandem.logbook import services
from tandem.logbook.models import EntryStatus, LogEntry
from tandem.logbook.tests.conftest import A1_DAY
from tandem.logbook.tests.factories import build_logworld, log
from tandem.residency.tests.factories import WORLD_START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


@pytest.mark.parametrize("bulk", [False, True])
def test_two_teachers_verifying_one_entry_at_once_leave_one_result(bulk):
    cast = build_cast()
    lw = build_logworld(cast, start_date=WORLD_START)
    other = UserFactory(username="teacher_two", full_name="Tess Two")
    Membership.objects.create(user=other, role=Role.TEACHER, institution=cast.inst_a)
    lw.world.a1.teachers.add(other)
    entry = log(lw, day=A1_DAY)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def review(teacher, verify):
        try:
            barrier.wait()
            if bulk:
                result = services.entry_review_bulk(
                    actor=teacher, entry_ids=[entry.pk], verify=verify, comment="Check the role"
                )
                outcomes.append("done" if result.done else "told")
            else:
                services.entry_review(
                    actor=teacher, entry=entry, verify=verify, comment="Check the role"
                )
                outcomes.append("done")
        except ValidationError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=(cast.tutor_a, True)),
        threading.Thread(target=review, args=(other, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "told"]
    entry = LogEntry.objects.get(pk=entry.pk)
    assert entry.status in (EntryStatus.VERIFIED, EntryStatus.RETURNED)
