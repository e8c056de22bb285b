"""Work-hours tests run on a fixed moment, Thursday 10 December 2026 at 09:00 UTC (17:00 in
Shanghai); the world's calendar starts four weeks before that week's Monday. Browser and
authorization tests keep the real clock."""

import datetime

import pytest
import time_machine

from tandem.workhours.tests.factories import build_workworld

NOW = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen(request):
    if request.node.get_closest_marker("browser") or "authz" in request.node.name:
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ww(cast):
    return build_workworld(cast)
