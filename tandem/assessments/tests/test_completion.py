"""Annual assessments and completion (decision 112): the checklist says what is missing, the
annual pass rule and its one re-examination, the completion result only for the eligible, bad
input refused with its message and nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.assessments import selectors_completion, services_completion
from tandem.assessments.models import Assessment, AssessmentStatus, Remediation
from tandem.assessments.models_completion import AnnualStatus, CompletionResult
from tandem.assessments.tests.completion_factories import (
    annual_of,
    build_completion,
    make_eligible,
    pass_rotations,
)
from tandem.logbook import services as logbook_services
from tandem.logbook.models import EntryRole, EntryStatus, LogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(aw):
    return build_completion(aw)


def _missing(cast):
    (candidate,) = selectors_completion.candidates_of_resident(cast.resident.pk)
    return candidate.missing_texts


def test_the_checklist_says_exactly_what_is_missing(cw, cast):
    assert _missing(cast) == [
        "A1 ward rotation not yet passed",
        "A2 clinic rotation not yet passed",
        "Annual assessment of training year 1 not yet passed",
    ]


def test_a_resident_with_everything_passed_is_eligible(cw, cast):
    make_eligible(cw)
    assert _missing(cast) == []
    assert annual_of(cw).status == AnnualStatus.PASSED


def test_the_annual_assessment_fails_when_a_rotation_of_the_year_is_not_passed(cw, cast):
    annual = services_completion.annual_record(
        actor=cast.coord_a, assessment=annual_of(cw), theory="90"
    )
    assert annual.status == AnnualStatus.FAILED and annual.rotations_passed is False
    assert "Annual assessment of training year 1 failed" in _missing(cast)


def test_a_failed_annual_assessment_is_reexamined_once_then_refused(cw, cast):
    pass_rotations(cw)
    annual = services_completion.annual_record(
        actor=cast.coord_a, assessment=annual_of(cw), theory="40"
    )
    assert annual.status == AnnualStatus.FAILED and annual.attempt == 1
    annual = services_completion.annual_record(actor=cast.coord_a, assessment=annual, theory="50")
    assert annual.status == AnnualStatus.FAILED and annual.attempt == 2
    with pytest.raises(ValidationError, match="No re-examination is left"):
        services_completion.annual_record(actor=cast.coord_a, assessment=annual, theory="80")
    assert annual_of(cw).theory == 50


def test_a_passed_annual_assessment_is_not_recorded_again(cw, cast):
    make_eligible(cw)
    with pytest.raises(ValidationError, match="already passed"):
        services_completion.annual_record(actor=cast.coord_a, assessment=annual_of(cw), theory="1")


@pytest.mark.parametrize("score", ["120", "-1", "abc", "NaN"])
def test_a_score_out_of_range_is_refused_and_nothing_saved(cw, cast, score):
    with pytest.raises(ValidationError) as caught:
        services_completion.annual_record(
            actor=cast.coord_a, assessment=annual_of(cw), theory=score
        )
    assert caught.value.message_dict == {"theory": ["Give the score as a number from 0 to 100."]}
    annual = annual_of(cw)
    assert annual.status == AnnualStatus.OPEN and annual.theory is None


def test_a_component_the_plan_requires_must_be_recorded(cw, cast):
    with pytest.raises(ValidationError) as caught:
        services_completion.annual_record(actor=cast.coord_a, assessment=annual_of(cw))
    assert "theory" in caught.value.message_dict
    assert annual_of(cw).status == AnnualStatus.OPEN


def test_only_the_training_office_records_annual_results(cw, cast):
    for who in (cast.tutor_a, cast.resident, cast.coord_b):
        with pytest.raises(PermissionDenied):
            services_completion.annual_record(actor=who, assessment=annual_of(cw), theory="70")
    assert annual_of(cw).status == AnnualStatus.OPEN


def test_scheduling_refuses_a_due_date_before_the_exam(cw, cast):
    world = cw.world
    with pytest.raises(ValidationError) as caught:
        services_completion.annual_schedule(
            actor=cast.coord_a,
            program=world.program,
            cohort=world.cohort,
            exam_on=datetime.date(2027, 1, 10),
            due_on=datetime.date(2027, 1, 1),
        )
    assert "due_on" in caught.value.message_dict
    assert annual_of(cw).exam_on == datetime.date(2026, 12, 1)


def test_completion_is_refused_for_a_resident_not_eligible_with_the_reason(cw, cast):
    with pytest.raises(ValidationError) as caught:
        services_completion.completion_result_record(
            actor=cast.coord_a,
            resident=cast.resident,
            institution_id=cast.inst_a.pk,
            specialty="internal_medicine",
            outcome="passed",
            decided_on=timezone.localdate(),
            certificate_number="GD-2026-001",
        )
    text = " ".join(caught.value.messages)
    assert "Not eligible" in text and "A1 ward rotation not yet passed" in text
    assert not CompletionResult.objects.exists()


def _record(cast, outcome="passed", number="GD-2026-001"):
    return services_completion.completion_result_record(
        actor=cast.coord_a,
        resident=cast.resident,
        institution_id=cast.inst_a.pk,
        specialty="internal_medicine",
        outcome=outcome,
        decided_on=timezone.localdate(),
        certificate_number=number,
    )


def test_the_completion_result_of_an_eligible_resident_is_recorded_once(cw, cast):
    make_eligible(cw)
    result = _record(cast)
    assert result.outcome == "passed" and result.certificate_number == "GD-2026-001"
    with pytest.raises(ValidationError, match="already recorded"):
        _record(cast, "failed", "")
    assert CompletionResult.objects.get().outcome == "passed"


def test_a_deferred_result_is_replaced_later(cw, cast):
    make_eligible(cw)
    _record(cast, "deferred", "")
    _record(cast, "passed", "GD-9")
    assert CompletionResult.objects.get().certificate_number == "GD-9"


def test_a_passed_completion_needs_its_certificate_number(cw, cast):
    make_eligible(cw)
    with pytest.raises(ValidationError) as caught:
        _record(cast, "passed", "  ")
    assert "certificate_number" in caught.value.message_dict
    assert not CompletionResult.objects.exists()


def test_the_case_log_minimums_of_the_training_are_listed_with_the_counts(cw, cast):
    make_eligible(cw)
    world = cw.world
    catalogue = logbook_services.catalogue_create(
        actor=cast.coord_a, institution=cast.inst_a, specialty="internal_medicine", name="IM"
    )
    item = logbook_services.item_save(
        actor=cast.coord_a, catalogue=catalogue, code="appx", name="Appendectomy", kind="operation"
    )
    logbook_services.minimum_set(
        actor=cast.coord_a, item=item, department=None, role=EntryRole.ASSISTED, count=20
    )
    for n in range(14):
        verified = n < 12
        LogEntry.objects.create(
            resident=cast.resident,
            member=world.member,
            department=world.a1,
            item=item,
            role=EntryRole.PERFORMED if n % 2 else EntryRole.ASSISTED,
            date=datetime.date(2026, 9, 10),
            patient_hash=f"h{n}",
            status=EntryStatus.VERIFIED if verified else EntryStatus.PENDING,
            reviewed_by=cast.tutor_a if verified else None,
            reviewed_at=timezone.now() if verified else None,
        )
    assert _missing(cast) == ["Appendectomy: 12 of 20"]


def test_an_unresolved_remediation_keeps_the_resident_from_completion(cw, cast):
    make_eligible(cw)
    assessment = Assessment.objects.get(member=cw.world.member, department=cw.world.a1)
    Remediation.objects.create(assessment=assessment)
    assert _missing(cast) == ["Remediation after the A1 ward rotation not yet resolved"]
    assert assessment.status == AssessmentStatus.PASSED


def test_the_calendar_feed_carries_the_annual_exam_and_rotation_exam_dates(cw, cast):
    events = selectors_completion.calendar_events_for(cast.resident)
    summaries = {str(e["summary"]): e.decoded("dtstart") for e in events}
    assert summaries["Annual assessment, training year 1"] == datetime.date(2026, 12, 1)
    assert any(s.startswith("Rotation-end assessment due: B1 ward") for s in summaries)
    assert selectors_completion.calendar_events_for(cast.tutor_a) == []
