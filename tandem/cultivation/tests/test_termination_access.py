"""After a termination the host no longer reaches the trainee's new records; what both shared
until the last day stays readable to those who had it (decision 098)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tandem.core import tenancy
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.cultivation.services_termination import cultivation_terminate
from tandem.cultivation.tests.factories import cultivation_in
from tandem.meetings.selectors import report_list_visible_to, series_list_visible_to
from tandem.meetings.tests.factories import make_series, report_for

pytestmark = pytest.mark.django_db
# A Tuesday, 10:00 in Shanghai.
T0 = datetime.datetime(2027, 1, 12, 2, 0, tzinfo=datetime.UTC)


def _forget(cast):
    for name in ("coord_a", "coord_b", "tutor_a", "tutor_b", "trainee", "outsider"):
        tenancy.forget(getattr(cast, name))


def _history_and_after(cast, *, terminate=True):
    with time_machine.travel(T0, tick=False):
        cultivation = cultivation_in(cast, "active")
        before_series = make_series(cast)
        past = before_series.meetings.filter(starts_at__lt=timezone.now()).first()
        before_report = report_for(past, cast.trainee)
        if terminate:
            cultivation_terminate(
                actor=cast.coord_a, cultivation=cultivation, ground="other", reason="Moved"
            )
    with time_machine.travel(T0 + datetime.timedelta(days=2), tick=False):
        after_series = make_series(cast, title="Home seminar")
        upcoming = after_series.meetings.filter(starts_at__gt=timezone.now()).first()
        after_report = report_for(upcoming, cast.trainee)
    _forget(cast)
    return cultivation, before_series, before_report, after_series, after_report


def test_host_coordinator_keeps_the_shared_history_and_sees_nothing_after(cast):
    cultivation, before_series, before_report, after_series, after_report = _history_and_after(cast)
    assert cultivation in cultivation_list_visible_to(cast.coord_b)
    reports = set(report_list_visible_to(cast.coord_b))
    assert before_report in reports and after_report not in reports
    series = set(series_list_visible_to(cast.coord_b))
    assert before_series in series and after_series not in series


def test_home_coordinator_sees_everything_still(cast):
    _c, before_series, before_report, after_series, after_report = _history_and_after(cast)
    assert {before_report, after_report} <= set(report_list_visible_to(cast.coord_a))
    assert {before_series, after_series} <= set(series_list_visible_to(cast.coord_a))


def test_host_tutor_keeps_the_reports_of_their_time_only(cast):
    cultivation, _b, before_report, _a, after_report = _history_and_after(cast)
    assert cultivation in cultivation_list_visible_to(cast.tutor_b)
    reports = set(report_list_visible_to(cast.tutor_b))
    assert before_report in reports and after_report not in reports


def test_host_gets_404_on_a_report_made_after_the_end(cast, client):
    _c, _bs, before_report, after_series, after_report = _history_and_after(cast)
    client.force_login(cast.coord_b)
    response = client.get(reverse("meetings:series_detail", args=[after_series.pk]))
    assert response.status_code == 404
    client.force_login(cast.coord_a)
    assert client.get(reverse("meetings:series_detail", args=[after_series.pk])).status_code == 200


def test_while_the_cultivation_lasts_the_host_sees_new_records(cast):
    _c, _bs, before_report, after_series, after_report = _history_and_after(cast, terminate=False)
    assert {before_report, after_report} <= set(report_list_visible_to(cast.coord_b))
    assert after_series in set(series_list_visible_to(cast.coord_b))


@pytest.mark.parametrize("actor", ["outsider", "resident"])
def test_outsiders_see_neither(cast, actor):
    _c, before_series, before_report, after_series, after_report = _history_and_after(cast)
    person = cast.actor(actor)
    assert not {before_report, after_report} & set(report_list_visible_to(person))
    assert not {before_series, after_series} & set(series_list_visible_to(person))
