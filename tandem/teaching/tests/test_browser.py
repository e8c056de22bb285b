"""In a real Chromium, two phones of 390 px: the teacher shows the rotating code (refreshed by
HTMX), the resident types it on the activity's page and is signed in; the teacher's panel then
counts them present."""

import re

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.teaching.models import Attendance
from tandem.teaching.tests.factories import build_teachworld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    context.set_default_timeout(15_000)
    return context


def test_teacher_shows_the_code_and_a_resident_signs_in_on_a_phone(chromium, live_server):
    cast = build_cast()
    tw = build_teachworld(cast)
    activity = tw.now

    teacher_context = _phone(chromium, live_server)
    teacher = teacher_context.new_page()
    sign_in(teacher, "tutor_a", PASSWORD)
    teacher.goto(f"/teaching/activities/{activity.pk}/")
    teacher.get_by_role("link", name="Show the sign-in code").click()
    teacher.wait_for_url(f"**/teaching/activities/{activity.pk}/code/")
    digits = teacher.locator(".code-digits")
    assert re.fullmatch(r"\d{3} \d{3}", digits.inner_text().strip())
    assert teacher.locator(".code-qr svg").is_visible()
    assert teacher.evaluate("document.documentElement.scrollWidth") <= 390
    # HTMX asks for the panel again within a few seconds.
    with teacher.expect_response(lambda r: f"/activities/{activity.pk}/code/" in r.url) as polled:
        pass
    assert polled.value.status == 200

    resident_context = _phone(chromium, live_server)
    resident = resident_context.new_page()
    sign_in(resident, "resident", PASSWORD)
    resident.goto(f"/teaching/activities/{activity.pk}/")
    code = teacher.locator(".code-digits").get_attribute("data-code")
    resident.get_by_label("Code on the teacher's phone").fill(code)
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
    resident.get_by_role("button", name="Sign in", exact=True).click()
    resident.wait_for_url(f"**/teaching/activities/{activity.pk}/")
    assert "You are signed in. Thank you!" in resident.content()
    row = Attendance.objects.get(activity=activity, resident=cast.resident)
    assert row.status == "present" and row.source == "code"

    teacher.locator("#code-panel", has_text="1 present").wait_for(timeout=10_000)
    resident_context.close()
    teacher_context.close()
