"""The same resident signing in twice at the same moment (two phones, a double tap): one
sign-in, the other told; and two residents at once both get in, with one rating round.

Real parallel transactions on PostgreSQL (the activity row is locked while signing in). Run
with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres tandem/teaching.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.core.tests.cast import build_cast
from tandem.evaluations.models import EvaluationRound
from tandem.evaluations.tests.factories import make_template
from tandem.teaching import codes, services
from tandem.teaching.models import Attendance
from tandem.teaching.tests.factories import build_teachworld

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _at_once(tw, people) -> list[str]:
    moment = tw.now.starts_at + datetime.timedelta(minutes=5)
    code = codes.current_code(tw.now.secret, moment)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def sign_in(person):
        try:
            barrier.wait()
            services.attendance_sign_in(actor=person, activity=tw.now, code=code, moment=moment)
            outcomes.append("in")
        except ValidationError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_in, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_a_double_sign_in_at_once_signs_in_once():
    cast = build_cast()
    tw = build_teachworld(cast)
    assert _at_once(tw, [cast.resident, cast.resident]) == ["in", "told"]
    assert Attendance.objects.filter(activity=tw.now, status="present").count() == 1


def test_two_residents_at_once_both_sign_in_under_one_rating_round():
    cast = build_cast()
    tw = build_teachworld(cast)
    services.rating_form_set(
        actor=cast.coord_a, institution=cast.inst_a, template=make_template(cast)
    )
    assert _at_once(tw, [cast.resident, tw.world.resident2]) == ["in", "in"]
    assert EvaluationRound.objects.count() == 1
    assert EvaluationRound.objects.get().pairs.count() == 2
