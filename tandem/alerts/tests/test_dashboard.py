import datetime

import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tandem.alerts.selectors import alerts_dashboard
from tandem.alerts.tests.factories import active_cultivation, evaluate
from tandem.cultivation.tests.factories import joint_trainee

NOW = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)


def _raise(cast, count, offset):
    for index in range(count):
        trainee = joint_trainee(cast, f"a{offset + index}")
        active_cultivation(cast, start=datetime.date(2026, 6, 1), trainee=trainee)
    with time_machine.travel(NOW, tick=False):
        evaluate()


def test_coordinator_sees_open_warnings_per_institution_with_their_age(cast, rf):
    _raise(cast, 2, 0)
    data = alerts_dashboard(cast.coord_a)
    assert data["open_count"] == 4
    [row] = data["by_institution"]
    assert row["total"] == 4 and row["institution__name"] == "Western Medical University"
    request = rf.get("/")
    request.user = cast.coord_a
    html = render_to_string("alerts/_dashboard.html", {"alerts": data}, request=request)
    assert "Western Medical University" in html and "4 open warnings" in html


def test_tutor_sees_their_warnings_but_no_overview(cast):
    _raise(cast, 1, 0)
    data = alerts_dashboard(cast.tutor_b)
    assert data["open_count"] == 2 and data["by_institution"] == []
    assert alerts_dashboard(cast.trainee)["open_count"] == 0


def test_dashboard_query_count_does_not_grow(cast):
    alerts_dashboard(cast.coord_a)  # warm up the per-user membership cache
    _raise(cast, 2, 0)
    with CaptureQueriesContext(connection) as small:
        alerts_dashboard(cast.coord_a)
    _raise(cast, 10, 2)
    with CaptureQueriesContext(connection) as large:
        alerts_dashboard(cast.coord_a)
    assert len(small) == len(large)
