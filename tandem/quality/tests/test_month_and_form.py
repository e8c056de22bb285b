"""The compliance page's month on a frozen clock (local midnight at the year's turn), the page in
Chinese, and the supervisor filling the engine's scoring form."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tandem.evaluations.models import PairStatus
from tandem.quality.models import Observation

pytestmark = pytest.mark.django_db


def test_the_default_month_turns_at_local_midnight(client, cast, qw, settings):
    client.force_login(cast.coord_a)
    url = reverse("quality:compliance", args=[qw.tw.world.base_a.pk])
    zone = ZoneInfo(settings.TIME_ZONE)
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 50, tzinfo=zone), tick=False):
        client.force_login(cast.coord_a)
        result = client.get(url).context["result"]
        assert result.month == datetime.date(2026, 12, 1)
        assert result.history[0]["month"] == datetime.date(2026, 1, 1)
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=zone), tick=False):
        client.force_login(cast.coord_a)
        result = client.get(url).context["result"]
        assert result.month == datetime.date(2027, 1, 1)
        assert result.history[0]["month"] == datetime.date(2026, 2, 1)
    # A month asked for by hand, and a department alone.
    client.force_login(cast.coord_a)
    response = client.get(url, {"month": "2026-11", "department": qw.tw.world.a1.pk})
    assert response.context["result"].month == datetime.date(2026, 11, 1)
    assert response.context["department"] == qw.tw.world.a1
    assert {o.department_id for r in response.context["result"].rows for o in r["outcomes"]} == {
        qw.tw.world.a1.pk
    }


def test_the_compliance_page_in_chinese(client, cast, qw):
    cast.coord_a.preferred_language = "zh-hans"
    cast.coord_a.save()
    client.force_login(cast.coord_a)
    response = client.get(
        reverse("quality:compliance", args=[qw.tw.world.base_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = response.content.decode()
    assert "基地标准达标情况" in text and "历月情况" in text


def test_the_supervisor_fills_the_built_in_scoring_form(client, cast, qw):
    observation = Observation.objects.get()
    pair = observation.pair
    client.force_login(cast.coord_a)
    page = client.get(reverse("evaluations:respond", args=[pair.pk]))
    assert page.status_code == 200
    items = list(pair.template.items.all())
    answers = {f"item_{i.pk}": "4" for i in items if i.kind == "rating"}
    response = client.post(
        reverse("evaluations:respond", args=[pair.pk]), {**answers, "submit": "1"}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED
    # The teacher observed cannot fill it.
    client.force_login(cast.tutor_a)
    assert client.get(reverse("evaluations:respond", args=[pair.pk])).status_code == 404
