"""In a real Chromium, on a 390-px phone screen: the resident starts a mini-CEX at the
bedside, the teacher issues a one-time code on their own phone and types it on the
resident's; the whole round trip takes well under a minute."""

import time

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.assessments.models import Wba, WbaCode, WbaStatus
from tandem.assessments.tests.factories import build_assessworld
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_wba_on_a_phone_from_start_to_confirmation_by_code(chromium, live_server):
    cast = build_cast()
    aw = build_assessworld(cast)
    resident_phone = chromium.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    teacher_phone = chromium.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    for context in (resident_phone, teacher_phone):
        context.set_default_timeout(15_000)
    page = resident_phone.new_page()
    sign_in(page, "resident", PASSWORD)
    started = time.monotonic()
    page.goto("/assessments/wba/new/")
    page.locator("#id_form").select_option(str(aw.mini_cex.pk))
    page.get_by_role("button", name="Next step").click()
    page.locator("#id_teacher").select_option(str(cast.tutor_a.pk))
    page.get_by_label("Case or procedure").fill("Chest pain, new admission")
    for code, _label in aw.mini_cex.domain_labels():
        page.locator(f"#id_rating_{code}").select_option("6")
    page.get_by_label("Feedback").fill("Focused history; examine the neck veins.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Save and ask the teacher").click()
    assert "Waiting for the teacher" in page.locator("#wba-status").inner_text()
    wba = Wba.objects.get()
    assert wba.department == aw.world.a1 and wba.ratings["overall"] == 6

    teacher = teacher_phone.new_page()
    sign_in(teacher, "tutor_a", PASSWORD)
    teacher.goto("/assessments/codes/")
    teacher.get_by_role("button", name="Issue a new code").click()
    code = teacher.locator("#one-time-code").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    assert code not in WbaCode.objects.get().code_hash

    page.get_by_label("Teacher: type the one-time code from your account").fill(code)
    page.get_by_role("button", name="Confirm with the code").click()
    assert "Confirmed" in page.locator("#wba-status").inner_text()
    assert time.monotonic() - started < 60
    wba.refresh_from_db()
    assert (wba.status, wba.confirmed_by) == (WbaStatus.CONFIRMED, "code")
    resident_phone.close()
    teacher_phone.close()
