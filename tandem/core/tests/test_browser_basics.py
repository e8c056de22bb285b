"""Log in and switch language, in a real Chromium."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_language(browser_page):
    build_cast()
    page = browser_page
    sign_in(page, "coord_a", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "仪表板" in page.content() or "欢迎" in page.content()
    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_wrong_password_shows_a_clear_message(browser_page):
    build_cast()
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("coord_a")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert (
        page.get_by_role("alert")
        .inner_text()
        .strip()
        .startswith("The username or password is not correct")
    )
