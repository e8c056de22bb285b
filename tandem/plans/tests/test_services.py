import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.plans import selectors, services, services_milestone
from tandem.plans.models import (
    ConfidentialNote,
    MilestoneSubmission,
    PlanCourse,
    PlanMilestone,
    PlanVersion,
    TrainingPlan,
)
from tandem.plans.tests.factories import (
    cast_cultivation,
    draft_plan,
    evidence_file,
    health_revision,
    signed_plan,
)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_start_opens_a_first_draft_with_the_cultivation_topic(cast):
    plan = services.plan_start(actor=cast.trainee, cultivation=cast_cultivation(cast))
    version = plan.versions.get()
    assert (version.number, version.status, version.research_topic) == (
        1,
        "draft",
        "Tumour immunology",
    )
    assert AuditEvent.objects.filter(action="plan.start", target_id=str(plan.pk)).exists()


@pytest.mark.parametrize("actor", ["coord_a", "admin", "resident"])
def test_only_trainee_and_current_tutors_write_the_plan(cast, actor):
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=getattr(cast, actor), cultivation=cast_cultivation(cast))
    assert not TrainingPlan.objects.exists()


def test_a_former_tutor_can_no_longer_write(cast):
    cultivation = cast_cultivation(cast)
    cultivation.tutor_assignments.filter(tutor=cast.tutor_b).update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=cast.tutor_b, cultivation=cultivation)


def test_sign_off_refuses_too_few_credits_naming_the_field(cast):
    plan = draft_plan(cast, credits="10")  # a doctoral plan needs 16
    version = plan.versions.get()
    with pytest.raises(ValidationError) as exc:
        services.plan_version_sign(actor=cast.tutor_a, version=version)
    assert "credits" in _errors(exc)
    assert "16" in _errors(exc)["credits"][0]
    assert not version.signatures.exists()


def test_credit_requirement_is_configurable(cast, settings):
    settings.TANDEM_PLAN_CREDIT_REQUIREMENTS = {"doctoral": 20}
    version = draft_plan(cast).versions.get()  # 18 credits
    with pytest.raises(ValidationError) as exc:
        services.plan_version_sign(actor=cast.tutor_a, version=version)
    assert "20" in _errors(exc)["credits"][0]


def test_sign_off_needs_the_four_standard_milestones(cast):
    plan = services.plan_start(actor=cast.tutor_a, cultivation=cast_cultivation(cast))
    version = plan.versions.get()
    services.plan_course_add(
        actor=cast.tutor_a,
        version=version,
        title="Immunology",
        credits="20",
        kind="compulsory",
        institution=cast.inst_a,
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_version_sign(actor=cast.tutor_a, version=version)
    assert "milestones" in _errors(exc)


def test_both_tutors_sign_and_the_version_comes_into_force(cast):
    version = draft_plan(cast).versions.get()
    services.plan_version_sign(actor=cast.tutor_a, version=version)
    version.refresh_from_db()
    assert version.status == "awaiting_signoff"
    assert PlanMilestone.objects.filter(latest__isnull=False).count() == 0
    services.plan_version_sign(actor=cast.tutor_b, version=version)
    version.refresh_from_db()
    assert version.status == "signed" and version.signed_at is not None
    plan = TrainingPlan.objects.get()
    assert plan.current_version == version
    proposal = plan.milestones.get(kind="proposal")
    assert proposal.latest == datetime.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="plan.sign").count() == 2


def test_trainee_cannot_sign_and_a_tutor_cannot_sign_twice(cast):
    version = draft_plan(cast).versions.get()
    with pytest.raises(PermissionDenied):
        services.plan_version_sign(actor=cast.trainee, version=version)
    services.plan_version_sign(actor=cast.tutor_a, version=version)
    with pytest.raises(ValidationError):
        services.plan_version_sign(actor=cast.tutor_a, version=version)


def test_changing_a_half_signed_version_withdraws_the_signature(cast):
    version = draft_plan(cast).versions.get()
    services.plan_version_sign(actor=cast.tutor_a, version=version)
    services.plan_version_update(actor=cast.trainee, version=version, research_topic="New topic")
    version.refresh_from_db()
    assert version.status == "draft" and not version.signatures.exists()


def test_a_signed_version_is_frozen(cast):
    version = signed_plan(cast).versions.get()
    with pytest.raises(ValidationError):
        services.plan_version_update(actor=cast.tutor_a, version=version, research_topic="X")
    with pytest.raises(ValidationError):
        services.plan_course_add(
            actor=cast.tutor_a,
            version=version,
            title="X",
            credits="1",
            kind="elective",
            institution=cast.inst_a,
        )


def test_milestone_dates_must_lie_in_the_planned_period_naming_the_field(cast):
    version = draft_plan(cast).versions.get()
    before = PlanMilestone.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.plan_milestone_add(
            actor=cast.tutor_a,
            version=version,
            kind="other",
            title="Too late",
            earliest=datetime.date(2029, 6, 1),
            latest=datetime.date(2030, 1, 1),
        )
    assert set(_errors(exc)) == {"latest"}
    with pytest.raises(ValidationError) as exc:
        services.plan_milestone_add(
            actor=cast.tutor_a,
            version=version,
            kind="other",
            title="Backwards",
            earliest=datetime.date(2027, 6, 1),
            latest=datetime.date(2027, 5, 1),
        )
    assert "latest" in _errors(exc)
    assert PlanMilestone.objects.count() == before


def test_course_input_errors_name_fields_and_save_nothing(cast):
    version = draft_plan(cast).versions.get()
    with pytest.raises(ValidationError) as exc:
        services.plan_course_add(
            actor=cast.tutor_a,
            version=version,
            title="",
            credits="-1",
            kind="bogus",
            institution=cast.inst_c,
        )
    assert set(_errors(exc)) == {"title", "credits", "kind", "institution"}
    assert PlanCourse.objects.count() == 1


def test_revise_copies_the_signed_version_and_needs_a_reason(cast):
    plan = signed_plan(cast)
    with pytest.raises(ValidationError) as exc:
        services.plan_revise(actor=cast.trainee, plan=plan, reason=" ", reason_kind="ordinary")
    assert "reason" in _errors(exc)
    version = services.plan_revise(
        actor=cast.trainee, plan=plan, reason="Lab moved", reason_kind="ordinary"
    )
    assert version.number == 2 and version.status == "draft"
    assert version.courses.count() == 1 and version.windows.count() == 4
    plan.refresh_from_db()
    assert plan.current_version.number == 1  # still in force until both sign version 2
    with pytest.raises(ValidationError):
        services.plan_revise(actor=cast.trainee, plan=plan, reason="Again")


def test_signing_a_revision_moves_the_milestone_windows(cast):
    plan = signed_plan(cast)
    version = services.plan_revise(actor=cast.tutor_b, plan=plan, reason="Later proposal")
    proposal = plan.milestones.get(kind="proposal")
    services.plan_milestone_window_set(
        actor=cast.trainee,
        version=version,
        milestone=proposal,
        earliest=datetime.date(2027, 1, 1),
        latest=datetime.date(2027, 2, 28),
    )
    proposal.refresh_from_db()
    assert proposal.latest == datetime.date(2026, 12, 31)
    services.plan_version_sign(actor=cast.tutor_a, version=version)
    services.plan_version_sign(actor=cast.tutor_b, version=version)
    proposal.refresh_from_db()
    assert proposal.latest == datetime.date(2027, 2, 28)


def test_health_reason_goes_into_a_confidential_note_and_not_the_audit_trail(cast):
    version = health_revision(cast, "Diagnosed with tuberculosis")
    assert version.change_reason == ""
    assert ConfidentialNote.objects.get(version=version).text == "Diagnosed with tuberculosis"
    for event in AuditEvent.objects.all():
        assert "tuberculosis" not in event.reason
        assert "tuberculosis" not in str(event.changes)


def test_submit_and_review_a_milestone(cast):
    milestone = signed_plan(cast).milestones.get(kind="proposal")
    submission = services_milestone.milestone_submit(
        actor=cast.trainee, milestone=milestone, files=[evidence_file()], note="Attached"
    )
    milestone.refresh_from_db()
    assert milestone.status == "submitted"
    evidence = submission.evidence.get()
    assert evidence.name == "proposal.pdf" and len(evidence.sha256) == 64
    with pytest.raises(ValidationError) as exc:
        services_milestone.milestone_review(
            actor=cast.tutor_a, milestone=milestone, outcome="needs_revision"
        )
    assert "comments" in _errors(exc)
    services_milestone.milestone_review(
        actor=cast.coord_b,
        milestone=milestone,
        outcome="needs_revision",
        comments="Narrow the question",
        examiners="Prof. Y",
    )
    milestone.refresh_from_db()
    assert milestone.status == "needs_revision"
    services_milestone.milestone_submit(
        actor=cast.tutor_a, milestone=milestone, files=[evidence_file("v2.docx", b"revised")]
    )
    services_milestone.milestone_review(actor=cast.tutor_b, milestone=milestone, outcome="passed")
    milestone.refresh_from_db()
    assert milestone.status == "passed" and milestone.submissions.count() == 2
    assert AuditEvent.objects.filter(action="milestone.review").count() == 2


def test_trainee_and_admin_cannot_review(cast):
    milestone = signed_plan(cast).milestones.get(kind="proposal")
    services_milestone.milestone_submit(
        actor=cast.trainee, milestone=milestone, files=[evidence_file()]
    )
    for actor in (cast.trainee, cast.admin):
        with pytest.raises(PermissionDenied):
            services_milestone.milestone_review(actor=actor, milestone=milestone, outcome="passed")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ"), "upload a PDF"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_bad_evidence_is_refused_naming_the_field(cast, upload, message):
    milestone = signed_plan(cast).milestones.get(kind="proposal")
    with pytest.raises(ValidationError) as exc:
        services_milestone.milestone_submit(actor=cast.trainee, milestone=milestone, files=[upload])
    assert message in _errors(exc)["files"][0]
    assert not MilestoneSubmission.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_evidence_larger_than_the_limit_is_refused(cast, settings):
    settings.MAX_ATTACHMENT_BYTES = 10
    milestone = signed_plan(cast).milestones.get(kind="proposal")
    with pytest.raises(ValidationError) as exc:
        services_milestone.milestone_submit(
            actor=cast.trainee, milestone=milestone, files=[evidence_file(content=b"x" * 11)]
        )
    assert "larger" in _errors(exc)["files"][0]


def test_overdue_milestones_for_trainee_tutors_and_coordinators_only(cast):
    signed_plan(cast)
    on = datetime.date(2027, 1, 15)  # the proposal was due by 2026-12-31
    for actor in ("trainee", "tutor_a", "tutor_b", "coord_a", "coord_b", "admin"):
        overdue = selectors.overdue_milestones_visible_to(getattr(cast, actor), on=on)
        assert [m.kind for m in overdue] == ["proposal"], actor
    for actor in ("resident", "outsider"):
        assert not selectors.overdue_milestones_visible_to(getattr(cast, actor), on=on).exists()


def test_a_passed_milestone_is_not_overdue_and_next_milestone_skips_it(cast):
    plan = signed_plan(cast)
    milestone = plan.milestones.get(kind="proposal")
    services_milestone.milestone_submit(
        actor=cast.trainee, milestone=milestone, files=[evidence_file()]
    )
    services_milestone.milestone_review(actor=cast.tutor_a, milestone=milestone, outcome="passed")
    on = datetime.date(2027, 1, 15)
    assert not selectors.overdue_milestones_visible_to(cast.trainee, on=on).exists()
    assert selectors.next_milestone(plan.cultivation).kind == "mid_term"


def test_plan_version_numbers_stay_unique_in_the_database(cast):
    plan = signed_plan(cast)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            created_by=cast.tutor_a,
            reason_kind="ordinary",
            change_reason="dup",
            status="signed",
            signed_at=plan.current_version.signed_at,
        )
    assert Decimal("18") == services.version_credits(plan.current_version)
