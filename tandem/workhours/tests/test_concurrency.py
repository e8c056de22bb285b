"""The same shift logged twice at the same moment (a double tap, the phone and the API): one is
kept, the other refused as overlapping.

Real parallel transactions on PostgreSQL (the resident's row is locked first). Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres tandem/workhours.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from tandem.core.tests.cast import build_cast
from tandem.workhours import services
from tandem.workhours.models import Shift
from tandem.workhours.tests.factories import build_workworld, local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def test_two_overlapping_shifts_logged_at_once_leave_one():
    cast = build_cast()
    build_workworld(cast)
    day = timezone.localdate() - datetime.timedelta(days=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def log(hour):
        try:
            barrier.wait()
            services.shift_log(
                actor=cast.resident, start=local(day, hour), end=local(day, hour + 8), kind="duty"
            )
            outcomes.append("logged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=log, args=(h,)) for h in (8, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["logged", "refused"]
    assert Shift.objects.count() == 1
