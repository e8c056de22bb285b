"""In a real Chromium: both tutors sign the plan, and the trainee sees the signed plan on the
joint record page."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.plans.models import TrainingPlan
from tandem.plans.tests.factories import draft_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_tutors_sign_and_the_trainee_sees_the_signed_plan(browser_page, chromium, live_server):
    cast = build_cast()
    plan = draft_plan(cast)
    url = f"/plans/{plan.cultivation_id}/"

    page = browser_page
    sign_in(page, "tutor_a", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Sign version 1").click()
    assert "awaits the other tutor" in page.locator(".messages").inner_text()

    context = chromium.new_context(base_url=live_server.url)
    second = context.new_page()
    sign_in(second, "tutor_b", PASSWORD)
    second.goto(url)
    second.get_by_role("button", name="Sign version 1").click()
    assert "Both tutors have signed" in second.locator(".messages").inner_text()
    context.close()

    plan.refresh_from_db()
    assert plan.current_version is not None and plan.current_version.number == 1

    context = chromium.new_context(base_url=live_server.url)
    trainee = context.new_page()
    sign_in(trainee, "trainee", PASSWORD)
    trainee.goto(f"/plans/{plan.cultivation_id}/record/")
    section = trainee.locator(
        "section", has=trainee.get_by_role("heading", name="Training plan and its versions")
    )
    text = section.inner_text()
    assert "In force: Version 1, signed by both tutors" in text
    assert "Advanced immunology" in text
    assert "Tom Tutor" in text and "Tess Tutor" in text
    context.close()
    assert TrainingPlan.objects.count() == 1
