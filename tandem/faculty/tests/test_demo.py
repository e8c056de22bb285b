"""The demo's teachers: profiles at the demo bases, one certificate expiring, training, a plan
waiting for review and a responsible teacher; nothing added on a second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.faculty.models import (
    DevelopmentPlan,
    PlanStatus,
    ResponsibleTeacher,
    TeacherProfile,
    TrainingRecord,
)
from tandem.faculty.selectors import faculty_dashboard


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_teachers_with_an_expiring_certificate_training_plans_and_an_assignment():
    call_command("seed_demo", stdout=io.StringIO())
    guo = User.objects.get(username="teacher.guo")
    profile = TeacherProfile.objects.get(teacher=guo)
    assert profile.certificate_expires_on == datetime.date(2026, 12, 2) + datetime.timedelta(40)
    assert TrainingRecord.objects.filter(profile=profile).count() == 2
    assert DevelopmentPlan.objects.filter(profile=profile, status=PlanStatus.SUBMITTED).exists()
    assert DevelopmentPlan.objects.filter(status=PlanStatus.REVIEWED).exists()
    assert ResponsibleTeacher.objects.filter(teacher=guo).exists()
    panel = faculty_dashboard(guo)
    assert panel["expiring"] == [profile]
    assert panel["goals"]
    counts = (TeacherProfile.objects.count(), TrainingRecord.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (TeacherProfile.objects.count(), TrainingRecord.objects.count()) == counts
