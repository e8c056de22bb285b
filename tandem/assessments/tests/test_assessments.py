"""Rotation-end assessments: created on publishing, the components and pass rules, the
remedy of a failure, who sees what, and bad input refused with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.assessments import selectors, services
from tandem.assessments.models import (
    Assessment,
    AssessmentStatus,
    Component,
    Remediation,
    RemediationStatus,
)
from tandem.assessments.tests.conftest import A1_END, A2_END, B1_END
from tandem.assessments.tests.factories import a1_assessment, build_assessworld
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.services_respond import response_submit
from tandem.evaluations.tests.factories import full_answers
from tandem.residency.models import ScheduleProposal
from tandem.residency.services_schedule import (
    proposal_generate,
    proposal_publish,
    proposal_publish_changes,
)
from tandem.residency.tests.factories import WORLD_START
from tandem.teaching.models import Activity, ActivityKind, Attendance, AttendanceStatus
from tandem.teaching.services import built_in_kinds_ensure

pytestmark = pytest.mark.django_db


def _pass_all_but(aw, assessment, *, theory="75", skipped=()):
    cast = aw.world.cast
    if "theory" not in skipped:
        services.component_record(
            actor=cast.tutor_a, assessment=assessment, kind="theory", score=theory
        )
    if "skills" not in skipped:
        services.component_record(
            actor=cast.tutor_a,
            assessment=assessment,
            kind="skills",
            stations=[
                {"name": "Chest examination", "score": 8, "max": 10},
                {"name": "ECG reading", "score": 15, "max": 20},
            ],
        )
    if "attendance" not in skipped:
        services.component_record(
            actor=cast.coord_a, assessment=assessment, kind="attendance", score=90
        )
    if "summary" not in skipped:
        services.summary_submit(
            actor=cast.resident,
            assessment=assessment,
            text="Eight weeks on the ward: admissions, rounds and night duty.",
        )
    if "signoff" not in skipped:
        services.signoff_record(actor=cast.coord_a, assessment=assessment, approve=True)


def test_publishing_creates_one_assessment_per_stint_due_after_its_end(aw):
    rows = Assessment.objects.filter(member=aw.world.member).order_by("start")
    assert [(a.department, a.end, a.due_on) for a in rows] == [
        (aw.world.a1, A1_END, A1_END + datetime.timedelta(days=7)),
        (aw.world.a2, A2_END, A2_END + datetime.timedelta(days=14)),
        (aw.world.b1, B1_END, B1_END + datetime.timedelta(days=14)),
    ]
    assert Assessment.objects.filter(member=aw.world.member2).count() == 3
    a1 = a1_assessment(aw)
    assert a1.start == WORLD_START
    assert a1.teacher == aw.world.cast.tutor_a
    marks = dict(a1.components.values_list("kind", "pass_mark"))
    assert marks == {
        "theory": 60,
        "skills": 70,
        "attendance": 80,
        "caselog": 50,
        "summary": None,
        "signoff": None,
    }


def test_publishing_again_keeps_assessments_and_a_changed_plan_leaves_open_ones(aw):
    cast = aw.world.cast
    services.plan_save(
        actor=cast.coord_a, program=aw.world.program, department=aw.world.a1, theory_pass=90
    )
    before = set(Assessment.objects.values_list("pk", flat=True))
    proposal = ScheduleProposal.objects.get(status="published")
    ScheduleProposal.objects.filter(pk=proposal.pk).update(status="done")
    proposal.refresh_from_db()
    _changes, token = proposal_publish_changes(proposal)
    proposal_publish(actor=cast.coord_a, proposal=proposal, confirm=token)
    assert set(Assessment.objects.values_list("pk", flat=True)) == before
    assert a1_assessment(aw).components.get(kind="theory").pass_mark == 60


def test_passing_every_component_passes_the_assessment(aw):
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment)
    skills = assessment.components.get(kind="skills")
    assert skills.score == Decimal("76.7")
    assert skills.passed
    decided = services.assessment_decide(actor=aw.world.cast.coord_a, assessment=assessment)
    assert decided.status == AssessmentStatus.PASSED
    # No case-log minimum applies to A1 in this world: nothing to complete.
    assert decided.components.get(kind="caselog").score == 100
    assert not Remediation.objects.exists()


def test_attendance_comes_from_the_teaching_activities_of_the_stint(aw):
    """Not recorded by hand: the share of the department's activities held during the stint
    that the resident attended, excused ones left out (1 of 2 here, below the pass mark 80)."""
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    built_in_kinds_ensure()
    kind = ActivityKind.objects.get(base__isnull=True, code="small_lecture")
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.EXPECTED, AttendanceStatus.EXCUSED]
    for offset, status in enumerate(statuses):
        starts = timezone.make_aware(
            datetime.datetime.combine(
                assessment.start + datetime.timedelta(days=offset), datetime.time(10)
            )
        )
        activity = Activity.objects.create(
            department=assessment.department,
            kind=kind,
            teacher=cast.tutor_a,
            topic=f"Lecture {offset}",
            place="Seminar room",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            created_by=cast.tutor_a,
        )
        Attendance.objects.create(activity=activity, resident=cast.resident, status=status)
    _pass_all_but(aw, assessment, skipped=("attendance",))
    decided = services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    attendance = decided.components.get(kind="attendance")
    assert attendance.score == Decimal("50.0") and attendance.passed is False
    assert decided.status == AssessmentStatus.FAILED


def test_attendance_recorded_by_hand_is_kept(aw):
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment)  # attendance 90, recorded by the office
    decided = services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    assert decided.components.get(kind="attendance").score == 90
    assert decided.status == AssessmentStatus.PASSED


def test_deciding_with_a_component_missing_names_it(aw):
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment, skipped=("signoff",))
    with pytest.raises(ValidationError) as caught:
        services.assessment_decide(actor=aw.world.cast.coord_a, assessment=assessment)
    assert "sign-off" in str(caught.value)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.OPEN


def test_a_failed_component_fails_the_assessment_and_opens_a_remediation(aw):
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment, theory="59.9")
    decided = services.assessment_decide(actor=aw.world.cast.coord_a, assessment=assessment)
    assert decided.status == AssessmentStatus.FAILED
    assert decided.remediation.status == RemediationStatus.OPEN


def test_a_reexamination_records_the_failed_component_again_and_passes(aw):
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment, theory="40")
    services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    services.remediation_plan(actor=cast.coord_a, assessment=assessment, kind="reexam")
    with pytest.raises(ValidationError):
        services.component_record(
            actor=cast.tutor_a, assessment=assessment, kind="attendance", score=95
        )
    services.component_record(actor=cast.tutor_a, assessment=assessment, kind="theory", score=70)
    theory = assessment.components.get(kind="theory")
    assert (theory.attempt, theory.passed) == (2, True)
    decided = services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    assert decided.status == AssessmentStatus.PASSED
    assert Remediation.objects.get().status == RemediationStatus.DONE


def test_a_repeat_rotation_is_pinned_in_a_proposal_for_the_next_solve(cast):
    # A calendar that starts today: every block but the first is still to come.
    aw = build_assessworld(cast, start_date=datetime.date(2026, 12, 7))
    assessment = a1_assessment(aw)
    _pass_all_but(aw, assessment, skipped=("attendance",))
    services.component_record(
        actor=cast.coord_a, assessment=assessment, kind="attendance", score=50
    )
    services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    proposal = proposal_generate(actor=cast.coord_a, cohort=aw.world.cohort, enqueue=False)
    with pytest.raises(ValidationError) as caught:
        services.remediation_plan(
            actor=cast.coord_a, assessment=assessment, kind="repeat", proposal=proposal, block=0
        )
    assert "block" in caught.value.message_dict
    remediation = services.remediation_plan(
        actor=cast.coord_a, assessment=assessment, kind="repeat", proposal=proposal, block=3
    )
    assert remediation.status == RemediationStatus.PLANNED
    proposal.refresh_from_db()
    assert proposal.pins == {aw.world.member.key: {"3": f"D{aw.world.a1.pk}"}}
    follow_up = proposal_generate(
        actor=cast.coord_a, cohort=aw.world.cohort, previous=proposal, enqueue=False
    )
    assert follow_up.pins == proposal.pins


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        ("theory", {"score": "101"}, "score"),
        ("theory", {"score": "-1"}, "score"),
        ("theory", {"score": "seventy"}, "score"),
        ("theory", {"score": "NaN"}, "score"),
        ("skills", {"stations": [{"name": "ECG", "score": 11, "max": 10}]}, "stations"),
        ("skills", {"stations": []}, "stations"),
        ("skills", {"stations": [{"name": "", "score": 1, "max": 10}]}, "stations"),
        ("summary", {"score": "50"}, "kind"),
        ("caselog", {"score": "50"}, "kind"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(aw, kind, kwargs, field):
    assessment = a1_assessment(aw)
    with pytest.raises(ValidationError) as caught:
        services.component_record(
            actor=aw.world.cast.tutor_a, assessment=assessment, kind=kind, **kwargs
        )
    assert field in caught.value.message_dict
    assert not Component.objects.filter(passed__isnull=False).exists()


def test_a_short_summary_and_a_refusal_without_reason_are_refused(aw):
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    with pytest.raises(ValidationError):
        services.summary_submit(actor=cast.resident, assessment=assessment, text="ok")
    with pytest.raises(ValidationError):
        services.signoff_record(actor=cast.coord_a, assessment=assessment, approve=False)
    assert not Component.objects.filter(passed__isnull=False).exists()


def test_only_the_right_people_record_sign_and_decide(aw):
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    with pytest.raises(PermissionDenied):
        services.component_record(
            actor=cast.tutor_b, assessment=assessment, kind="theory", score=80
        )
    with pytest.raises(PermissionDenied):
        services.component_record(
            actor=cast.resident, assessment=assessment, kind="theory", score=99
        )
    with pytest.raises(PermissionDenied):
        services.summary_submit(actor=cast.tutor_a, assessment=assessment, text="x" * 40)
    with pytest.raises(PermissionDenied):
        services.signoff_record(actor=cast.tutor_a, assessment=assessment, approve=True)
    with pytest.raises(PermissionDenied):
        services.assessment_decide(actor=cast.tutor_a, assessment=assessment)
    assert not Component.objects.filter(passed__isnull=False).exists()


def test_a_teacher_sees_only_the_residents_who_rotate_with_them(aw):
    cast = aw.world.cast
    a_side = set(
        selectors.assessment_list_visible_to(cast.tutor_a).values_list("department", flat=True)
    )
    assert a_side == {aw.world.a1.pk, aw.world.a2.pk}
    b_side = selectors.assessment_list_visible_to(cast.tutor_b)
    assert [(a.resident, a.department) for a in b_side] == [(cast.resident, aw.world.b1)]
    assert not selectors.assessment_list_visible_to(cast.outsider).exists()
    assert selectors.assessment_list_visible_to(cast.coord_a).count() == 6
    assert selectors.assessment_list_visible_to(cast.coord_b).count() == 1


def test_the_teachers_global_evaluation_comes_from_the_engine(cast):
    aw = build_assessworld(cast, start_date=WORLD_START, engine=True)
    assessment = a1_assessment(aw)
    pair = assessment.global_pair
    assert (pair.evaluator, pair.target_user, pair.relationship) == (
        cast.tutor_a,
        cast.resident,
        "tutor_trainee",
    )
    # The resident evaluates the department's hospital and each teacher, anonymously.
    mine = EvaluationPair.objects.filter(evaluator=cast.resident, round=assessment.eval_round)
    assert sorted(mine.values_list("relationship", flat=True)) == ["trainee_host", "trainee_tutor"]
    assert all(p.template.is_anonymous for p in mine)
    _pass_all_but(aw, assessment)
    with pytest.raises(ValidationError) as caught:
        services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    assert "global evaluation" in str(caught.value)
    response_submit(actor=cast.tutor_a, pair=pair, answers=full_answers(pair.template, rating=2))
    decided = services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    component = decided.components.get(kind="global")
    # Rating 2 and entrustment 3: a mean of 2.5, under the pass mark of 3.
    assert (component.score, component.passed) == (Decimal("2.5"), False)
    assert decided.status == AssessmentStatus.FAILED


def test_an_approved_leave_moves_the_assessment_to_the_shortened_stint(cast):
    from tandem.residency.services_schedule import leave_decide, leave_request

    aw = build_assessworld(cast, start_date=datetime.date(2026, 12, 7))
    before = a1_assessment(aw)
    assert before.end == datetime.date(2027, 1, 31)
    request_obj = leave_request(actor=cast.resident, member=aw.world.member, block=1, reason="Exam")
    leave_decide(actor=cast.coord_a, request_obj=request_obj, approve=True)
    after = a1_assessment(aw)
    assert after.pk == before.pk
    assert (after.end, after.due_on) == (
        datetime.date(2027, 1, 3),
        datetime.date(2027, 1, 10),
    )
