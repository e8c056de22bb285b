"""Check-ins, due dates, alerts, consent and the plan adjustment, through the services and
the pages."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.accounts.models import User
from tandem.alerts.models import Notification
from tandem.alerts.texts import notification_text
from tandem.core.models import AuditEvent
from tandem.cultivation.models import JointCultivation
from tandem.plans.models import ReasonKind
from tandem.wellbeing import selectors, services
from tandem.wellbeing.models import AlertStatus, CheckIn, TutorConsent, WellbeingAlert
from tandem.wellbeing.tests.factories import FINE, WORRYING, checkin, officer_a, officers

NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --- bad input saves nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mental", 0, "The score for mental health must be a whole number from 1 to 5."),
        ("physical", 6, "The score for physical health must be a whole number from 1 to 5."),
        ("workload", "many", "The score for workload must be a whole number from 1 to 5."),
        ("living", None, "Answer the question on living conditions."),
        ("mental", "", "Answer the question on mental health."),
    ],
)
def test_bad_score_saves_nothing_and_names_the_question(cast, field, value, message):
    officers(cast)
    with pytest.raises(ValidationError) as caught:
        services.checkin_submit(actor=cast.trainee, **(FINE | {field: value}))
    assert caught.value.message_dict[field] == [message]
    assert not CheckIn.objects.exists()
    assert not AuditEvent.objects.filter(action="wellbeing_checkin.submit").exists()


def test_the_page_shows_the_missing_answer_and_keeps_nothing(cast, client_for):
    officers(cast)
    response = client_for("trainee").post(
        reverse("wellbeing:checkin_new"), {"physical": "3", "mental": "9", "workload": "3"}
    )
    assert response.status_code == 400
    assert b"Answer this question." in response.content  # living
    assert not CheckIn.objects.exists()


def test_api_out_of_range_is_a_400_naming_the_field(cast, client_for):
    officers(cast)
    response = client_for("trainee").post(
        "/api/v1/wellbeing/checkins",
        data={"physical": 3, "mental": 7, "workload": 3, "living": 3},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "mental" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_a_tutor_cannot_check_in(cast):
    with pytest.raises(PermissionDenied):
        services.checkin_submit(actor=cast.tutor_a, **FINE)


def test_sharing_with_a_host_needs_a_host(cast):
    # The resident has no joint cultivation: no host to share with.
    with pytest.raises(ValidationError) as caught:
        services.checkin_submit(actor=cast.resident, share_with_host=True, **FINE)
    assert "share_with_host" in caught.value.message_dict
    assert not CheckIn.objects.exists()


# --- due every N weeks -------------------------------------------------------------------------


def test_due_at_once_then_after_the_institutions_period(cast):
    officers(cast)
    with time_machine.travel(NOW, tick=False):
        assert selectors.next_due(cast.trainee) == NOW.date()
        assert selectors.wellbeing_dashboard(cast.trainee)["is_due"] is True
        checkin(cast, scores=FINE)
        assert selectors.next_due(cast.trainee) == NOW.date() + datetime.timedelta(weeks=4)
        assert selectors.wellbeing_dashboard(cast.trainee)["is_due"] is False
    services.settings_update(actor=cast.coord_a, institution=cast.inst_a, period_weeks=2)
    with time_machine.travel(NOW + datetime.timedelta(days=13), tick=False):
        assert selectors.wellbeing_dashboard(cast.trainee)["is_due"] is False
    with time_machine.travel(NOW + datetime.timedelta(days=14), tick=False):
        assert selectors.wellbeing_dashboard(cast.trainee)["is_due"] is True


def test_due_check_in_is_on_the_trainees_dashboard(cast, client_for):
    officers(cast)
    with time_machine.travel(NOW, tick=False):
        response = client_for("trainee").get(reverse("dashboard"))
    assert b"Your wellbeing check-in is due." in response.content
    assert (
        b"Your wellbeing check-in is due."
        not in client_for("tutor_a").get(reverse("dashboard")).content
    )


def test_settings_out_of_range_are_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.settings_update(actor=cast.coord_a, institution=cast.inst_a, period_weeks=0)
    assert "period_weeks" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=cast.coord_b, institution=cast.inst_a, period_weeks=3)


# --- alerts ------------------------------------------------------------------------------------


def test_a_low_mental_score_alerts_the_home_officers_with_no_health_detail(
    cast, immediate_tasks, django_capture_on_commit_callbacks
):
    officers(cast)
    counsellor = officer_a(cast)
    User.objects.filter(pk=counsellor.pk).update(email="carol@example.org")
    mail.outbox.clear()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        item = checkin(cast, share_with_host=False)
    alert = WellbeingAlert.objects.get(checkin=item)
    notes = Notification.objects.filter(kind="wellbeing_attention")
    assert set(notes.values_list("user_id", flat=True)) == {counsellor.pk}  # not the host's
    text = notification_text(notes.get())
    assert text == "A wellbeing check-in needs your attention"
    assert notes.get().url == reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk})
    assert notes.get().params == {}
    [message] = [m for m in mail.outbox if "carol@example.org" in m.to]
    for leak in ("Tina", "sleep", "mental", "1 —", "Trainee"):
        assert leak not in message.body and leak not in message.subject


def test_shared_with_the_host_alerts_its_officers_too(cast):
    item = checkin(cast, share_with_host=True)
    users = set(
        Notification.objects.filter(kind="wellbeing_attention").values_list("user_id", flat=True)
    )
    assert users == {officer_a(cast).pk, cast.coord_b.pk}
    assert item.alert.status == AlertStatus.OPEN
    assert selectors.wellbeing_dashboard(officer_a(cast))["open_alerts"] == 1
    assert "open_alerts" not in selectors.wellbeing_dashboard(cast.coord_a)


def test_a_fine_check_in_raises_no_alert_unless_contact_is_asked(cast):
    quiet = checkin(cast, scores=FINE)
    assert not WellbeingAlert.objects.filter(checkin=quiet).exists()
    asked = checkin(cast, scores=FINE, wants_contact=True)
    assert WellbeingAlert.objects.filter(checkin=asked).exists()


def test_configured_thresholds_raise_alerts(cast):
    officers(cast)
    services.settings_update(
        actor=cast.coord_a, institution=cast.inst_a, living_alert_at=2, mental_alert_at=0
    )
    low_living = checkin(cast, scores=FINE | {"living": 2})
    low_mental = checkin(cast, scores=FINE | {"mental": 1})
    assert WellbeingAlert.objects.filter(checkin=low_living).exists()
    assert not WellbeingAlert.objects.filter(checkin=low_mental).exists()


def test_officer_acknowledges_records_contact_and_outcome(cast):
    item = checkin(cast)
    counsellor = officer_a(cast)
    alert = item.alert
    with pytest.raises(ValidationError):
        services.alert_close(actor=counsellor, alert=alert, outcome="Done")  # not acknowledged
    with time_machine.travel(NOW, tick=False):
        services.alert_acknowledge(actor=counsellor, alert=alert)
    services.alert_note_add(actor=counsellor, alert=alert, kind="contact", text="Called Tina.")
    with pytest.raises(ValidationError) as caught:
        services.alert_note_add(actor=counsellor, alert=alert, kind="contact", text="  ")
    assert "text" in caught.value.message_dict
    services.alert_close(actor=counsellor, alert=alert, outcome="Referred to counselling.")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.acknowledged_by == counsellor and alert.acknowledged_at == NOW
    assert list(alert.notes.values_list("kind", flat=True)) == ["contact", "outcome"]
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=cast.coord_a, alert=alert)


def test_accepted_proposal_opens_a_health_revision_whose_note_is_the_officers_text(cast):
    item = checkin(cast)
    counsellor = officer_a(cast)
    services.alert_acknowledge(actor=counsellor, alert=item.alert)
    proposal = services.adjustment_propose(
        actor=counsellor, alert=item.alert, note="Reduced laboratory hours until March."
    )
    with pytest.raises(ValidationError):
        services.adjustment_propose(actor=counsellor, alert=item.alert, note="Another")
    with pytest.raises(PermissionDenied):
        services.adjustment_decide(actor=cast.tutor_a, proposal=proposal, accept=True)
    services.adjustment_decide(actor=cast.trainee, proposal=proposal, accept=True)
    version = proposal.plan.versions.order_by("-number").first()
    assert version.reason_kind == ReasonKind.HEALTH
    assert version.change_reason == ""
    assert version.confidential_note.text == "Reduced laboratory hours until March."
    assert "sleep" not in version.confidential_note.text  # nothing of the check-in
    revise = AuditEvent.objects.get(action="plan.revise")
    assert "Reduced" not in revise.reason


def test_declined_proposal_leaves_the_plan_alone(cast):
    item = checkin(cast)
    counsellor = officer_a(cast)
    services.alert_acknowledge(actor=counsellor, alert=item.alert)
    proposal = services.adjustment_propose(actor=counsellor, alert=item.alert, note="Rest.")
    versions = proposal.plan.versions.count()
    services.adjustment_decide(actor=cast.trainee, proposal=proposal, accept=False)
    assert proposal.plan.versions.count() == versions
    with pytest.raises(ValidationError):
        services.adjustment_decide(actor=cast.trainee, proposal=proposal, accept=True)


# --- consent -----------------------------------------------------------------------------------


def _shared(cast, tutor):
    return list(selectors.shared_checkins_for_tutor(tutor, cast.trainee))


def test_tutors_see_nothing_without_consent(cast):
    checkin(cast, scores=FINE)
    assert _shared(cast, cast.tutor_a) == []


def test_per_check_in_consent_shows_that_check_in_only(cast):
    checkin(cast, scores=FINE)
    shared = checkin(cast, scores=FINE, share_with_tutors=True)
    assert [c.pk for c in _shared(cast, cast.tutor_b)] == [shared.pk]


def test_standing_consent_given_then_withdrawn_is_audited(cast, client_for):
    officers(cast)
    with time_machine.travel(NOW, tick=False):
        before = checkin(cast, scores=FINE)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        services.consent_give(actor=cast.trainee)
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        after = checkin(cast, scores=FINE)
        assert [c.pk for c in _shared(cast, cast.tutor_a)] == [after.pk]
        assert before.pk not in [c.pk for c in _shared(cast, cast.tutor_a)]
        page = client_for("tutor_a").get(
            reverse("wellbeing:tutor_view", kwargs={"trainee_pk": cast.trainee.pk})
        )
        assert b"I cannot sleep" not in page.content  # the note never
        response = client_for("trainee").post(reverse("wellbeing:consent"), {"give": "0"})
        assert response.status_code == 302
    assert _shared(cast, cast.tutor_a) == []
    consent = TutorConsent.objects.get(trainee=cast.trainee)
    assert consent.withdrawn_at is not None
    actions = list(
        AuditEvent.objects.filter(action__startswith="wellbeing_consent").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["wellbeing_consent.give", "wellbeing_consent.withdraw"]
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=cast.trainee)


def test_a_former_tutor_sees_nothing(cast):
    checkin(cast, scores=FINE, share_with_tutors=True)
    assert len(_shared(cast, cast.tutor_a)) == 1
    JointCultivation.objects.filter(trainee=cast.trainee).update(status="completed")
    assert _shared(cast, cast.tutor_a) == []


# --- officers ----------------------------------------------------------------------------------


def test_only_staff_of_the_institution_can_be_named_and_ending_removes_reading(cast):
    with pytest.raises(ValidationError):
        services.officer_appoint(actor=cast.coord_a, institution=cast.inst_a, user=cast.trainee)
    with pytest.raises(ValidationError):
        services.officer_appoint(actor=cast.coord_a, institution=cast.inst_a, user=cast.tutor_b)
    item = checkin(cast)
    counsellor = officer_a(cast)
    assert selectors.checkin_list_visible_to(counsellor).filter(pk=item.pk).exists()
    officer = selectors.officer_list_of(cast.inst_a).get(user=counsellor)
    services.officer_end(actor=cast.coord_a, officer=officer)
    fresh = User.objects.get(pk=counsellor.pk)
    assert not selectors.checkin_list_visible_to(fresh).filter(pk=item.pk).exists()


def test_stats_suppress_small_groups_and_the_current_month(cast, client_for):
    from tandem.accounts.models import Role
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    officers(cast)
    others = []
    for n in range(2):
        person = UserFactory(username=f"peer{n}")
        MembershipFactory(user=person, role=Role.TRAINEE, institution=cast.inst_a)
        others.append(person)
    september = datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(september, tick=False):
        services.checkin_submit(actor=cast.trainee, **FINE)
        services.checkin_submit(actor=cast.trainee, **FINE)  # one trainee twice: still one
        services.checkin_submit(actor=others[0], **WORRYING)
    with time_machine.travel(NOW, tick=False):
        assert selectors.stats_for(cast.coord_a, {cast.inst_a.pk}) == []
        response = client_for("coord_a").get(reverse("wellbeing:stats_export"))
        assert response.content.decode().count("\n") == 1  # the header only
    with time_machine.travel(september, tick=False):
        services.checkin_submit(actor=others[1], **FINE)
        # The running month is never shown, whatever its size.
        assert selectors.stats_for(cast.coord_a, {cast.inst_a.pk}) == []
    with time_machine.travel(NOW, tick=False):
        [row] = selectors.stats_for(cast.coord_a, {cast.inst_a.pk})
        assert row["trainees"] == 3
        assert row["mental"] == round((4 + 4 + 1 + 4) / 4, 1)
        xlsx = client_for("coord_a").get(reverse("wellbeing:stats_export") + "?format=xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        api_rows = client_for("coord_a").get("/api/v1/wellbeing/stats").json()
        assert [r["trainees"] for r in api_rows] == [3]
        assert client_for("coord_b").get("/api/v1/wellbeing/stats").json() == []


def test_pages_and_the_notification_are_in_chinese(cast, client_for):
    from django.utils import translation

    item = checkin(cast)
    note = Notification.objects.filter(kind="wellbeing_attention").first()
    with translation.override("zh-hans"):
        assert notification_text(note) == "有一份身心状况自评需要你关注"
        with pytest.raises(ValidationError) as caught:
            services.checkin_submit(actor=cast.trainee, **(FINE | {"mental": 9}))
        assert caught.value.message_dict["mental"] == ["心理健康的评分必须是 1 到 5 之间的整数。"]
    client = client_for("trainee")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(
        reverse("wellbeing:checkin_new"), headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "提交我的自评" in page and "心理健康" in page
    assert item.pk


def test_officer_pages_issue_the_same_queries_whatever_the_number_of_alerts(cast):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.accounts.models import Role
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    officers(cast)
    client = Client()
    client.force_login(officer_a(cast))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("wellbeing:alert_list")).status_code == 200
        return len(queries)

    checkin(cast)
    small = count()
    for n in range(6):
        person = UserFactory(username=f"many{n}")
        MembershipFactory(user=person, role=Role.TRAINEE, institution=cast.inst_a)
        services.checkin_submit(actor=person, **WORRYING)
    assert count() == small


def test_a_tutor_finds_the_trainees_who_may_share_with_them(cast, client_for):
    officers(cast)
    page = client_for("tutor_a").get(reverse("wellbeing:home")).content.decode()
    assert reverse("wellbeing:tutor_view", kwargs={"trainee_pk": cast.trainee.pk}) in page
    assert (
        "wellbeing/trainees/"
        not in client_for("coord_a").get(reverse("wellbeing:home")).content.decode()
    )


def test_the_catalogued_sentence_is_the_notification_kinds_label():
    from tandem.alerts.models import NotificationKind
    from tandem.wellbeing.texts import ATTENTION

    assert str(NotificationKind.WELLBEING_ATTENTION.label) == ATTENTION
