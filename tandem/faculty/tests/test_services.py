"""The responsible-teacher assignment and its refusals, the profiles, training and plans."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.alerts.models import Notification
from tandem.alerts.texts import notification_text
from tandem.assessments.models import Assessment
from tandem.assessments.services import assessments_sync_for_schedule
from tandem.core.errors import error_messages
from tandem.faculty import services
from tandem.faculty.models import PlanStatus, ResponsibleTeacher, TeacherProfile
from tandem.faculty.tests.factories import make_teacher, qualified_profile
from tandem.residency.models import PublishedSchedule
from tandem.residency.tests.factories import make_resident

pytestmark = pytest.mark.django_db


def _assign(fw, teacher=None, member=None, actor=None, **extra):
    return services.responsible_assign(
        actor=actor or fw.world.cast.coord_a,
        member=member or fw.world.member,
        department=fw.world.a1,
        teacher=teacher or fw.world.cast.tutor_a,
        **extra,
    )


def test_assignment_covers_the_stint_and_the_assessment_follows(fw):
    assignment = _assign(fw)
    block = fw.world.calendar.blocks.order_by("index")
    assert assignment.starts_on == block[0].start_date
    assert assignment.ends_on == block[1].end_date
    assessment = Assessment.objects.get(member=fw.world.member, department=fw.world.a1)
    assert assessment.teacher_id == fw.world.cast.tutor_a.pk
    # The teacher and the resident are told, each in their own words.
    told = {n.user_id: n for n in Notification.objects.filter(kind="responsible_teacher")}
    assert set(told) == {fw.world.cast.tutor_a.pk, fw.world.member.resident_id}
    assert "You are the responsible teacher of" in notification_text(told[fw.world.cast.tutor_a.pk])
    resident_text = notification_text(told[fw.world.member.resident_id])
    assert resident_text.startswith(f"{fw.world.cast.tutor_a} is your responsible teacher")


def test_expired_certificate_is_refused_with_the_date_and_nothing_saved(fw):
    with pytest.raises(ValidationError) as caught:
        _assign(fw, teacher=fw.expired_teacher)
    expired = fw.expired.certificate_expires_on.isoformat()
    assert error_messages(caught.value) == [
        f"The teacher-training certificate expired on {expired}."
    ]
    assert "teacher" in caught.value.message_dict
    assert not ResponsibleTeacher.objects.exists()


def test_teacher_without_a_profile_at_the_base_is_refused(fw):
    with pytest.raises(ValidationError) as caught:
        _assign(fw, teacher=fw.world.cast.tutor_b)
    assert error_messages(caught.value) == ["Has no teacher profile at this training base."]
    assert not ResponsibleTeacher.objects.exists()


def test_teacher_at_their_limit_is_refused_naming_the_residents_and_dates(fw):
    world, cast = fw.world, fw.world.cast
    TeacherProfile.objects.filter(pk=fw.profile_a.pk).update(tier="general")
    services.policy_set(
        actor=cast.coord_a,
        base=world.base_a,
        min_attending_years=3,
        certificate_required=True,
        max_residents_general=1,
        max_residents_key=3,
    )
    first = _assign(fw)
    with pytest.raises(ValidationError) as caught:
        _assign(fw, member=world.member2)
    start = world.calendar.blocks.get(index=1).start_date.isoformat()
    end = first.ends_on.isoformat()
    assert error_messages(caught.value) == [
        f"Already responsible for 1 resident from {start} to {end} (at most 1 at once)."
    ]
    assert ResponsibleTeacher.objects.count() == 1


def test_limit_counts_only_overlapping_days(fw):
    """resident2's stint in A1 starts when the resident's ends: a limit of 1 allows both when
    they do not overlap."""
    world, cast = fw.world, fw.world.cast
    services.policy_set(
        actor=cast.coord_a,
        base=world.base_a,
        min_attending_years=3,
        certificate_required=True,
        max_residents_general=1,
        max_residents_key=1,
    )
    first = _assign(fw, ends_on=world.calendar.blocks.get(index=0).end_date)
    second = _assign(fw, member=world.member2)
    assert first.ends_on < second.starts_on


def test_unqualified_for_years_and_certificate_gives_every_reason(fw):
    world, cast = fw.world, fw.world.cast
    today = timezone.localdate()
    young = make_teacher(cast, "young_t")
    world.a1.teachers.add(young)
    qualified_profile(
        cast.coord_a,
        world.base_a,
        young,
        attending_since=today - datetime.timedelta(days=400),
        certificate_number="",
        certificate_issued_on=None,
        certificate_expires_on=None,
    )
    with pytest.raises(ValidationError) as caught:
        _assign(fw, teacher=young)
    messages = error_messages(caught.value)
    assert len(messages) == 2
    assert "1 full years, at least 3 required" in messages[0]
    assert messages[1] == "No teacher-training certificate on file."


def test_certificate_expiring_during_the_assignment_is_refused(fw):
    stint_end = fw.world.calendar.blocks.get(index=1).end_date
    TeacherProfile.objects.filter(pk=fw.profile_a.pk).update(
        certificate_expires_on=stint_end - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as caught:
        _assign(fw)
    assert "expired on" in error_messages(caught.value)[0]


def test_dates_outside_the_rotation_are_refused(fw):
    world = fw.world
    after = world.calendar.blocks.get(index=2).start_date
    with pytest.raises(ValidationError) as caught:
        _assign(fw, ends_on=after)
    assert "ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _assign(fw, starts_on=world.calendar.blocks.get(index=3).start_date)
    assert "does not rotate in" in error_messages(caught.value)[0]
    assert not ResponsibleTeacher.objects.exists()


def test_second_assignment_of_the_same_stint_is_refused(fw):
    _assign(fw)
    with pytest.raises(ValidationError) as caught:
        _assign(fw, teacher=fw.expired_teacher)
    assert caught.value  # the expired teacher: refused anyway
    other = make_teacher(fw.world.cast, "other_t")
    qualified_profile(fw.world.cast.coord_a, fw.world.base_a, other)
    with pytest.raises(ValidationError) as caught:
        _assign(fw, teacher=other)
    assert "already has a responsible teacher" in error_messages(caught.value)[0]


def test_teacher_cannot_assign_and_b_cannot_assign_at_a(fw):
    with pytest.raises(PermissionDenied):
        _assign(fw, actor=fw.world.cast.tutor_a)
    with pytest.raises(PermissionDenied):
        _assign(fw, actor=fw.world.cast.coord_b)


def test_removing_an_assignment_needs_a_reason(fw):
    assignment = _assign(fw)
    with pytest.raises(ValidationError):
        services.responsible_end(actor=fw.world.cast.coord_a, assignment=assignment, reason=" ")
    services.responsible_end(actor=fw.world.cast.coord_a, assignment=assignment, reason="Left")
    assignment.refresh_from_db()
    assert assignment.cancelled_at is not None
    # The place is free again.
    _assign(fw)


def test_profile_rejects_expiry_before_issue_and_saves_nothing(fw):
    world, cast = fw.world, fw.world.cast
    new = make_teacher(cast, "new_t")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        qualified_profile(
            cast.coord_a,
            world.base_a,
            new,
            certificate_issued_on=today,
            certificate_expires_on=today - datetime.timedelta(days=1),
        )
    assert "certificate_expires_on" in caught.value.message_dict
    assert not TeacherProfile.objects.filter(teacher=new).exists()


def test_profile_for_a_person_of_another_hospital_is_refused(fw):
    cast = fw.world.cast
    with pytest.raises(ValidationError) as caught:
        qualified_profile(cast.coord_a, fw.world.base_a, cast.tutor_b)
    assert "teacher" in caught.value.message_dict


def test_training_totals_and_bad_hours(fw):
    cast = fw.world.cast
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.training_record(
            actor=cast.tutor_a, profile=fw.profile_a, course="", hours=0, level="x", date=None
        )
    assert set(caught.value.message_dict) == {"course", "hours", "level", "date"}
    record = services.training_record(
        actor=cast.tutor_a,
        profile=fw.profile_a,
        course="Provincial teacher training",
        hours="16",
        level="provincial",
        date=today,
    )
    assert record.hours == 16
    with pytest.raises(PermissionDenied):
        services.training_record(
            actor=cast.tutor_b,
            profile=fw.profile_a,
            course="x",
            hours=1,
            level="hospital",
            date=today,
        )


def test_plan_review_by_the_coordinator_not_by_the_teacher(fw):
    cast = fw.world.cast
    goal = fw.plan.goals.get()
    with pytest.raises(PermissionDenied):
        services.plan_review(actor=cast.tutor_a, plan=fw.plan, note="Self review")
    with pytest.raises(ValidationError):
        services.plan_review(actor=cast.coord_a, plan=fw.plan, note="")
    plan = services.plan_review(
        actor=cast.coord_a,
        plan=fw.plan,
        note="Good plan",
        goals={goal.pk: ("in_progress", "Keep going")},
    )
    assert plan.status == PlanStatus.REVIEWED
    goal.refresh_from_db()
    assert (goal.status, goal.review_note) == ("in_progress", "Keep going")
    with pytest.raises(PermissionDenied):
        services.goal_add(actor=cast.tutor_a, plan=plan, text="Late goal")


def test_resident_cannot_be_their_own_teacher(fw):
    cast = fw.world.cast
    make_resident(cast, "x.resident")
    with pytest.raises(ValidationError):
        services.responsible_assign(
            actor=cast.coord_a,
            member=fw.world.member,
            department=fw.world.a1,
            teacher=cast.resident,
        )


def test_publishing_again_gives_the_new_assessment_the_assigned_teacher(fw):
    """Without an assignment the department's first teacher by name (Expired T) would be
    responsible; the assigned teacher wins."""
    _assign(fw)
    Assessment.objects.filter(member=fw.world.member, department=fw.world.a1).delete()
    schedule = PublishedSchedule.objects.get(cohort=fw.world.cohort)
    assessments_sync_for_schedule(actor=fw.world.cast.coord_a, schedule=schedule)
    assessment = Assessment.objects.get(member=fw.world.member, department=fw.world.a1)
    assert assessment.teacher_id == fw.world.cast.tutor_a.pk
    # The teacher and the resident are told, each in their own words.
    told = {n.user_id: n for n in Notification.objects.filter(kind="responsible_teacher")}
    assert set(told) == {fw.world.cast.tutor_a.pk, fw.world.member.resident_id}
    assert "You are the responsible teacher of" in notification_text(told[fw.world.cast.tutor_a.pk])
    resident_text = notification_text(told[fw.world.member.resident_id])
    assert resident_text.startswith(f"{fw.world.cast.tutor_a} is your responsible teacher")


def test_a_certificate_scan_is_kept_and_a_bad_file_is_refused_with_nothing_kept(
    fw, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    coord = fw.world.cast.coord_a
    for bad, message in (
        (SimpleUploadedFile("run.exe", b"MZ"), "Upload a PDF, an image"),
        (SimpleUploadedFile("empty.pdf", b""), "The file is empty."),
        (None, "Choose a file to upload."),
    ):
        with pytest.raises(ValidationError) as caught:
            services.certificate_upload(actor=coord, profile=fw.profile_a, file=bad)
        assert "certificate_file" in caught.value.message_dict
        assert error_messages(caught.value)[0].startswith(message)
    fw.profile_a.refresh_from_db()
    assert not fw.profile_a.certificate_file
    with pytest.raises(PermissionDenied):
        services.certificate_upload(
            actor=fw.world.cast.tutor_a,
            profile=fw.profile_a,
            file=SimpleUploadedFile("mine.pdf", b"%PDF-1.4"),
        )
    services.certificate_upload(
        actor=coord, profile=fw.profile_a, file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    )
    fw.profile_a.refresh_from_db()
    assert fw.profile_a.certificate_file.read() == b"%PDF-1.4 scan"
