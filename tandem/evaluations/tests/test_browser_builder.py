"""In a real Chromium, without any script of ours: a coordinator builds a template with the
"add" buttons, what was typed survives each round trip, and Enter in a field saves (the form's
default button is Save, not an "add" button)."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.evaluations.models import EvaluationTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_builds_a_template_in_the_browser(browser_page):
    build_cast()
    page = browser_page
    sign_in(page, "coord_a", PASSWORD)
    page.goto("/evaluations/rounds/")
    page.get_by_role("link", name="Evaluation templates").click()
    page.get_by_role("link", name="New template").click()
    page.locator("#id_title").fill("Lab supervision")
    page.locator("#id_title_zh").fill("实验室指导")
    page.locator("#id_relationship").select_option("trainee_tutor")
    page.locator("#id_sections-0-title").fill("Supervision")
    page.locator("#id_items-0-prompt").fill("Availability")
    page.locator("#id_items-0-options").fill("1 | Poor | 差\n2 | Fair | 一般\n3 | Good | 好")
    page.get_by_role("button", name="Add an item to this section").click()

    assert page.locator("#id_title").input_value() == "Lab supervision"
    assert page.locator("#id_items-0-prompt").input_value() == "Availability"
    page.locator("#id_items-1-kind").select_option("narrative")
    page.locator("#id_items-1-prompt").fill("What could improve?")
    page.locator("#id_items-1-is_required").uncheck()
    page.locator("#id_items-1-prompt").press("Enter")

    assert "Lab supervision" in page.get_by_role("heading", level=1).inner_text()
    template = EvaluationTemplate.objects.get(title="Lab supervision")
    assert [i.kind for i in template.items.order_by("position")] == ["rating", "narrative"]
    assert page.get_by_text("What could improve?").is_visible()
