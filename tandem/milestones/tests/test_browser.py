"""In a real Chromium, on a phone-wide screen: a committee member rates a resident on the
evidence page and finalises the review; the resident then reads the summary."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.milestones.models import ResidentReview, ReviewStatus
from tandem.milestones.tests.factories import build_milestone_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_rates_and_finalises_and_the_resident_reads_the_summary(chromium, live_server):
    cast = build_cast()
    mw = build_milestone_world(cast)
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "tutor_a", PASSWORD)
    page.goto(f"/milestones/residents/{mw.open_rr.pk}/")
    assert "Evidence in the period" in page.content()
    for sub in mw.milestone_set.subcompetencies.all():
        page.locator(f"#sub_{sub.pk}").select_option("4")
    first = mw.milestone_set.subcompetencies.first()
    page.locator(f"#note_{first.pk}").fill("Strong on the ward round")
    page.get_by_role("button", name="Save my ratings").click()
    assert "Your ratings are saved" in page.content()
    page.get_by_label("Progressing", exact=True).check()
    page.get_by_role("button", name="Finalise and tell the resident").click()
    assert "The review is finalised" in page.content()
    rr = ResidentReview.objects.get(pk=mw.open_rr.pk)
    assert rr.status == ReviewStatus.FINALISED

    context.clear_cookies()
    resident = context.new_page()
    sign_in(resident, "resident", PASSWORD)
    resident.goto(f"/milestones/summaries/{rr.pk}/")
    assert resident.locator("#decision").inner_text() == "Progressing"
    assert "Strong on the ward round" not in resident.content()
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
