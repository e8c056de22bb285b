"""The demo's committee: three members, a finalised review and an open one, the resident's
summary on the dashboard, nothing added on a second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.milestones import selectors
from tandem.milestones.models import Committee, ResidentReview, ReviewStatus


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_a_committee_a_finalised_and_an_open_review():
    call_command("seed_demo", stdout=io.StringIO())
    committee = Committee.objects.get()
    assert committee.members.count() == 3
    statuses = set(ResidentReview.objects.values_list("status", flat=True))
    assert statuses == {ReviewStatus.OPEN, ReviewStatus.FINALISED}
    deng = User.objects.get(username="resident.deng")
    assert selectors.summary_list_of_resident(deng).exists()
    assert selectors.reviews_to_do(User.objects.get(username="teacher.lu")).exists()
    counts = (Committee.objects.count(), ResidentReview.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Committee.objects.count(), ResidentReview.objects.count()) == counts
