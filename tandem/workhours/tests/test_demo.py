"""The demo's work-hours part: rule sets of both hospitals, logged weeks for the residents, one
resident with violations and the others without, and nothing added on a second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.workhours import selectors
from tandem.workhours.models import RuleSet, Shift


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_logged_weeks_and_one_resident_breaking_the_rules():
    call_command("seed_demo", stdout=io.StringIO())
    assert set(RuleSet.objects.values_list("regulator", flat=True)) == {"china", "acgme"}
    tang = User.objects.get(username="resident.tang")
    rules_broken = {v.rule for v in selectors.resident_standing(tang).violations}
    assert {"weekly_hours", "continuous_duty", "rest", "days_off"} <= rules_broken
    deng = User.objects.get(username="resident.deng")
    standing = selectors.resident_standing(deng)
    assert standing.violations == [] and sum(standing.weeks.values()) > 100
    count = Shift.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Shift.objects.count() == count
