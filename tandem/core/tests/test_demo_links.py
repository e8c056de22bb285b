"""Every link a demo account sees leads somewhere it may go: no 403, 404 or 405 behind a link.

Signs in as each demo account and walks the demo breadth-first by its links (see crawl.py);
accounts of one role share the budget of URLs per pattern to keep the walk to a few minutes.
"""

import datetime
from collections import Counter

import pytest
import time_machine
from django.test import Client

from tandem.accounts.models import User
from tandem.core.tests.crawl import load_demo, quiet_requests, walk
from tandem.portal.demo import demo_logins

NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=datetime.UTC)
PER_PATTERN = 2


@pytest.mark.django_db
def test_no_link_in_the_demo_leads_to_a_refusal_or_a_missing_page():
    with time_machine.travel(NOW, tick=False), quiet_requests():
        load_demo()
        budget: Counter = Counter()
        dead = []
        for login in demo_logins():
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=login.username))
            visits = walk(client, scope=login.role, budget=budget, per_pattern=PER_PATTERN)
            dead += [
                f"{login.username}: {visit.status} {visit.url} (from {visit.source})"
                for visit in visits
                if visit.status >= 400
            ]
    assert not dead, "links that fail for the person who sees them:\n" + "\n".join(dead)
