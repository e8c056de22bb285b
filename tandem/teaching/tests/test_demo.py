"""The demo's teaching part: activities in the demo's departments, attendance in each state,
one activity on today whose code teacher.guo can show, rating pairs, and nothing added on a
second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tandem.accounts.models import User
from tandem.evaluations.models import EvaluationPair
from tandem.teaching import permissions, window
from tandem.teaching.models import Activity, Attendance


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_activities_attendance_and_one_open_today():
    call_command("seed_demo", stdout=io.StringIO())
    assert Activity.objects.filter(department__code="ro-ward").exists()
    assert Activity.objects.filter(department__code="cardio").exists()
    assert set(Attendance.objects.values_list("status", flat=True)) >= {"present", "expected"}
    assert Attendance.objects.filter(source="teacher").exists()
    now = timezone.now()
    guo = User.objects.get(username="teacher.guo")
    today = [
        a
        for a in Activity.objects.filter(teacher=guo, starts_at__date=timezone.localdate())
        if window.is_open(a.starts_at, a.ends_at, now)
    ]
    assert today and permissions.can_run_activity(guo, today[0])
    assert today[0].attendances.exists()
    assert EvaluationPair.objects.filter(round__teaching_activity__isnull=False).exists()
    counts = (Activity.objects.count(), Attendance.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Activity.objects.count(), Attendance.objects.count()) == counts
