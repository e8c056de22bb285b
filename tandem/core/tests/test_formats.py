"""One format per kind of number and date, by locale, on every page.

The demo is crawled (from the dashboard, following the links each person sees) in English and
in Chinese; a page fails when its visible text mixes date formats (US-style "12/31/2029",
"Dec. 31, 2029", "2029年12月31日" beside the ISO dates of the rest) or shows an unformatted
amount ("4200.5", "145799.50", credits "30.0").
"""

import html
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tandem.accounts.models import User
from tandem.core.numbers import format_money, format_number

OTHER_DATES = {
    "US-style date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "date with a month name": re.compile(
        r"\b(Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
    ),
    "Chinese-style date": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
}
UNFORMATTED = {
    "amount with one decimal": re.compile(r"(?<![\d.,])\d+\.\d(?![\d.%]| ?%)"),
    "amount without thousands separator": re.compile(r"(?<![\d.,])\d{4,}\.\d{2}(?!\d)"),
}
ACCOUNTS = ("coord.wmu", "tutor.li", "trainee.zhang", "coord.ech")
MAX_PAGES = 45
SKIP = (
    "/logout",
    "/i18n/",
    "/api/",
    "/admin/",
    "/static/",
    "/media/",
    "export",
    "download",
    ".ics",
    ".pdf",
    ".xlsx",
    ".csv",
    "/feed",
)


@pytest.mark.parametrize(
    ("language", "value", "money", "credits"),
    [
        ("en", Decimal("4200.5"), "4,200.50", "4,200.5"),
        ("zh-hans", Decimal("145799.50"), "145,799.50", "145,799.5"),
        ("en", Decimal("30.0"), "30.00", "30"),
        ("zh-hans", "2.50", "2.50", "2.5"),
        ("en", None, "—", "—"),
    ],
)
def test_money_has_two_decimals_and_thousands_and_credits_no_trailing_zero(
    language, value, money, credits
):
    with translation.override(language):
        assert format_money(value) == money
        assert format_number(value) == credits
        rendered = Template("{{ v|money }} {{ v|number }}").render(Context({"v": value}))
        assert rendered == f"{money} {credits}"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_dates_are_iso_in_both_languages(language):
    import datetime

    template = Template(
        '{{ d|date:"DATE_FORMAT" }} {{ d|date:"SHORT_DATE_FORMAT" }} '
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        rendered = template.render(
            Context(
                {
                    "d": datetime.date(2029, 12, 31),
                    "t": datetime.datetime(2029, 12, 31, 14, 5),
                }
            )
        )
    assert rendered == "2029-12-31 2029-12-31 2029-12-31 14:05"


def _visible_text(document: str) -> str:
    document = re.sub(r"(?s)<(script|style|textarea|select)\b.*?</\1>", " ", document)
    document = re.sub(r"(?s)<!--.*?-->", " ", document)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", document)).split())


def _links(document: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', document):
        url = urldefrag(html.unescape(href))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if any(skip in url for skip in SKIP):
            continue
        found.append(url)
    return found


def _problems(text: str) -> list[str]:
    problems = []
    for what, pattern in (OTHER_DATES | UNFORMATTED).items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 40)
            problems.append(f"{what}: …{text[start : match.end() + 20]}…")
    return problems


def _crawl(client: Client) -> dict[str, list[str]]:
    seen: set[str] = set()
    queue = deque(["/"])
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        # One page of each kind: /funds/1/ and /funds/2/ show the same template.
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        document = response.content.decode()
        if found := _problems(_visible_text(document)):
            problems[url] = found
        queue.extend(_links(document))
    return problems


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel("2026-05-12 09:00 +08:00", tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("username", ACCOUNTS)
def test_demo_pages_use_one_format_per_kind_of_number_and_date(demo, username, language):
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = language
    with time_machine.travel("2026-05-12 09:00 +08:00", tick=False):
        problems = _crawl(client)
    assert not problems, "\n".join(f"{url}: {p[:3]}" for url, p in problems.items())
