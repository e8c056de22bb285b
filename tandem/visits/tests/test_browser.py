"""In a real Chromium, on a 390-px phone screen: a visit from planning to its actions being
closed — A's office plans the visit, a session and an action for B; B's teacher reports it
done; A's office accepts it."""

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.visits.models import Action, ActionStatus, Session, Visit
from tandem.visits.tests.factories import base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_visit_from_planning_to_its_actions_being_closed(chromium, live_server):
    cast = build_cast()
    base_a = base(cast.inst_a, "internal_medicine", "Internal medicine base A")
    base(cast.inst_b, "internal_medicine", "Internal medicine base B")
    today = timezone.localdate().isoformat()
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "coord_a", PASSWORD)
    page.goto("/visits/")
    page.get_by_role("link", name="Plan a visit").click()
    page.locator("#id_host").select_option(str(cast.inst_a.pk))
    page.locator("#id_visiting").select_option(str(cast.inst_b.pk))
    page.locator("#id_agreement").select_option(str(cast.agreement_ab.pk))
    page.locator("#id_title").fill("EMU visits WMU")
    page.locator("#id_starts_on").fill(today)
    page.locator("#id_ends_on").fill(today)
    _fits(page)
    page.get_by_role("button", name="Plan the visit").click()
    assert "EMU visits WMU" in page.get_by_role("heading", level=1).inner_text()
    visit = Visit.objects.get()

    page.get_by_text("Plan a session").click()
    page.locator("#session_host_base").select_option(str(base_a.pk))
    page.get_by_label("Teaching methods").check()
    page.get_by_role("button", name="Plan the session").click()
    assert "The session is planned." in page.content()
    assert Session.objects.filter(visit=visit, host_base=base_a).exists()

    page.get_by_text("Add an action").click()
    page.locator("#action_institution").select_option(str(cast.inst_b.pk))
    page.locator("#action_owner").select_option(str(cast.tutor_b.pk))
    page.locator("#action_title").fill("Teacher workshop on feedback")
    page.locator("#action_deadline").fill(today)
    page.get_by_role("button", name="Add the action").click()
    assert "Teacher workshop on feedback" in page.get_by_role("heading", level=1).inner_text()
    action = Action.objects.get()
    _fits(page)

    context.clear_cookies()
    sign_in(page, "tutor_b", PASSWORD)
    page.goto(f"/visits/actions/{action.pk}/")
    page.get_by_label("What was done (needed to mark it done)").fill("Workshop held for 20")
    page.get_by_role("button", name="Mark as done").click()
    assert "Done, awaiting acceptance" in page.content()

    context.clear_cookies()
    sign_in(page, "coord_a", PASSWORD)
    page.goto(f"/visits/actions/{action.pk}/")
    page.get_by_role("button", name="Accept").click()
    assert "Accepted" in page.content()
    action.refresh_from_db()
    assert action.status == ActionStatus.ACCEPTED and action.accepted_by == cast.coord_a
    context.close()
