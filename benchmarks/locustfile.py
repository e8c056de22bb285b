"""The load benchmark's people: each simulated user signs in as one person of the scale
consortium and walks the pages that role uses, with a few seconds' pause as people do.

Run by `benchmarks/load.py`, which seeds the data, writes the logins to
$TANDEM_BENCH_PEOPLE (JSON) and starts gunicorn; see docs/benchmarks.md.
"""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, task

PEOPLE = json.loads(Path(os.environ["TANDEM_BENCH_PEOPLE"]).read_text(encoding="utf-8"))
PASSWORD = os.environ["TANDEM_BENCH_PASSWORD"]
_next_person = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(HttpUser):
    # A person reads a page for a moment before the next one; 20 people at 0.2–1 s pauses
    # drive a 2-core server as a busy morning of a province would.
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.person = PEOPLE[next(_next_person) % len(PEOPLE)]
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": self.person["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
        )

    def _get(self, key: str) -> None:
        url = self.person["pages"].get(key)
        if url:
            # The yardstick is one row for every role; the other pages one row per role.
            name = key if key == "cheap" else f"{key} ({self.person['role']})"
            self.client.get(url, name=name)

    @task(6)
    def dashboard(self) -> None:
        self._get("dashboard")

    @task(3)
    def meetings(self) -> None:
        self._get("meetings")

    @task(2)
    def series(self) -> None:
        self._get("series")

    @task(2)
    def cultivation(self) -> None:
        self._get("cultivation")

    @task(2)
    def workspace(self) -> None:
        self._get("workspace")

    @task(1)
    def plans(self) -> None:
        self._get("plans")

    @task(1)
    def alerts(self) -> None:
        self._get("alerts")

    @task(1)
    def people(self) -> None:
        self._get("people")

    @task(1)
    def mentoring_log(self) -> None:
        self._get("log")

    @task(1)
    def api(self) -> None:
        self._get("api")

    @task(2)
    def cheap(self) -> None:
        # The yardstick: an authenticated page that reads almost nothing.
        self._get("cheap")
