"""The links in e-mails point to where the demo serves, not to a fixed port 8000."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def _site_url(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + PRINT_SITE_URL],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_follows_the_port_the_demo_serves_on():
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url() == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins():
    assert _site_url(PORT="8123", SITE_URL="https://tandem.example.edu.cn") == (
        "https://tandem.example.edu.cn"
    )


def test_make_passes_its_port_to_the_server_and_the_worker():
    environ = {k: v for k, v in os.environ.items() if k != "PORT"}
    result = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval=print-port: ; @printenv PORT",
            "print-port",
            "PORT=8123",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "8123"
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval=print-port: ; @printenv PORT", "print-port"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "8000"
