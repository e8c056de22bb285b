"""The early warnings of teachers: a certificate expiring within 60 days, and an expired
teacher still responsible for a resident (urgent)."""

import datetime

import pytest
from django.utils import timezone

from tandem.alerts.models import Rule
from tandem.alerts.rules import Thresholds, certificate_expiring, expired_teacher_assigned
from tandem.faculty.models import ResponsibleTeacher, TeacherProfile
from tandem.faculty.selectors import faculty_dashboard

pytestmark = pytest.mark.django_db


def test_certificate_expiring_within_60_days_warns_the_teacher(fw):
    soon = timezone.localdate() + datetime.timedelta(days=45)
    TeacherProfile.objects.filter(pk=fw.profile_a.pk).update(certificate_expires_on=soon)
    causes = certificate_expiring(timezone.now(), Thresholds({}))
    assert [(c.rule, c.subject_id, c.cause) for c in causes] == [
        (Rule.CERT_EXPIRING, fw.profile_a.pk, f"expires:{soon.isoformat()}")
    ]
    assert causes[0].extra_recipient_ids == (fw.world.cast.tutor_a.pk,)
    assert faculty_dashboard(fw.world.cast.tutor_a)["expiring"] == [fw.profile_a]


def test_expired_teacher_still_assigned_is_urgent(fw):
    assert expired_teacher_assigned(timezone.now(), Thresholds({})) == []
    world = fw.world
    today = timezone.localdate()
    # Assigned while still valid, expired since.
    ResponsibleTeacher.objects.create(
        member=world.member,
        resident=world.cast.resident,
        department=world.a1,
        stint_start=today,
        teacher=fw.expired_teacher,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        created_by=world.cast.coord_a,
    )
    [cause] = expired_teacher_assigned(timezone.now(), Thresholds({}))
    assert (cause.rule, cause.subject_id, cause.urgent) == (
        Rule.EXPIRED_TEACHER,
        fw.expired.pk,
        True,
    )


def test_coordinator_dashboard_lists_the_unqualified_teacher(fw):
    panel = faculty_dashboard(fw.world.cast.coord_a)
    assert [row["profile"] for row in panel["unqualified"]] == [fw.expired]
    assert faculty_dashboard(fw.world.cast.coord_b)["unqualified"] == []
