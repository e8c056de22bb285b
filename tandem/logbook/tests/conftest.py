"""Logbook tests run on a fixed day, 10 December 2026: the test world's calendar started on
31 August 2026, so the cast's resident rotated A1 (to 25 October) and A2, and is at the
partner B's B1 (23 November – 20 December). Browser tests keep the real clock."""

import datetime

import pytest
import time_machine

from tandem.logbook.tests.factories import build_logworld
from tandem.residency.tests.factories import WORLD_START

TODAY = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)
A1_DAY = datetime.date(2026, 9, 15)
A2_DAY = datetime.date(2026, 11, 2)
B1_DAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _frozen_day(request):
    if request.node.get_closest_marker("browser") or "authz" in request.node.name:
        yield
        return
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def lw(cast):
    return build_logworld(cast, start_date=WORLD_START)
