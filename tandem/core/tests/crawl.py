"""Breadth-first walks through the demo by the links a person sees, for the link and layout tests.

A walk starts at the dashboard and follows every same-site `<a href>` of every HTML page it
reaches, and the redirects. To stay bounded it opens at most `per_pattern` URLs of one URL
pattern (and set of query parameters) per `scope`: a scope shared by several accounts (their
role) lets them share the budget. Downloads (a path ending in a file extension: .pdf, .xlsx,
.json, .ics) are not opened: they are files, not pages with links, and some take seconds.
"""

import io
import logging
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

LINK = re.compile(r"""<a\b[^>]*?\shref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
NOT_PAGES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/")
DOWNLOAD = re.compile(r"\.[A-Za-z0-9]{2,5}$")


@dataclass(frozen=True)
class Visit:
    url: str
    source: str
    status: int
    route: str
    is_html: bool


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def same_site_links(page_url: str, html: str) -> Iterator[str]:
    for href in LINK.findall(html):
        parts = urlsplit(urljoin("http://testserver" + page_url, unescape(href)))
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        if parts.path.startswith(NOT_PAGES) or DOWNLOAD.search(parts.path):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def walk(
    client: Client,
    *,
    scope: str,
    budget: Counter,
    per_pattern: int,
    on_page: Callable[[str, str], None] | None = None,
) -> list[Visit]:
    """Every URL one signed-in client reaches from the dashboard, with the page it came from;
    `on_page(url, html)` sees every HTML page that answered 200."""
    visits: list[Visit] = []
    queued = {"/"}
    queue: deque[tuple[str, str]] = deque([("/", "")])
    while queue:
        url, source = queue.popleft()
        route = _route(urlsplit(url).path)
        if route is None:
            visits.append(Visit(url, source, 404, "", False))
            continue
        response = client.get(url)
        is_html = response.get("Content-Type", "").startswith("text/html")
        visits.append(Visit(url, source, response.status_code, route, is_html))
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif response.status_code == 200 and is_html:
            document = response.content.decode()
            if on_page is not None:
                on_page(url, document)
            targets = list(same_site_links(url, document))
        else:
            continue
        for target in targets:
            if target in queued:
                continue
            queued.add(target)
            parts = urlsplit(target)
            key = (scope, _route(parts.path) or parts.path, *sorted(dict(parse_qsl(parts.query))))
            if budget[key] >= per_pattern:
                continue
            budget[key] += 1
            queue.append((target, url))
    return visits


@contextmanager
def quiet_requests() -> Iterator[None]:
    """403s and 404s are logged as warnings by Django; a walk expects some of them."""
    logger = logging.getLogger("django.request")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def load_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())
