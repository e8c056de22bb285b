"""The real 404/403/500 pages, in both languages, and the demo configuration that shows them.

Tests run with DEBUG off (pytest-django), as `make demo` does: a visitor never sees Django's
technical page listing the URL patterns.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from config import urls as project_urls

ROOT = Path(settings.BASE_DIR)
TECHNICAL_PAGE = "Using the URLconf"


def _broken_view(request):
    raise RuntimeError("a bug")


# The project's URLs and handlers, plus one view with a bug.
urlpatterns = [path("broken/", _broken_view), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "explanation"),
    [
        ("en", "Not found", "This page does not exist, or you do not have access to it."),
        ("zh-hans", "未找到", "该页面不存在，或您无权访问。"),
    ],
)
def test_anonymous_visitor_gets_the_real_404_page(language, heading, explanation):
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page and explanation in page
    assert TECHNICAL_PAGE not in page and "config.urls" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "reason"),
    [
        ("en", "Not allowed", "The workspace is for tutors."),
        ("zh-hans", "不允许", "工作台仅供导师使用。"),
    ],
)
def test_refused_page_is_the_403_page_with_the_reason(cast, language, heading, reason):
    client = _client(language)
    client.force_login(cast.coord_a)
    response = client.get("/cultivation/workspace/")
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page and reason in page


@pytest.mark.django_db
@pytest.mark.urls("tandem.core.tests.test_error_pages")
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Something went wrong"), ("zh-hans", "出现错误")]
)
def test_server_error_is_the_500_page_without_details(language, heading):
    response = _client(language).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert "a bug" not in page and "Traceback" not in page


def _failing_processor(request):
    raise RuntimeError("the database is gone")


@pytest.mark.django_db
@pytest.mark.urls("tandem.core.tests.test_error_pages")
def test_server_error_page_renders_even_when_the_page_context_cannot_be_built(cast, settings):
    # What broke the page (here: a context processor reading the database) must not break the
    # error page too: the 500 page is rendered without the request's context processors.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "tandem.core.tests.test_error_pages._failing_processor",
                ]
            },
        }
    ]
    client = _client("en")
    client.force_login(cast.coord_a)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def _demo_env(tmp_path: Path) -> dict[str, str]:
    """The variables `make demo` serves with, read from the Makefile itself."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^DEMO_ENV :=(.*?)(?<!\\)\n", makefile, flags=re.M | re.S)
    assert match, "the Makefile defines DEMO_ENV for `make demo`"
    pairs = dict(item.split("=", 1) for item in match.group(1).replace("\\\n", " ").split())
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **env,
        **pairs,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


SERVE = """
import django, os, re
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.conf import settings
from django.test import Client
assert not settings.DEBUG
client = Client(HTTP_HOST="127.0.0.1")
login = client.get("/accounts/login/")
assert login.status_code == 200, login.status_code
page = login.content.decode()
stylesheet = re.search(r'href="(/static/tandem/tandem[^"]*\\.css)"', page).group(1)
print("stylesheet", stylesheet, client.get(stylesheet).status_code)
for language in ("en", "zh-hans"):
    client.cookies["django_language"] = language
    missing = client.get("/no-such-page/")
    heading = re.search(r"<h1>(.*?)</h1>", missing.content.decode()).group(1)
    print(language, missing.status_code, heading)
"""


def test_demo_settings_serve_static_files_and_the_real_404_in_both_languages(tmp_path):
    env = _demo_env(tmp_path)
    assert env["DEBUG"] == "false"
    # Only this app's files and htmx: the admin's many files would make the test slow.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "-i", "admin"]
    result = subprocess.run(
        [*collect, "-i", "ninja"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"stylesheet /static/tandem/tandem\.[0-9a-f]+\.css 200", lines[0]), lines
    assert lines[1:] == ["en 404 Not found", "zh-hans 404 未找到"]
