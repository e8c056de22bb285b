"""In a real Chromium: both coordinators approve a joint cultivation, the tutors are paired,
both sign the division of responsibilities, and the trainee sees it complete and active."""

import pytest

from tandem.accounts.models import TutorProfile
from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.tests.factories import propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(chromium, live_server, username):
    context = chromium.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    sign_in(page, username, PASSWORD)
    return context, page


def test_joint_cultivation_is_approved_paired_signed_and_seen_by_the_trainee(
    browser_page, chromium, live_server
):
    cast = build_cast()
    TutorProfile.objects.filter(user=cast.tutor_b).update(qualification="doctoral")
    cultivation = propose(cast)
    url = f"/cultivation/{cultivation.pk}/"

    page = browser_page
    sign_in(page, "coord_a", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Approve for Western Medical University").click()
    assert "awaits the other institution" in page.content()

    context, partner = _as(chromium, live_server, "coord_b")
    partner.goto(url)
    partner.get_by_role("button", name="Approve for Eastern Medical University").click()
    assert "Approved by both" in partner.get_by_role("heading", level=1).inner_text()
    for role, tutor in (("experimental", cast.tutor_b), ("theoretical", cast.tutor_a)):
        partner.goto(f"{url}tutors/assign/")
        partner.locator("#id_role").select_option(role)
        partner.locator("#id_tutor").select_option(str(tutor.pk))
        partner.get_by_role("button", name="Pair", exact=True).click()
        assert "The tutor is paired." in partner.content()
    partner.get_by_role("link", name="Divide the responsibilities").click()
    partner.get_by_role("button", name="Save the division").click()
    context.close()

    for username in ("tutor_b", "tutor_a"):
        context, tutor_page = _as(chromium, live_server, username)
        tutor_page.goto(url)
        assert "Incomplete" in tutor_page.get_by_role("heading", level=1).inner_text()
        tutor_page.get_by_role("button", name="Sign the division").click()
        assert "You signed the division" in tutor_page.content()
        context.close()

    page.goto(url)
    page.get_by_role("link", name="Activate").click()
    page.get_by_role("button", name="Activate").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Active" in heading and "Incomplete" not in heading

    context, trainee = _as(chromium, live_server, "trainee")
    trainee.goto("/cultivation/")
    trainee.locator("#cultivation-results").get_by_role("link", name="Tina Trainee").click()
    heading = trainee.get_by_role("heading", level=1).inner_text()
    assert "Active" in heading and "Incomplete" not in heading
    assert "Tess Tutor" in trainee.content()
    context.close()
    assert JointCultivation.objects.get(pk=cultivation.pk).status == "active"
