"""Signing in with the rotating code: accepted during the window, once, for oneself; an
expired code, a code of another activity, a second sign-in and a sign-in outside the window
are each refused with a message that says so, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.core.errors import error_messages
from tandem.core.models import AuditEvent
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.tests.factories import make_template
from tandem.residency.tests.factories import make_resident
from tandem.teaching import codes, services
from tandem.teaching.models import Attendance, AttendanceStatus
from tandem.teaching.tests.factories import schedule

pytestmark = pytest.mark.django_db


def _moment(tw, minutes=5):
    return tw.now.starts_at + datetime.timedelta(minutes=minutes)


def _sign_in(tw, who=None, *, code=None, moment=None, activity=None):
    activity = activity or tw.now
    moment = moment or _moment(tw)
    return services.attendance_sign_in(
        actor=who or tw.world.cast.resident,
        activity=activity,
        code=code if code is not None else codes.current_code(activity.secret, moment),
        moment=moment,
    )


def _refusal(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(error_messages(caught.value))


def test_audience_is_who_the_published_schedule_places_in_the_department(tw):
    residents = set(tw.now.attendances.values_list("resident__username", flat=True))
    assert residents == {"resident", "resident2"}
    assert set(tw.now.attendances.values_list("status", flat=True)) == {"expected"}


def test_resident_signs_in_with_the_current_code(tw):
    attendance = _sign_in(tw)
    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.signed_in_at == _moment(tw)
    assert AuditEvent.objects.filter(action="teaching_attendance.sign_in").count() == 1


def test_code_of_the_previous_step_is_still_accepted(tw):
    moment = _moment(tw)
    code = codes.current_code(tw.now.secret, moment - datetime.timedelta(seconds=30))
    assert _sign_in(tw, code=code, moment=moment).status == AttendanceStatus.PRESENT


def test_expired_code_is_refused(tw):
    moment = _moment(tw)
    old = codes.current_code(tw.now.secret, moment - datetime.timedelta(seconds=90))
    message = _refusal(lambda: _sign_in(tw, code=old, moment=moment))
    assert "expired" in message
    assert not Attendance.objects.filter(status="present").exists()


def test_code_of_another_activity_is_refused(tw):
    [other] = schedule(
        tw, starts_at=tw.now.starts_at, department=tw.world.a2, topic="Anaemia", kind=tw.lecture
    )
    moment = _moment(tw)
    message = _refusal(
        lambda: _sign_in(tw, code=codes.current_code(other.secret, moment), moment=moment)
    )
    assert "another activity" in message
    assert not Attendance.objects.filter(status="present").exists()


def test_wrong_code_is_refused(tw):
    message = _refusal(lambda: _sign_in(tw, code="12a"))
    assert "not right" in message


def test_second_sign_in_is_refused(tw):
    _sign_in(tw)
    message = _refusal(lambda: _sign_in(tw, moment=_moment(tw, 20)))
    assert "signed in already" in message
    assert Attendance.objects.get(resident=tw.world.cast.resident).signed_in_at == _moment(tw)


def test_sign_in_after_the_end_is_refused(tw):
    moment = tw.now.ends_at + datetime.timedelta(minutes=1)
    message = _refusal(lambda: _sign_in(tw, moment=moment))
    assert "Sign-in closed" in message
    assert not Attendance.objects.filter(status="present").exists()


def test_sign_in_long_before_the_start_is_refused(tw):
    moment = tw.now.starts_at - datetime.timedelta(minutes=16)
    message = _refusal(lambda: _sign_in(tw, moment=moment))
    assert "Sign-in opens at" in message


def test_a_quarter_of_an_hour_before_the_start_is_accepted(tw):
    moment = tw.now.starts_at - datetime.timedelta(minutes=15)
    assert _sign_in(tw, moment=moment).status == AttendanceStatus.PRESENT


def test_resident_neither_expected_nor_rotating_there_is_refused(tw):
    stranger = make_resident(tw.world.cast, "stranger")
    with pytest.raises(PermissionDenied):
        _sign_in(tw, stranger)
    assert not Attendance.objects.filter(resident=stranger).exists()


def test_teacher_does_not_sign_in_to_their_own_activity(tw):
    with pytest.raises(PermissionDenied, match="teacher"):
        _sign_in(tw, tw.world.cast.tutor_a)


def test_cancelled_activity_takes_no_sign_in(tw):
    services.activity_cancel(actor=tw.world.cast.coord_a, activity=tw.now, reason="Ward closed")
    message = _refusal(lambda: _sign_in(tw))
    assert "cancelled" in message


def test_sign_in_makes_one_anonymous_rating_pair_when_the_hospital_rates(tw):
    cast = tw.world.cast
    template = make_template(cast)
    services.rating_form_set(actor=cast.coord_a, institution=cast.inst_a, template=template)
    _sign_in(tw)
    _sign_in(tw, tw.world.resident2)
    tw.now.refresh_from_db()
    assert tw.now.rating_round is not None
    pairs = EvaluationPair.objects.filter(round=tw.now.rating_round)
    assert pairs.count() == 2
    assert set(pairs.values_list("target_user_id", flat=True)) == {cast.tutor_a.pk}
    assert pairs.first().template.is_anonymous


def test_no_rating_pair_without_a_rating_form(tw):
    _sign_in(tw)
    assert not EvaluationPair.objects.exists()


def test_rating_form_must_be_anonymous(tw):
    cast = tw.world.cast
    named = make_template(cast, anonymous=False)
    with pytest.raises(ValidationError):
        services.rating_form_set(actor=cast.coord_a, institution=cast.inst_a, template=named)


def test_teacher_corrects_attendance_with_a_reason(tw):
    cast = tw.world.cast
    resident2 = tw.world.resident2
    with pytest.raises(ValidationError):
        services.attendance_correct(
            actor=cast.tutor_a, activity=tw.now, resident=resident2, status="present", reason=" "
        )
    services.attendance_correct(
        actor=cast.tutor_a,
        activity=tw.now,
        resident=resident2,
        status="present",
        reason="Phone battery empty",
    )
    row = Attendance.objects.get(activity=tw.now, resident=resident2)
    assert row.status == "present" and row.source == "teacher" and row.corrected_by == cast.tutor_a
    event = AuditEvent.objects.get(action="teaching_attendance.correct")
    assert event.reason == "Phone battery empty"
    assert resident2.notifications.filter(kind="attendance_fixed").exists()


def test_a_resident_cannot_correct_attendance(tw):
    with pytest.raises(PermissionDenied):
        services.attendance_correct(
            actor=tw.world.cast.resident,
            activity=tw.now,
            resident=tw.world.cast.resident,
            status="present",
            reason="I was there",
        )


def test_correct_time_window_uses_the_real_clock_by_default(tw):
    # Without `moment`, the service reads the clock: the world's activity is open now.
    attendance = services.attendance_sign_in(
        actor=tw.world.cast.resident,
        activity=tw.now,
        code=codes.current_code(tw.now.secret, timezone.now()),
    )
    assert attendance.status == "present"
