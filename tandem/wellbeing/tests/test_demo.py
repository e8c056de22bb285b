"""The demo's wellbeing part: officers named, check-ins and an acknowledged alert, logins
listed, nothing added on a second run."""

import io

import pytest
from django.core.management import call_command

from tandem.wellbeing.models import AlertStatus, CheckIn, WellbeingAlert, WellbeingOfficer


@pytest.mark.django_db
def test_demo_has_officers_check_ins_and_an_acknowledged_alert():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "counsellor.wmu" in out.getvalue()
    assert WellbeingOfficer.objects.filter(user__username="counsellor.wmu").exists()
    assert CheckIn.objects.filter(trainee__username="trainee.zhang").count() == 2
    alert = WellbeingAlert.objects.get()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by.username == "counsellor.wmu"
    counts = (CheckIn.objects.count(), WellbeingOfficer.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (CheckIn.objects.count(), WellbeingOfficer.objects.count()) == counts
