"""Assessment tests run on a fixed day, 10 December 2026: the test world's calendar started on
31 August 2026, so the cast's resident rotated A1 (to 25 October) and A2 (to 22 November), and
is at the partner B's B1 (23 November – 20 December). Browser and authorization tests keep the
real clock."""

import datetime

import pytest
import time_machine

from tandem.assessments.tests.factories import build_assessworld
from tandem.residency.tests.factories import WORLD_START

TODAY = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)
A1_END = datetime.date(2026, 10, 25)
A2_END = datetime.date(2026, 11, 22)
B1_END = datetime.date(2026, 12, 20)


@pytest.fixture(autouse=True)
def _frozen_day(request):
    if request.node.get_closest_marker("browser") or "authz" in request.node.name:
        yield
        return
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def aw(cast):
    return build_assessworld(cast, start_date=WORLD_START)
