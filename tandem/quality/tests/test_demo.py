"""The demo's quality part: standards at both hospitals' bases, some missed this month, an
observation with two findings (one accepted), a self-assessment in progress; nothing added on a
second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tandem.quality import selectors
from tandem.quality.models import (
    Observation,
    Rectification,
    SelfAssessment,
    Standard,
)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_standards_met_and_missed_an_observation_and_a_self_assessment():
    call_command("seed_demo", stdout=io.StringIO())
    assert Standard.objects.values("base").distinct().count() == 2
    today = timezone.localdate()
    missed = {row["base"].pk: row["missed"] for row in selectors.missed_by_base(today, today)}
    assert any(missed.values()), "some standards are missed"
    observation = Observation.objects.get()
    assert sorted(Rectification.objects.values_list("status", flat=True)) == ["accepted", "open"]
    assert observation.pair is not None
    assert SelfAssessment.objects.get().status == "draft"
    counts = (Standard.objects.count(), Rectification.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Standard.objects.count(), Rectification.objects.count()) == counts
