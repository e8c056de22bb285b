"""In a real Chromium, on a 390-px phone screen: the resident logs a procedure at the bedside;
the teacher verifies it on the week screen."""

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.logbook.models import EntryStatus, LogEntry
from tandem.logbook.tests.factories import build_logworld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_logs_on_a_phone_and_the_teacher_verifies_the_week(chromium, live_server):
    cast = build_cast()
    lw = build_logworld(cast)
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "resident", PASSWORD)
    page.goto("/logbook/entries/new/")
    page.locator("#id_department").select_option(str(lw.world.a1.pk))
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.locator("#id_item").select_option(str(lw.puncture.pk))
    page.get_by_label("Performed").check()
    page.get_by_label("Hospital record number").fill("MRN 2026-0042")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Log it", exact=True).click()
    assert "Lumbar puncture" in page.get_by_role("heading", level=1).inner_text()
    entry = LogEntry.objects.get()
    assert entry.status == EntryStatus.PENDING and "0042" not in entry.patient_hash

    teacher = context.new_page()
    context.clear_cookies()
    sign_in(teacher, "tutor_a", PASSWORD)
    teacher.goto("/logbook/review/")
    assert teacher.locator('input[name="entries"]').count() == 1
    teacher.get_by_role("button", name="Verify the ticked entries").click()
    teacher.wait_for_url("**/logbook/review/**")
    assert "1 entries saved." in teacher.content()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED and entry.reviewed_by == cast.tutor_a
    context.close()
