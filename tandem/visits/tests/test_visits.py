"""Exchange visits through the services: refusals that name what is wrong and save nothing, the
action workflow to acceptance, what each side sees, the review at the next visit, the overdue
warning, the calendar and the exports."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.alerts.models import Notification, Rule
from tandem.alerts.rules import visit_actions_overdue
from tandem.alerts.texts import notification_text
from tandem.core.errors import error_messages
from tandem.core.models import AuditEvent
from tandem.visits import permissions, report, selectors, services
from tandem.visits.models import Action, ActionStatus, Session, Visit
from tandem.visits.tests.factories import build_visitworld

TODAY = datetime.datetime(2026, 11, 19, 6, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 11, 19)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def vw(cast):
    return build_visitworld(cast, starts_on=DAY)


def _messages(exc: ValidationError) -> str:
    return " ".join(error_messages(exc))


# --- bad input ---------------------------------------------------------------------------------


def test_action_deadline_before_the_visit_is_refused_and_nothing_saved(vw, cast):
    before = Action.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            actor=cast.coord_a,
            visit=vw.visit,
            institution=cast.inst_a,
            owner=cast.tutor_a,
            title="Too early",
            deadline=DAY - datetime.timedelta(days=1),
        )
    assert "cannot be before the visit" in _messages(exc.value)
    assert "deadline" in exc.value.message_dict
    assert Action.objects.count() == before


def test_action_owner_outside_both_institutions_is_refused(vw, cast):
    before = Action.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            actor=cast.coord_a,
            visit=vw.visit,
            institution=cast.inst_a,
            owner=cast.outsider,
            title="Someone else's",
            deadline=DAY,
        )
    assert "The owner must be a person of Western Medical University" in _messages(exc.value)
    assert Action.objects.count() == before
    assert not Notification.objects.filter(user=cast.outsider).exists()


def test_owner_of_the_other_side_is_refused_for_this_side(vw, cast):
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            actor=cast.coord_a,
            visit=vw.visit,
            institution=cast.inst_a,
            owner=cast.tutor_b,
            title="Wrong side",
            deadline=DAY,
        )
    assert "owner_id" in exc.value.message_dict


def test_session_for_a_base_of_a_third_institution_is_refused(vw, cast):
    before = Session.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=cast.coord_a, visit=vw.visit, host_base=vw.base_c, topics=["other"]
        )
    assert "Internal medicine base C is not a training base of the host" in _messages(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.session_add(actor=cast.coord_a, visit=vw.visit, visiting_base=vw.base_c)
    assert "not a training base of the visiting institution" in _messages(exc.value)
    assert Session.objects.count() == before


def test_session_collects_every_error_at_once(vw, cast):
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=cast.coord_a,
            visit=vw.visit,
            host_base=vw.base_c,
            topics=["gossip"],
            participants=[cast.outsider],
        )
    assert set(exc.value.message_dict) == {"host_base_id", "topics", "participant_ids"}


def test_second_session_of_the_same_specialty_is_refused(vw, cast):
    with pytest.raises(ValidationError) as exc:
        services.session_add(actor=cast.coord_b, visit=vw.visit, visiting_base=vw.base_b)
    assert "a session of Internal medicine already" in _messages(exc.value)


def test_visit_with_one_institution_twice_or_days_reversed_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.visit_create(
            actor=cast.coord_a,
            host=cast.inst_a,
            visiting=cast.inst_a,
            title="",
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"visiting_id", "title", "ends_on"}
    assert not Visit.objects.exists()


def test_agreement_of_other_institutions_cannot_be_linked(cast):
    with pytest.raises(ValidationError) as exc:
        services.visit_create(
            actor=cast.coord_a,
            host=cast.inst_a,
            visiting=cast.inst_b,
            title="Visit",
            starts_on=DAY,
            ends_on=DAY,
            agreement=cast.agreement_c,
        )
    assert "between the two institutions" in _messages(exc.value)


def test_a_third_institution_cannot_plan_a_visit_between_two_others(cast):
    with pytest.raises(PermissionDenied):
        services.visit_create(
            actor=cast.outsider,
            host=cast.inst_a,
            visiting=cast.inst_b,
            title="Visit",
            starts_on=DAY,
            ends_on=DAY,
        )


def test_delegate_must_belong_to_the_side_named(vw, cast):
    with pytest.raises(ValidationError) as exc:
        services.delegate_add(
            actor=cast.coord_b,
            visit=vw.visit,
            person=cast.tutor_a,
            institution=cast.inst_b,
            role="teacher",
        )
    assert "Choose a person of Eastern Medical University" in _messages(exc.value)


# --- the action workflow -----------------------------------------------------------------------


def test_action_goes_from_open_to_accepted_by_the_host(vw, cast):
    action = vw.action_b
    note = Notification.objects.get(user=cast.tutor_b, url__endswith=f"/actions/{action.pk}/")
    assert "You own the action" in notification_text(note)
    services.action_step(actor=cast.tutor_b, action=action, status="in_progress")
    with pytest.raises(ValidationError) as exc:
        services.action_step(actor=cast.tutor_b, action=action, status="done")
    assert "Say what was done" in _messages(exc.value)
    services.action_step(actor=cast.tutor_b, action=action, status="done", note="Stations run")
    with pytest.raises(PermissionDenied):
        services.action_step(actor=cast.coord_b, action=action, status="accepted")
    services.action_step(actor=cast.coord_a, action=action, status="accepted")
    action.refresh_from_db()
    assert action.status == ActionStatus.ACCEPTED and action.accepted_by == cast.coord_a
    assert action.progress_note == "Stations run"
    assert (
        AuditEvent.objects.filter(action="visits_action.step", target_id=str(action.pk)).count()
        == 3
    )
    accepted = Notification.objects.filter(user=cast.tutor_b).order_by("-id").first()
    assert "was accepted" in notification_text(accepted)


def test_host_returns_a_done_action_with_a_reason(vw, cast):
    with pytest.raises(ValidationError) as exc:
        services.action_step(actor=cast.coord_a, action=vw.done_b, status="in_progress")
    assert "Say what is missing" in _messages(exc.value)
    services.action_step(
        actor=cast.coord_a, action=vw.done_b, status="in_progress", note="Add the fire drill"
    )
    vw.done_b.refresh_from_db()
    assert vw.done_b.status == ActionStatus.IN_PROGRESS
    assert vw.done_b.progress_note == "Checklist in use"


def test_the_owner_never_accepts_their_own_action(vw, cast):
    coord_owner = services.action_add(
        actor=cast.coord_a,
        visit=vw.visit,
        institution=cast.inst_a,
        owner=cast.coord_a,
        title="Publish the rota a month ahead",
        deadline=DAY,
    )
    services.action_step(actor=cast.coord_a, action=coord_owner, status="done", note="Done")
    with pytest.raises(PermissionDenied):
        services.action_step(actor=cast.coord_a, action=coord_owner, status="accepted")


def test_an_accepted_action_does_not_move_again(vw, cast):
    services.action_step(actor=cast.coord_a, action=vw.done_b, status="accepted")
    with pytest.raises(ValidationError) as exc:
        services.action_step(actor=cast.tutor_b, action=vw.done_b, status="done", note="again")
    assert "cannot become" in _messages(exc.value)


def test_the_visiting_side_adds_only_its_own_actions(vw, cast):
    with pytest.raises(PermissionDenied):
        services.action_add(
            actor=cast.coord_b,
            visit=vw.visit,
            institution=cast.inst_a,
            owner=cast.tutor_a,
            title="For the host",
            deadline=DAY,
        )


# --- what each side sees -----------------------------------------------------------------------


def test_the_host_sees_every_action_the_visiting_side_its_own(vw, cast):
    assert set(selectors.action_list_in(cast.coord_a, vw.visit)) == {
        vw.action_a,
        vw.action_b,
        vw.done_b,
    }
    assert set(selectors.action_list_in(cast.coord_b, vw.visit)) == {vw.action_b, vw.done_b}
    assert set(selectors.action_list_in(cast.tutor_a, vw.visit)) == {vw.action_a}
    assert set(selectors.action_list_in(cast.tutor_b, vw.visit)) == {vw.action_b, vw.done_b}


def test_each_side_reads_only_its_own_internal_notes(vw, cast, client_for):
    services.visit_notes_save(actor=cast.coord_a, visit=vw.visit, notes="HOST-SECRET")
    services.visit_notes_save(actor=cast.coord_b, visit=vw.visit, notes="GUEST-SECRET")
    url = f"/visits/{vw.visit.pk}/"
    host_page = client_for("coord_a").get(url).content.decode()
    guest_page = client_for("coord_b").get(url).content.decode()
    assert "HOST-SECRET" in host_page and "GUEST-SECRET" not in host_page
    assert "GUEST-SECRET" in guest_page and "HOST-SECRET" not in guest_page
    for actor in ("admin", "tutor_a", "tutor_b"):
        text = client_for(actor).get(url).content.decode()
        assert "SECRET" not in text
    pdf_html = report.report_html(cast.coord_b, vw.visit, "en")
    assert "SECRET" not in pdf_html
    event = AuditEvent.objects.filter(action="visits_visit.notes_host").get()
    assert "SECRET" not in str(event.changes)


def test_the_visiting_side_page_does_not_show_the_hosts_actions(vw, cast, client_for):
    text = client_for("coord_b").get(f"/visits/{vw.visit.pk}/").content.decode()
    assert vw.action_b.title in text and vw.action_a.title not in text
    assert client_for("coord_b").get(f"/visits/actions/{vw.action_a.pk}/").status_code == 404
    assert client_for("tutor_a").get(f"/visits/actions/{vw.action_b.pk}/").status_code == 404


def test_a_base_director_sees_the_sessions_of_their_base_only(vw, cast, client_for):
    director = UserFactory(username="director_b", full_name="Dora Director")
    MembershipFactory(
        user=director, role=Role.BASE_DIRECTOR, institution=cast.inst_b, unit=vw.base_b
    )
    other = services.session_add(actor=cast.coord_a, visit=vw.visit, host_base=vw.surgery_a)
    assert list(selectors.session_list_in(director, vw.visit)) == [vw.session]
    assert not selectors.delegate_list_in(director, vw.visit).exists()
    assert not selectors.action_list_in(director, vw.visit).exists()
    client = client_for("anonymous")
    client.force_login(director)
    assert client.get(f"/visits/{vw.visit.pk}/").status_code == 200
    assert client.get(f"/visits/sessions/{vw.session.pk}/").status_code == 200
    assert client.get(f"/visits/sessions/{other.pk}/").status_code == 404
    assert client.get(f"/visits/{vw.visit.pk}/report.pdf").status_code == 403
    response = client.post(
        f"/visits/sessions/{vw.session.pk}/", {"minutes": "Rota boards compared"}
    )
    assert response.status_code == 302
    vw.session.refresh_from_db()
    assert vw.session.minutes == "Rota boards compared"
    assert permissions.can_record_minutes(director, vw.session)
    assert not permissions.can_record_minutes(director, other)


def test_an_outsider_sees_nothing_of_the_visit(vw, cast):
    assert not selectors.visit_list_visible_to(cast.outsider).exists()
    assert not selectors.action_list_visible_to(cast.outsider).exists()
    assert selectors.calendar_events_for(cast.outsider) == []


# --- the next visit starts with the previous one's actions ---------------------------------


def test_the_next_visit_starts_with_the_previous_visits_actions(vw, cast, client_for):
    services.action_step(actor=cast.coord_a, action=vw.done_b, status="accepted")
    later = services.visit_create(
        actor=cast.coord_b,
        host=cast.inst_b,
        visiting=cast.inst_a,
        title="WMU visits EMU",
        starts_on=DAY + datetime.timedelta(days=180),
        ends_on=DAY + datetime.timedelta(days=180),
    )
    review = selectors.review_of_previous(cast.coord_a, later)
    assert review["previous"] == vw.visit
    assert {a.pk for a in review["open"]} == {vw.action_a.pk, vw.action_b.pk}
    assert [a.pk for a in review["closed"]] == [vw.done_b.pk]
    # B hosts now, but reads only B's actions of the visit A hosted.
    review_b = selectors.review_of_previous(cast.coord_b, later)
    assert {a.pk for a in review_b["open"]} == {vw.action_b.pk}
    text = client_for("coord_a").get(f"/visits/{later.pk}/").content.decode()
    assert text.index("Review of the previous visit") < text.index("Agenda")
    assert vw.action_a.title in text and vw.done_b.title in text


# --- follow-up: warnings, invitations, calendar ----------------------------------------------


def test_overdue_actions_raise_a_warning_to_the_owner(vw, cast):
    with time_machine.travel(TODAY + datetime.timedelta(days=61), tick=False):
        causes = visit_actions_overdue(timezone.now(), None)
    by_id = {cause.subject_id: cause for cause in causes}
    assert set(by_id) == {vw.action_a.pk, vw.done_b.pk} - {vw.done_b.pk}
    cause = by_id[vw.action_a.pk]
    assert cause.rule == Rule.VISIT_ACTION_OVERDUE
    assert cause.institution_id == cast.inst_a.pk and cause.extra_recipient_ids == (
        cast.tutor_a.pk,
    )


def test_invitations_reach_the_delegation_and_participants_once(vw, cast):
    count = services.visit_invite(actor=cast.coord_a, visit=vw.visit)
    assert count == 3  # coord_b, tutor_b (delegation), tutor_a (a session)
    invited = Notification.objects.filter(kind="visit_invited")
    assert set(invited.values_list("user_id", flat=True)) == {
        cast.coord_b.pk,
        cast.tutor_b.pk,
        cast.tutor_a.pk,
    }
    assert "You are invited to the exchange visit “EMU visits WMU”" in notification_text(
        invited.first()
    )
    assert services.visit_invite(actor=cast.coord_a, visit=vw.visit) == 0


def test_calendar_has_the_visit_days_and_the_session(vw, cast):
    at = timezone.make_aware(datetime.datetime(2026, 11, 19, 14, 0))
    other = services.session_add(
        actor=cast.coord_a,
        visit=vw.visit,
        host_base=vw.surgery_a,
        starts_at=at,
        participants=[cast.tutor_a],
    )
    events = {str(e["uid"]): e for e in selectors.calendar_events_for(cast.tutor_a)}
    assert f"visit-session-{other.pk}@tandem" in events
    delegate_events = {str(e["uid"]) for e in selectors.calendar_events_for(cast.tutor_b)}
    assert delegate_events == {f"visit-{vw.visit.pk}@tandem"}


def test_a_session_outside_the_visit_days_is_refused(vw, cast):
    at = timezone.make_aware(datetime.datetime(2026, 12, 19, 14, 0))
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=cast.coord_a, visit=vw.visit, host_base=vw.surgery_a, starts_at=at
        )
    assert "during the visit" in _messages(exc.value)


def test_a_cancelled_visit_is_read_only(vw, cast):
    with pytest.raises(ValidationError):
        services.visit_set_status(actor=cast.coord_a, visit=vw.visit, status="cancelled")
    services.visit_set_status(actor=cast.coord_a, visit=vw.visit, status="cancelled", reason="x")
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(
            actor=cast.coord_b,
            visit=vw.visit,
            topic="other",
            title="Late",
            institution=cast.inst_b,
        )
    assert "cancelled" in _messages(exc.value)


# --- exports and the library -------------------------------------------------------------------


def test_the_excel_export_lists_the_actions_the_reader_sees(vw, cast):
    book = openpyxl.load_workbook(io.BytesIO(report.actions_workbook(cast.coord_b, vw.visit)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Action"
    assert {row[0] for row in rows[1:]} == {vw.action_b.title, vw.done_b.title}


def test_the_report_is_written_in_either_language(vw, cast):
    english = report.report_html(cast.coord_a, vw.visit, "en")
    chinese = report.report_html(cast.coord_a, vw.visit, "zh-hans")
    assert "Report of the exchange visit" in english and "EMU visits WMU" in english
    assert "交流访问报告" in chinese and "东部医科大学来访" in chinese
    assert report.report_pdf(cast.coord_a, vw.visit, "zh-hans").startswith(b"%PDF")


def test_the_practice_library_is_searched_in_both_languages(vw, cast):
    services.practice_share(
        actor=cast.coord_b,
        visit=vw.visit,
        institution=cast.inst_b,
        specialty="internal_medicine",
        topic="assessment_evaluation",
        title="Monthly mini-CEX",
        title_zh="每月迷你临床演练评估",
        summary="Every resident is observed once a month.",
        summary_zh="每名住院医师每月接受一次观察评估。",
    )
    for reader in (cast.outsider, cast.resident):
        assert selectors.practice_search(reader, text="mini-CEX").count() == 1
        assert selectors.practice_search(reader, text="观察评估").count() == 1
    assert selectors.practice_search(cast.admin, institution_id=cast.inst_a.pk).count() == 0
    assert selectors.practice_search(cast.admin, topic="teaching_methods").count() == 0
    assert selectors.practice_search(cast.admin, specialty="internal_medicine").count() == 1
