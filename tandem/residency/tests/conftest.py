"""Residency tests run on a fixed day: before the test world's calendar starts (31 August
2026), so every block is open for leave, swaps and re-solving unless a test travels on.
Browser tests keep the real clock (the browser and the server's threads share it)."""

import datetime

import pytest
import time_machine

BEFORE_THE_CALENDAR = datetime.datetime(2026, 8, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _before_the_calendar(request):
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(BEFORE_THE_CALENDAR, tick=True):
        yield
