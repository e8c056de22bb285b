"""In a real Chromium on a phone (390×844, touch): an evaluator fills an evaluation from the
to-do list — a draft kept across visits, a refused submission with a required answer missing
(nothing submitted), then the submission — and the form never scrolls sideways."""

from pathlib import Path

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.evaluations.models import (
    EvaluationDraft,
    EvaluationPair,
    EvaluationResponse,
    PairStatus,
)
from tandem.evaluations.tests.factories import make_template, open_round, population

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = (Path(__file__).parents[2] / "core" / "tests" / "page_width.js").read_text(
    encoding="utf-8"
)


def assert_no_sideways_scroll(page) -> None:
    measured = page.evaluate(PAGE_WIDTH)
    assert measured["width"] <= PHONE["width"], f"the page is wider than the phone: {measured}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "window.innerWidth"
    )


def test_fill_an_evaluation_on_a_phone(chromium, live_server):
    from playwright.sync_api import expect

    cast = build_cast()
    population(cast)
    template = make_template(cast, "trainee_tutor", anonymous=True)
    round_ = open_round(cast, [template])
    pair = EvaluationPair.objects.get(round=round_, target_user=cast.tutor_a)
    tutor = cast.tutor_a.full_name

    context = chromium.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=3,
        locale="en-US",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "trainee", PASSWORD)

    page.goto("/evaluations/")
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name=f"Evaluation trainee_tutor: {tutor}").tap()
    page.wait_for_url(f"**/evaluations/{pair.pk}/")
    assert_no_sideways_scroll(page)
    page.get_by_label("Very good").tap()
    page.get_by_label("What could improve?").fill("More time for questions.")
    page.get_by_role("button", name="Save draft").tap()
    expect(page.get_by_text("Draft saved. You can finish it later.")).to_be_visible()
    assert EvaluationDraft.objects.filter(pair=pair).exists()

    page.goto("/")  # leave, and come back later through the to-do list
    page.goto("/evaluations/")
    page.get_by_role("link", name=f"Evaluation trainee_tutor: {tutor}").tap()
    page.wait_for_url(f"**/evaluations/{pair.pk}/")
    assert page.get_by_label("Very good").is_checked()
    assert page.get_by_label("What could improve?").input_value() == "More time for questions."

    # The entrustment and the yes/no questions are required and still unanswered.
    page.get_by_label("Yes", exact=True).tap()
    page.get_by_role("button", name="Submit", exact=True).tap()
    # Said at the top of the page and under the one question left unanswered.
    expect(page.locator(".field .error", has_text="Answer this question.")).to_have_count(1)
    expect(page.locator(".field", has_text="Trusts me with experiments")).to_contain_text(
        "Answer this question."
    )
    assert_no_sideways_scroll(page)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING and not EvaluationResponse.objects.exists()
    assert page.get_by_label("Very good").is_checked()  # what was answered stays on the form
    assert page.get_by_label("Yes", exact=True).is_checked()

    page.get_by_label("Acts under indirect supervision").tap()
    page.get_by_role("button", name="Submit", exact=True).tap()
    expect(page.get_by_text("Thank you: your evaluation is submitted.")).to_be_visible()
    assert page.get_by_role("link", name=f"Evaluation trainee_tutor: {tutor}").count() == 0
    other = cast.tutor_b.full_name
    assert page.get_by_role("link", name=f"Evaluation trainee_tutor: {other}").count() == 1
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED
    assert EvaluationResponse.objects.filter(round=round_).count() == 1
    assert not EvaluationDraft.objects.filter(pair=pair).exists()
    context.close()
