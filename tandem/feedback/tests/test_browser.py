"""In a real Chromium, the whole feedback loop of issue 10: a trainee raises a problem
anonymously → it is routed to the host's coordinator → acknowledged → resolved with what was
done → the trainee reopens it with a reason → resolved again → the trainee confirms it closed.
The handler's pages never show who raised it (decision 083)."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.feedback.models import FeedbackItem, ItemStatus
from tandem.feedback.tests.factories import active_cultivation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_item_followed_until_the_trainee_confirms_it_closed(
    browser_page, chromium, live_server
):
    from playwright.sync_api import expect

    cast = build_cast()
    active_cultivation(cast)
    names = [cast.trainee.full_name, cast.trainee.email, f">{cast.trainee.username}<"]
    names = [name for name in names if name.strip("<>")]

    trainee = browser_page
    sign_in(trainee, "trainee", PASSWORD)
    trainee.goto("/feedback/")
    trainee.get_by_role("link", name="Raise a problem").click()
    trainee.get_by_label("Category").select_option(label="Living conditions and housing")
    trainee.get_by_label("Subject").fill("No hot water in the dormitory")
    trainee.get_by_label("What is the problem?").fill("No hot water on the third floor for a week.")
    trainee.get_by_label("Raise it anonymously").check()
    trainee.get_by_role("button", name="Send").click()
    expect(trainee.get_by_text("Your item is sent to Eastern Medical University.")).to_be_visible()
    assert "You, anonymously" in trainee.content()
    item = FeedbackItem.objects.get()
    assert item.is_anonymous and item.raised_by_id is None
    assert item.institution_id == cast.inst_b.pk  # housing goes to the host

    context = chromium.new_context(base_url=live_server.url, locale="en-US")
    handler = context.new_page()
    seen: list[str] = []

    def look() -> str:
        html = handler.content()
        seen.append(html)
        return html

    sign_in(handler, "coord_b", PASSWORD)
    look()  # the dashboard
    handler.goto("/feedback/")
    look()
    handler.get_by_role("link", name="No hot water in the dormitory").click()
    assert "Anonymous" in look()
    handler.get_by_label("Note").fill("We are looking into it.")
    handler.get_by_role("button", name="Acknowledge").click()
    expect(handler.get_by_text("The item is acknowledged.")).to_be_visible()
    look()
    handler.get_by_label("What was done").fill("The boiler on the third floor was repaired.")
    handler.get_by_role("button", name="Mark resolved").click()
    expect(handler.get_by_text("the trainee confirms or reopens it")).to_be_visible()
    look()
    assert FeedbackItem.objects.get().status == ItemStatus.RESOLVED

    trainee.goto("/feedback/")
    assert "Please confirm or reopen" in trainee.content()
    trainee.get_by_role("link", name="No hot water in the dormitory").first.click()
    assert "The boiler on the third floor was repaired." in trainee.content()
    trainee.get_by_label("Why is it not solved?").fill("Still cold water in the mornings.")
    trainee.get_by_role("button", name="No, reopen it").click()
    expect(trainee.get_by_text("The item is reopened.")).to_be_visible()
    assert FeedbackItem.objects.get().reopen_count == 1

    handler.reload()
    assert "Still cold water in the mornings." in look()
    handler.get_by_label("What was done").fill("A second water heater now runs from 6 a.m.")
    handler.get_by_role("button", name="Mark resolved").click()
    expect(handler.get_by_text("the trainee confirms or reopens it")).to_be_visible()
    look()
    handler.goto("/feedback/?status=all")
    look()
    for html in seen:
        for name in names:
            assert name not in html, f"the handler's page shows {name!r}"
    context.close()

    trainee.reload()
    assert "A second water heater now runs from 6 a.m." in trainee.content()
    trainee.get_by_role("button", name="Yes, close it").click()
    expect(trainee.get_by_text("Thank you: the item is closed.")).to_be_visible()
    closed = FeedbackItem.objects.get()
    assert closed.status == ItemStatus.CLOSED and closed.raised_by_id is None
