"""In a real Chromium, a case from opening to the appeal decision with both institutions
taking part: the host's coordinator opens it under the home's regulation, the trainee
responds, the host comments, the home's committee votes and decides, the trainee appeals, and
the host's appeal body reduces the sanction."""

import datetime

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.conduct.models import AppealOutcome, Case, CaseStatus
from tandem.conduct.tests.factories import rules
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_from_opening_to_the_appeal_decision(chromium, live_server, browser_page):
    from playwright.sync_api import expect

    cast = build_cast()
    r = rules(cast)
    pages = {}

    def as_user(username):
        if username not in pages:
            context = chromium.new_context(base_url=live_server.url, locale="en-US")
            context.set_default_timeout(15_000)
            page = context.new_page()
            sign_in(page, username, PASSWORD)
            pages[username] = page
        return pages[username]

    # The host's coordinator opens the case under the home university's regulation.
    host = as_user("coord_b")
    host.goto("/conduct/new/")
    host.get_by_label("Joint cultivation").select_option(index=1)
    host.get_by_label("Article cited").select_option(label=str(r["art12"]))
    host.get_by_label("Deciding committee").select_option(index=1)
    day = timezone.localdate() - datetime.timedelta(days=10)
    host.get_by_label("Date of the conduct").fill(day.isoformat())
    host.get_by_label("Facts of the case").fill("Figure 2 of the March report was altered.")
    host.get_by_label("Sanction considered").select_option("warning")
    host.get_by_role("button", name="Open the case").click()
    expect(host.get_by_text("The case is opened and the trainee notified.")).to_be_visible()
    case = Case.objects.get()
    url = f"/conduct/{case.pk}/"

    trainee = as_user("trainee")
    trainee.goto(url)
    trainee.get_by_label("Your written response").fill("The figure was mislabelled, not altered.")
    trainee.get_by_role("button", name="Send", exact=True).click()
    expect(trainee.locator("#case-status")).to_have_text("In deliberation")

    host.goto(url)
    host.get_by_label("Your institution's comment").fill("The host's lab manager confirms.")
    host.get_by_role("button", name="Send the comment").click()
    expect(host.get_by_text("The host's lab manager confirms.")).to_be_visible()

    for username in ("coord_a", "member_a1"):
        member = as_user(username)
        member.goto(url)
        member.get_by_label("Your vote").select_option("warning")
        member.get_by_role("button", name="Vote", exact=True).click()
        expect(member.get_by_text("Your vote is recorded.")).to_be_visible()
    chair = as_user("coord_a")
    chair.goto(url)
    chair.get_by_label("Decision", exact=True).select_option("warning")
    chair.get_by_label("Written reasons").fill("Mislabelling this serious needs a warning.")
    chair.get_by_role("button", name="Decide", exact=True).click()
    expect(chair.locator("#case-status")).to_have_text("Decided: appeal window open")

    trainee.goto(url)
    trainee.get_by_label("Grounds of appeal").fill("The lab manager was not heard.")
    trainee.get_by_role("button", name="Appeal", exact=True).click()
    expect(trainee.locator("#case-status")).to_have_text("Under appeal")

    appeal = as_user("member_b1")
    appeal.goto(url)
    appeal.get_by_label("Appeal decision").select_option(AppealOutcome.REDUCED)
    appeal.get_by_label("Reduced to").select_option("criticism")
    appeal.get_by_label("Written reasons").fill("A first mistake, promptly corrected.")
    appeal.get_by_role("button", name="Decide the appeal").click()
    expect(appeal.locator("#case-status")).to_have_text("In force")

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE and case.outcome == "criticism"
    assert case.comment and case.appeal.outcome == AppealOutcome.REDUCED
    for page in pages.values():
        page.context.close()
