"""In a real Chromium, on a 390-px phone screen: after a 24-hour call, the resident logs
tonight's night shift and sees at once that the rest between them is too short."""

import datetime

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.workhours import services
from tandem.workhours.models import Shift
from tandem.workhours.tests.factories import build_workworld, local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_logs_a_night_shift_on_a_phone_and_sees_the_violation(chromium, live_server):
    cast = build_cast()
    build_workworld(cast)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    services.shift_log(
        actor=cast.resident, start=local(yesterday, 8), end=local(today, 8), kind="on_call"
    )
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    # Generous: the machine running the suite may be busy.
    context.set_default_timeout(60_000)
    page = context.new_page()
    sign_in(page, "resident", PASSWORD)
    page.goto("/workhours/")
    tomorrow = today + datetime.timedelta(days=1)
    page.locator("#id_start").fill(f"{today.isoformat()}T18:00")
    page.locator("#id_end").fill(f"{tomorrow.isoformat()}T07:00")
    page.get_by_label("Duty").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Log the shift").click()
    page.wait_for_url("**/workhours/")
    text = page.content()
    assert "Shift logged." in text
    assert "Only 10 hours of rest between shifts (at least 14)" in text
    assert page.locator(".flagged").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    night = Shift.objects.get(start=local(today, 18))
    assert night.end - night.start == datetime.timedelta(hours=13)
    context.close()
