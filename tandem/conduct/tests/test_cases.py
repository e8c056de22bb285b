"""A discipline case through its steps, and every refusal the due process requires: each
with a clear message and nothing saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.models import Membership
from tandem.alerts.models import Notification
from tandem.conduct import services, services_appeal
from tandem.conduct.models import Case, CaseStatus, Vote
from tandem.conduct.tests.factories import (
    appealed,
    decided,
    open_case,
    responded,
    rules,
)
from tandem.core.models import AuditEvent
from tandem.cultivation.models import TutorAssignment

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)  # a Monday


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_open_case_sets_the_response_deadline_and_notifies(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
    assert case.status == CaseStatus.AWAITING_RESPONSE
    assert case.response_due == datetime.date(2026, 11, 9)  # 5 working days after Monday
    assert case.institution_id == cast.inst_a.pk
    notified = set(Notification.objects.filter(kind="conduct_step").values_list("user", flat=True))
    assert cast.trainee.pk in notified and cast.coord_a.pk in notified
    assert cast.coord_b.pk not in notified  # the one who opened it
    assert cast.tutor_a.pk not in notified and cast.outsider.pk not in notified
    assert AuditEvent.objects.filter(action="conduct_case.open").count() == 1


def test_article_not_in_force_on_the_conduct_date_is_refused(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as exc:
        open_case(cast, article=r["art15"], conduct_date=datetime.date(2026, 3, 1))
    assert "article" in exc.value.message_dict
    assert "not in force on 2026-03-01" in _messages(exc.value)
    assert not Case.objects.exists()


def test_article_in_force_on_the_conduct_date_may_be_cited_after_its_repeal(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast, article=r["art15"], conduct_date=datetime.date(2025, 6, 1))
    assert case.article_version.article == r["art15"]


def test_a_third_institution_cannot_open_a_case(cast):
    rules(cast)
    with pytest.raises(PermissionDenied):
        open_case(cast, actor=cast.outsider)
    with pytest.raises(PermissionDenied):
        open_case(cast, actor=cast.tutor_a)


def test_missing_facts_and_future_date_name_their_fields(cast):
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as exc:
        open_case(cast, facts="  ", conduct_date=datetime.date(2026, 12, 1))
    assert {"facts", "conduct_date"} <= set(exc.value.message_dict)


def test_decision_before_the_deadline_without_response_is_refused(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
        with pytest.raises(ValidationError) as exc:
            services.case_vote(actor=r["members"][1], case=case, level="warning")
        assert "due on 2026-11-09" in _messages(exc.value)
        with pytest.raises(ValidationError):
            services.case_decide(
                actor=r["members"][1],
                case=case,
                outcome="warning",
                reasons="x",
                appeal_body=r["appeal_body"],
            )
    assert not Vote.objects.exists()
    case.refresh_from_db()
    assert case.outcome == "" and case.status == CaseStatus.AWAITING_RESPONSE


def test_after_the_deadline_the_committee_may_decide_without_a_response(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
    with time_machine.travel(NOW + datetime.timedelta(days=8), tick=False):
        case = decided(cast, case)
    assert case.status == CaseStatus.DECIDED


def test_a_written_waiver_allows_an_earlier_decision(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
        services.case_respond(actor=cast.trainee, case=case, waive=True)
        case = decided(cast, case)
    assert case.status == CaseStatus.DECIDED


def test_recused_members_cannot_vote(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast, actor=cast.coord_a)  # coord_a opens: recused from the committee
        responded(cast, case)
        with pytest.raises(PermissionDenied, match="recused"):
            services.case_vote(actor=cast.coord_a, case=case, level="warning")
        # A member who tutors the trainee is recused too.
        services_rules_member = r["members"][2]
        TutorAssignment.objects.create(
            cultivation=r["cultivation"],
            tutor=services_rules_member,
            role="theoretical",
            institution=cast.inst_a,
            quota_year=2026,
            ended_at=NOW,
        )
        with pytest.raises(PermissionDenied, match="recused"):
            services.case_vote(actor=services_rules_member, case=case, level="warning")
    assert not Vote.objects.exists()


def test_involved_people_are_recused(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast, involved=[r["members"][1]])
        responded(cast, case)
        with pytest.raises(PermissionDenied):
            services.case_vote(actor=r["members"][1], case=case, level="warning")


def test_decision_must_follow_the_majority_and_not_exceed_what_was_considered(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast, level="warning")
        responded(cast, case)
        with pytest.raises(ValidationError) as exc:
            services.case_vote(actor=r["members"][1], case=case, level="demerit")
        assert "graver" in _messages(exc.value)
        services.case_vote(actor=r["members"][1], case=case, level="warning")
        with pytest.raises(ValidationError) as exc:  # 1 of 3 voted
            services.case_decide(
                actor=r["members"][1],
                case=case,
                outcome="warning",
                reasons="R",
                appeal_body=r["appeal_body"],
            )
        assert "More than half" in _messages(exc.value)
        services.case_vote(actor=r["members"][0], case=case, level="criticism")
        services.case_vote(actor=r["members"][2], case=case, level="criticism")
        with pytest.raises(ValidationError) as exc:
            services.case_decide(
                actor=r["members"][1],
                case=case,
                outcome="warning",
                reasons="R",
                appeal_body=r["appeal_body"],
            )
        assert "majority" in _messages(exc.value)
        with pytest.raises(ValidationError) as exc:
            services.case_decide(
                actor=r["members"][1],
                case=case,
                outcome="criticism",
                reasons="",
                appeal_body=r["committee"],
            )
        assert {"reasons", "appeal_body"} <= set(exc.value.message_dict)
        case = services.case_decide(
            actor=r["members"][1],
            case=case,
            outcome="criticism",
            reasons="R",
            appeal_body=r["appeal_body"],
        )
    assert case.outcome == "criticism"


def test_hearing_only_for_demerit_and_above(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast, level="warning")
        with pytest.raises(ValidationError) as exc:
            responded(cast, case, hearing=True)
        assert "hearing" in exc.value.message_dict
    case.refresh_from_db()
    assert case.responded_at is None


def test_hearing_requested_must_be_held_before_the_decision(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
        case = responded(cast, case, hearing=True)
        assert case.status == CaseStatus.HEARING_REQUESTED
        with pytest.raises(ValidationError, match="hearing"):
            services.case_vote(actor=r["members"][1], case=case, level="warning")
        case = services.hearing_schedule(
            actor=cast.coord_a,
            case=case,
            hearing_at=NOW + datetime.timedelta(days=3),
            place="Room 301",
        )
        with pytest.raises(ValidationError, match="not taken place"):
            services.hearing_record(actor=cast.coord_a, case=case, record="Heard.")
    with time_machine.travel(NOW + datetime.timedelta(days=3, hours=2), tick=False):
        case = services.hearing_record(actor=cast.coord_a, case=case, record="Heard both.")
        assert case.status == CaseStatus.DELIBERATION
        case = decided(cast, case, level="demerit", months=12)
    assert case.status == CaseStatus.DECIDED


def test_the_other_institution_comments_before_the_decision_only(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
        with pytest.raises(PermissionDenied):
            services.case_comment(actor=cast.coord_a, case=case, comment="deciding side")
        case = services.case_comment(actor=cast.coord_b, case=case, comment="Host agrees.")
        responded(cast, case)
        decided(cast, case)
        with pytest.raises(ValidationError):
            services.case_comment(actor=cast.coord_b, case=case, comment="Too late.")
    case.refresh_from_db()
    assert case.comment == "Host agrees."


def test_pending_appeal_keeps_the_sanction_out_of_force_then_reduced(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)), level="warning")
        appealed(cast, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_APPEAL and case.in_force_from is None
    # The sweep does not bring an appealed case into force.
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert services_appeal.cases_bring_into_force() == 0
        # A member of the first decision sitting on the appeal body is recused.
        with pytest.raises(PermissionDenied):
            services_appeal.appeal_decide(
                actor=r["members"][0], case=case, outcome="upheld", reasons="R"
            )
        with pytest.raises(ValidationError) as exc:
            services_appeal.appeal_decide(
                actor=r["appeal_members"][0],
                case=case,
                outcome="reduced",
                reasons="R",
                reduced_to="demerit",
            )
        assert "reduced_to" in exc.value.message_dict
        services_appeal.appeal_decide(
            actor=r["appeal_members"][0],
            case=case,
            outcome="reduced",
            reasons="R",
            reduced_to="criticism",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE and case.outcome == "criticism"
    assert case.in_force_from == datetime.date(2026, 12, 2)


def test_annulled_appeal_closes_the_case(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
        appealed(cast, case)
        services_appeal.appeal_decide(
            actor=r["appeal_members"][1], case=case, outcome="annulled", reasons="Not proven."
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ANNULLED and case.in_force_from is None


def test_appeal_after_the_window_is_refused(cast):
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    assert case.appeal_due == datetime.date(2026, 11, 16)  # 10 working days
    with time_machine.travel(datetime.datetime(2026, 11, 17, 9, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError, match="2026-11-16"):
            appealed(cast, case)
        assert services_appeal.cases_bring_into_force() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE


def test_lifting_waits_for_the_review_date_unless_early(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)), months=6)
        case = services_appeal.case_accept(actor=cast.trainee, case=case)
    assert case.review_date == datetime.date(2027, 5, 3)  # 2 May 2027 is a Sunday
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError) as exc:
            services_appeal.case_lift(actor=r["members"][1], case=case, reasons="Good conduct.")
        assert "early" in exc.value.message_dict
    with time_machine.travel(datetime.datetime(2027, 5, 3, 9, tzinfo=datetime.UTC)):
        with pytest.raises(PermissionDenied):
            services_appeal.case_lift(actor=cast.trainee, case=case, reasons="x")
        case = services_appeal.case_lift(actor=r["members"][1], case=case, reasons="Good.")
    assert case.status == CaseStatus.LIFTED


def test_termination_ends_the_cultivation_and_keeps_the_home_enrolment(cast):
    r = rules(cast)
    home = set(Membership.objects.filter(user=cast.trainee).values_list("pk", "is_active"))
    with time_machine.travel(NOW, tick=False):
        case = decided(
            cast, responded(cast, open_case(cast, level="termination")), level="termination"
        )
        case = services_appeal.case_accept(actor=cast.trainee, case=case)
    r["cultivation"].refresh_from_db()
    assert r["cultivation"].status == "terminated"
    assert case.review_date is None
    assert set(Membership.objects.filter(user=cast.trainee).values_list("pk", "is_active")) == home
    assert not TutorAssignment.objects.filter(
        cultivation=r["cultivation"], ended_at__isnull=True
    ).exists()
    # The coordinators' termination ran: the day it ended, and what it closed, audited.
    assert r["cultivation"].ended_on == NOW.date()
    closed = AuditEvent.objects.get(
        action="cultivation.terminate_close", target_id=str(r["cultivation"].pk)
    )
    assert closed.actor == cast.trainee and f"case {case.pk}" in closed.reason
    with pytest.raises(ValidationError):
        services_appeal.case_lift(actor=r["members"][1], case=case, reasons="x", early=True)


def test_a_termination_in_force_by_the_sweep_is_carried_out_under_the_decision(cast):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = decided(
            cast, responded(cast, open_case(cast, level="termination")), level="termination"
        )
    with time_machine.travel(datetime.datetime(2026, 11, 17, 9, tzinfo=datetime.UTC)):
        assert services_appeal.cases_bring_into_force() == 1
    r["cultivation"].refresh_from_db()
    assert r["cultivation"].status == "terminated"
    assert r["cultivation"].ended_on == datetime.date(2026, 11, 17)
    closed = AuditEvent.objects.get(
        action="cultivation.terminate_close", target_id=str(r["cultivation"].pk)
    )
    assert closed.actor == case.decided_by


def test_home_outcome_is_recorded_by_the_home_only(cast):
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
        with pytest.raises(PermissionDenied):
            services_appeal.home_outcome_record(actor=cast.coord_b, case=case, text="Expelled")
        case = services_appeal.home_outcome_record(
            actor=cast.coord_a, case=case, text="Expelled by the home university on 1 Dec."
        )
    assert case.home_outcome.startswith("Expelled")


def test_evidence_needs_a_file_or_a_record_the_actor_can_see(cast):
    with time_machine.travel(NOW, tick=False):
        case = open_case(cast)
        with pytest.raises(ValidationError) as exc:
            services.evidence_add(actor=cast.coord_b, case=case, description="Notebook")
        assert "file" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.evidence_add(
                actor=cast.coord_b,
                case=case,
                description="Report",
                reference_kind="report",
                reference_id=999,
            )
        assert "reference_id" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.evidence_add(actor=cast.trainee, case=case, description="Mine")
    assert not case.evidence.exists()
