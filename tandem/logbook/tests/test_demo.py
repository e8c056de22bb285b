"""The demo's logbook part: catalogues for the demo specialties, entries in each state, work
for teacher.guo and teacher.lu, and nothing added on a second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.logbook import selectors
from tandem.logbook.models import Catalogue, EntryStatus, LogEntry


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_catalogues_entries_in_each_state_and_work_for_the_teachers():
    call_command("seed_demo", stdout=io.StringIO())
    assert Catalogue.objects.count() == 3
    assert set(LogEntry.objects.values_list("status", flat=True)) == set(EntryStatus.values)
    for username in ("teacher.guo", "teacher.lu"):
        teacher = User.objects.get(username=username)
        assert selectors.pending_review_count(teacher) > 0
        assert LogEntry.objects.filter(reviewed_by=teacher).exists()
    tang = User.objects.get(username="resident.tang")
    assert LogEntry.objects.filter(resident=tang).exists()
    counts = (Catalogue.objects.count(), LogEntry.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Catalogue.objects.count(), LogEntry.objects.count()) == counts
