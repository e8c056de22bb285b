"""In a real Chromium: a coordinator drafts an agreement, both parties sign it, it is active."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_an_agreement_and_both_parties_sign_it(browser_page, chromium, live_server):
    cast = build_cast()
    page = browser_page
    sign_in(page, "coord_a", PASSWORD)
    page.goto("/agreements/new/")
    page.locator("#id_title").fill("WMU–EMU imaging exchange")
    page.locator("#id_form").select_option("university_domestic")
    page.locator("#id_start_date").fill("2026-09-01")
    page.locator("#id_end_date").fill("2029-08-31")
    page.locator("#id_parties-0-institution").select_option(str(cast.inst_a.pk))
    page.locator("#id_parties-0-funding_share").fill("50")
    page.locator("#id_parties-1-institution").select_option(str(cast.inst_b.pk))
    page.locator("#id_parties-1-funding_share").fill("50")
    page.locator("#id_quotas-0-year").fill("2027")
    page.locator("#id_quotas-0-max_trainees").fill("3")
    page.get_by_role("button", name="Save the draft").click()

    heading = page.get_by_role("heading", level=1)
    assert "WMU–EMU imaging exchange" in heading.inner_text()
    assert "Draft" in heading.inner_text()
    page.get_by_role("button", name="Sign for Western Medical University").click()
    assert "Awaiting signatures" in page.get_by_role("heading", level=1).inner_text()
    agreement = Agreement.objects.get(title="WMU–EMU imaging exchange")
    assert agreement.status == AgreementStatus.SIGNING

    # The partner's coordinator, in another browser session, signs for the eastern university.
    context = chromium.new_context(base_url=live_server.url)
    partner = context.new_page()
    sign_in(partner, "coord_b", PASSWORD)
    partner.goto(f"/agreements/{agreement.pk}/")
    partner.get_by_role("button", name="Sign for Eastern Medical University").click()
    assert "Active" in partner.get_by_role("heading", level=1).inner_text()
    context.close()

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.signatures.count() == 2

    # The outsider cannot even find it.
    context = chromium.new_context(base_url=live_server.url)
    outsider = context.new_page()
    sign_in(outsider, "outsider", PASSWORD)
    response = outsider.goto(f"/agreements/{agreement.pk}/")
    assert response.status == 404
    context.close()
