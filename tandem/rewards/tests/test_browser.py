"""In a real Chromium, on a 390-px phone screen: a tutor nominates their trainee; a committee
member votes, the votes section swapped in place by HTMX."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.rewards.models import Nomination, Vote
from tandem.rewards.tests.factories import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tutor_nominates_on_a_phone_and_a_member_votes_in_place(chromium, live_server):
    cast = build_cast()
    round_ = make_round(cast)
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "tutor_b", PASSWORD)
    page.goto(f"/rewards/{round_.pk}/")
    page.locator("#nominate-link").click()
    page.locator("#id_nominees").select_option(str(cast.trainee.pk))
    page.locator("#id_statement").fill("Two first-author papers; the mid-term passed.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#nominate-btn").click()
    assert "Tina Trainee" in page.locator("#nominees").inner_text()
    nomination = Nomination.objects.get()

    context.clear_cookies()
    member = context.new_page()
    sign_in(member, "coord_a", PASSWORD)
    member.goto(f"/rewards/nominations/{nomination.pk}/")
    member.get_by_label("For").check()
    member.locator("#vote-comment").fill("Meets the criteria.")
    member.locator("#vote-btn").click()
    member.locator("#votes").get_by_text("1 of 3 eligible members have voted; 1 for.").wait_for()
    assert member.url.endswith(f"/rewards/nominations/{nomination.pk}/")
    assert Vote.objects.get().member == cast.coord_a
    context.close()
