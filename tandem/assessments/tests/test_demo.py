"""The demo's assessments part: plans applied, the named residents' ended rotations assessed
(one failed and sent to re-examination), WBAs confirmed and waiting, nothing added twice."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.assessments.models import Assessment, Component, Remediation, Wba


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_assessments_in_each_state_and_wbas():
    call_command("seed_demo", stdout=io.StringIO())
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert {"open", "passed", "failed"} <= statuses
    assert Remediation.objects.filter(kind="reexam").exists()
    assert Component.objects.filter(kind="theory").exists()
    assert set(Wba.objects.values_list("status", flat=True)) == {"confirmed", "awaiting"}
    counts = (Assessment.objects.count(), Component.objects.count(), Wba.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Assessment.objects.count(), Component.objects.count(), Wba.objects.count()) == counts
