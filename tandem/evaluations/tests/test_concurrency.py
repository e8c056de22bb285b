"""Two submissions of the same pair at the same moment leave exactly one response.

Real parallel transactions on PostgreSQL (the pair row is locked with select_for_update). Run
with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -m postgres.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.core.tests.cast import build_cast
from tandem.evaluations import services_respond
from tandem.evaluations.models import EvaluationPair, EvaluationResponse
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


@pytest.mark.parametrize("anonymous", [True, False])
def test_two_submissions_of_one_pair_at_once_leave_one(anonymous):
    cast = build_cast()
    population(cast)
    template = make_template(cast, anonymous=anonymous)
    round_ = open_round(cast, [template])
    pair = EvaluationPair.objects.filter(round=round_).first()
    answers = full_answers(template)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            services_respond.response_submit(actor=cast.trainee, pair=pair, answers=answers)
            outcomes.append("submitted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "submitted"]
    assert EvaluationResponse.objects.filter(round=round_).count() == 1
