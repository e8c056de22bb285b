"""Every page of the demo fits a 390-px phone: nothing wider than the screen.

The pages are those a walk by the links reaches (see crawl.py), each URL pattern once, opened in
Chromium at 390×844 as the account that reached it. A page overflows when the document is wider
than the viewport (`scrollWidth > clientWidth`); a wide table may scroll inside its own wrapper.
"""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tandem.accounts.models import User
from tandem.core.tests.cast import build_cast
from tandem.core.tests.crawl import load_demo, quiet_requests, walk
from tandem.portal.demo import demo_logins

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

PAGE_WIDTH = (Path(__file__).parent / "page_width.js").read_text(encoding="utf-8")


def _pages_by_account() -> dict[str, tuple[str, list[str]]]:
    """Each HTML page pattern of the demo once per role, with the first account reaching it."""
    budget: Counter = Counter()
    pages: dict[str, tuple[str, list[str]]] = {}
    with quiet_requests():
        for login in demo_logins():
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=login.username))
            visits = walk(client, scope=login.role, budget=budget, per_pattern=1)
            pages[client.cookies[settings.SESSION_COOKIE_NAME].value] = (
                login.username,
                [visit.url for visit in visits if visit.status == 200 and visit.is_html],
            )
    return pages


def test_every_demo_page_fits_a_390_px_phone(chromium, live_server):
    load_demo()
    too_wide = []
    for session, (username, urls) in _pages_by_account().items():
        context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        for url in urls:
            page.goto(url, wait_until="load")
            measure = page.evaluate(PAGE_WIDTH)
            if measure["width"] > measure["limit"]:
                spills = ", ".join(measure["out"])
                too_wide.append(f"{username} {url}: {measure['width']} px — {spills}")
        context.close()
    assert not too_wide, "pages wider than a 390-px phone:\n" + "\n".join(too_wide)


def _signed_in_context(chromium, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, locale="en-US", **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_on_a_phone_the_header_folds_behind_a_menu_that_opens_without_javascript(
    chromium, live_server
):
    cast = build_cast()
    context = _signed_in_context(
        chromium, live_server, cast.coord_a, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    assert page.locator(".topbar").bounding_box()["height"] < 70
    navigation = page.get_by_role("navigation", name="Main")
    assert not navigation.is_visible()
    assert not page.get_by_role("button", name="Log out").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert navigation.is_visible()
    assert page.get_by_role("link", name="Alerts").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    context.close()


def test_on_a_wide_screen_the_navigation_shows_without_a_toggle(chromium, live_server):
    cast = build_cast()
    context = _signed_in_context(
        chromium, live_server, cast.coord_a, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto("/")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    context.close()
