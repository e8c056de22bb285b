"""Production settings are sound, and nothing is loaded from outside hosts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!localhost|127\.0\.0\.1)""")


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "tandem.example.org",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_template_loads_from_an_outside_host():
    offenders = []
    for template in list(ROOT.glob("templates/**/*.html")) + list(ROOT.glob("tandem/**/*.html")):
        if OUTSIDE.search(template.read_text(encoding="utf-8")):
            offenders.append(str(template.relative_to(ROOT)))
    assert not offenders


@pytest.mark.django_db
def test_rendered_pages_reference_only_this_host(cast, client_for):
    for url in ("/", "/accounts/login/", "/api/v1/docs"):
        html = client_for("coord_a").get(url).content.decode()
        assert not OUTSIDE.search(html), url
