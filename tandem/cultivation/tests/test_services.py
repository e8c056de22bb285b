import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.models import Membership, TutorProfile
from tandem.agreements.tests.factories import AgreementFactory, AgreementQuotaFactory
from tandem.core.models import AuditEvent
from tandem.cultivation import services, services_ending
from tandem.cultivation.models import Decision, JointCultivation, Stay, TutorAssignment
from tandem.cultivation.selectors import cultivation_is_complete, current_tutors
from tandem.cultivation.services_tutor import tutor_assign
from tandem.cultivation.tests.factories import (
    cultivation_in,
    joint_trainee,
    propose,
    stays_for,
)

pytestmark = pytest.mark.django_db


def _errors(exc_info):
    return exc_info.value.message_dict


# --- Propose -----------------------------------------------------------------------------------


def test_propose_creates_proposal_with_stays_decision_and_audit(cast):
    cultivation = propose(cast)
    assert cultivation.status == "proposed"
    assert cultivation.quota_year == 2026
    assert cultivation.stays.count() == 2
    assert Decision.objects.filter(cultivation=cultivation, kind="propose").count() == 1
    assert AuditEvent.objects.filter(action="cultivation.propose").count() == 1


def test_proposer_institution_does_not_approve_automatically(cast):
    cultivation = propose(cast)
    assert not Decision.objects.filter(cultivation=cultivation, kind="approve").exists()


def test_outsider_cannot_propose(cast):
    with pytest.raises(PermissionDenied):
        propose(cast, actor=cast.outsider)
    assert not JointCultivation.objects.exists()


def test_tutor_cannot_propose(cast):
    with pytest.raises(PermissionDenied):
        propose(cast, actor=cast.tutor_a)


def test_period_outside_agreement_term_names_the_field_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        propose(
            cast,
            planned_end=datetime.date(2031, 6, 30),
            stays=[
                {
                    "institution": cast.inst_b,
                    "start": datetime.date(2026, 9, 1),
                    "end": datetime.date(2027, 6, 30),
                }
            ],
        )
    assert "planned_end" in _errors(exc)
    assert not JointCultivation.objects.exists() and not Stay.objects.exists()


def test_stay_outside_the_period_names_the_stay(cast):
    stays = stays_for(cast)
    stays[1]["end"] = datetime.date(2029, 1, 1)
    with pytest.raises(ValidationError) as exc:
        propose(cast, stays=stays)
    assert "stays[1].start" in _errors(exc)
    assert not JointCultivation.objects.exists()


def test_sequential_stays_must_not_overlap_but_concurrent_may(cast):
    stays = stays_for(cast)
    stays[1]["start"] = datetime.date(2027, 3, 1)
    with pytest.raises(ValidationError) as exc:
        propose(cast, stays=stays)
    assert "stays[1].start" in _errors(exc)
    assert propose(cast, stays=stays, stay_mode="concurrent").stay_mode == "concurrent"


def test_stay_at_a_third_institution_is_refused(cast):
    stays = stays_for(cast)
    stays[0]["institution"] = cast.inst_c
    with pytest.raises(ValidationError) as exc:
        propose(cast, stays=stays)
    assert "stays[0].institution" in _errors(exc)


def test_host_that_is_not_a_party_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        propose(cast, host=cast.inst_c)
    assert "host" in _errors(exc)


def test_agreement_not_in_force_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        propose(cast, agreement=cast.draft_ab)
    assert "agreement" in _errors(exc)


def test_year_without_quota_is_refused_clearly(cast):
    with pytest.raises(ValidationError) as exc:
        propose(
            cast,
            planned_start=datetime.date(2027, 9, 1),
            stays=[
                {
                    "institution": cast.inst_b,
                    "start": datetime.date(2027, 9, 1),
                    "end": datetime.date(2028, 6, 30),
                }
            ],
        )
    assert "2027" in " ".join(_errors(exc)["planned_start"])


def test_resident_cannot_be_a_joint_postgraduate(cast):
    with pytest.raises(ValidationError) as exc:
        propose(cast, trainee=cast.resident)
    assert "trainee" in _errors(exc)


def test_trainee_not_enrolled_at_home_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        propose(cast, home=cast.inst_b, host=cast.inst_a, actor=cast.coord_b)
    assert "trainee" in _errors(exc)


# --- Approve and quota --------------------------------------------------------------------------


def test_both_coordinators_must_approve(cast):
    cultivation = propose(cast)
    cultivation = services.cultivation_approve(actor=cast.coord_a, cultivation=cultivation)
    assert cultivation.status == "proposed"
    cultivation = services.cultivation_approve(actor=cast.coord_b, cultivation=cultivation)
    assert cultivation.status == "approved"
    assert Decision.objects.filter(cultivation=cultivation, kind="approve").count() == 2
    assert AuditEvent.objects.filter(action="cultivation.approve").count() == 2


def test_same_institution_cannot_approve_twice(cast):
    cultivation = propose(cast)
    services.cultivation_approve(actor=cast.coord_a, cultivation=cultivation)
    with pytest.raises(ValidationError):
        services.cultivation_approve(actor=cast.coord_a, cultivation=cultivation)


def test_admin_and_tutors_cannot_approve(cast):
    cultivation = propose(cast)
    for actor in (cast.admin, cast.tutor_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.cultivation_approve(actor=actor, cultivation=cultivation)


def test_quota_is_enforced_at_the_last_approval(cast):
    cast.agreement_ab.quotas.update(max_trainees=1)
    first = propose(cast)
    second = propose(cast, trainee=joint_trainee(cast, "t2"))
    for cultivation in (first, second):
        services.cultivation_approve(actor=cast.coord_a, cultivation=cultivation)
    services.cultivation_approve(actor=cast.coord_b, cultivation=first)
    with pytest.raises(ValidationError) as exc:
        services.cultivation_approve(actor=cast.coord_b, cultivation=second)
    assert "quota_year" in _errors(exc)
    second.refresh_from_db()
    assert second.status == "proposed"
    assert Decision.objects.filter(cultivation=second, kind="approve").count() == 1


def test_quota_counts_the_whole_agreement_lineage(cast):
    cast.agreement_ab.quotas.update(max_trainees=1)
    cultivation_in(cast, "active", paired=False)
    amendment = AgreementFactory(
        status="active",
        amends=cast.agreement_ab,
        version=2,
        start_date=cast.agreement_ab.start_date,
        end_date=cast.agreement_ab.end_date,
    )
    for party in cast.agreement_ab.parties.all():
        amendment.parties.create(institution=party.institution, funding_share=50)
    AgreementQuotaFactory(agreement=amendment, year=2026, max_trainees=1)
    other = propose(cast, trainee=joint_trainee(cast, "t3"), agreement=amendment)
    services.cultivation_approve(actor=cast.coord_a, cultivation=other)
    with pytest.raises(ValidationError):
        services.cultivation_approve(actor=cast.coord_b, cultivation=other)


# --- Decisions ---------------------------------------------------------------------------------


def test_activation_needs_a_complete_pair(cast):
    cultivation = cultivation_in(cast, "approved", paired=False)
    with pytest.raises(ValidationError):
        services.cultivation_decide(actor=cast.coord_a, cultivation=cultivation, action="activate")
    cultivation = cultivation_in(cast, "approved", trainee=joint_trainee(cast, "t4"))
    services.cultivation_decide(actor=cast.coord_b, cultivation=cultivation, action="activate")
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_lifecycle_records_each_decision_with_reason(cast):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(ValidationError) as exc:
        services.cultivation_decide(actor=cast.coord_a, cultivation=cultivation, action="suspend")
    assert "reason" in _errors(exc)
    services.cultivation_decide(
        actor=cast.coord_a,
        cultivation=cultivation,
        action="suspend",
        reason="Illness",
        ground="health",
    )
    services.cultivation_decide(actor=cast.coord_b, cultivation=cultivation, action="resume")
    services.cultivation_decide(
        actor=cast.coord_a,
        cultivation=cultivation,
        action="complete",
        reason="Defended",
        ground="plan_completed",
    )
    services_ending.ending_confirm(
        actor=cast.coord_b, ending=cultivation.ending_requests.get(status="requested")
    )
    kinds = list(cultivation.decisions.values_list("kind", "to_status"))
    assert kinds[-3:] == [("suspend", "suspended"), ("resume", "active"), ("complete", "completed")]
    with pytest.raises(ValidationError):
        services.cultivation_decide(
            actor=cast.admin, cultivation=cultivation, action="terminate", reason="Too late"
        )


def test_terminate_keeps_home_enrolment_and_ends_the_pair_as_history(cast):
    cultivation = cultivation_in(cast, "active", signed=True)
    services.cultivation_decide(
        actor=cast.coord_b,
        cultivation=cultivation,
        action="terminate",
        reason="Host lab closed",
        ground="other",
    )
    services_ending.ending_confirm(
        actor=cast.coord_a, ending=cultivation.ending_requests.get(status="requested")
    )
    cultivation.refresh_from_db()
    assert cultivation.status == "terminated"
    assert Membership.objects.get(user=cast.trainee, role="trainee").is_active
    assignments = TutorAssignment.objects.filter(cultivation=cultivation)
    assert assignments.count() == 2
    assert all(a.ended_at and a.end_reason == "Other: Host lab closed" for a in assignments)


def test_rejecting_a_proposal_is_a_termination_with_reason(cast):
    cultivation = propose(cast)
    services.cultivation_decide(
        actor=cast.coord_b,
        cultivation=cultivation,
        action="terminate",
        reason="No place in the lab",
    )
    assert cultivation.decisions.last().kind == "reject"
    # The trainee can be proposed again.
    assert propose(cast).status == "proposed"


def test_tutors_cannot_decide(cast):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(PermissionDenied):
        services.cultivation_decide(
            actor=cast.tutor_b, cultivation=cultivation, action="suspend", reason="x"
        )


# --- Tutors ------------------------------------------------------------------------------------


def test_experimental_tutor_must_be_at_the_host(cast):
    cultivation = cultivation_in(cast, "approved", paired=False)
    with pytest.raises(ValidationError) as exc:
        tutor_assign(
            actor=cast.coord_a, cultivation=cultivation, tutor=cast.tutor_a, role="experimental"
        )
    assert "tutor" in _errors(exc)


def test_doctoral_trainee_needs_a_doctoral_supervisor(cast):
    cultivation = cultivation_in(cast, "approved", paired=False)
    with pytest.raises(ValidationError) as exc:
        tutor_assign(
            actor=cast.coord_a, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )
    assert "doctoral" in " ".join(_errors(exc)["tutor"])
    master = joint_trainee(cast, "m1", kind="academic_master")
    other = cultivation_in(cast, "approved", trainee=master, paired=False)
    assignment = tutor_assign(
        actor=cast.coord_a, cultivation=other, tutor=cast.tutor_b, role="experimental"
    )
    assert assignment.is_first_in_charge and assignment.institution == cast.inst_b


def test_second_tutor_cannot_be_first_in_charge(cast):
    cultivation = cultivation_in(cast, "active")
    TutorProfile.objects.filter(user=cast.tutor_b).update(annual_quota=10)
    with pytest.raises(ValidationError) as exc:
        tutor_assign(
            actor=cast.coord_a, cultivation=cultivation, tutor=cast.tutor_b, role="experimental"
        )
    assert "role" in _errors(exc)


def test_tutor_quota_is_enforced(cast):
    TutorProfile.objects.filter(user=cast.tutor_a).update(annual_quota=1)
    cultivation_in(cast, "active")  # tutor_a is theoretical tutor here
    other = cultivation_in(cast, "approved", trainee=joint_trainee(cast, "t5"), paired=False)
    with pytest.raises(ValidationError) as exc:
        tutor_assign(actor=cast.coord_a, cultivation=other, tutor=cast.tutor_a, role="theoretical")
    assert "quota" in " ".join(_errors(exc)["tutor"])


def test_completeness_needs_both_signatures(cast):
    assert not cultivation_is_complete(cultivation_in(cast, "active"))
    done = cultivation_in(cast, "active", trainee=joint_trainee(cast, "t6"), signed=True)
    assert cultivation_is_complete(done)
    assert set(current_tutors(done)) == {"experimental", "theoretical"}
