"""Trying to read a check-in without being one of its named readers: as the tutors, the home
coordinator, the host coordinator who is not named officer, the consortium admin, the
outsider and another institution's officer — through every page, API operation, export,
audit entry, notification and the Django admin. All fail.

The check-in below is worrying (an alert), has a note, and is shared with nobody but the home
officer: the only readers are the trainee and officer_a."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.alerts.models import Notification
from tandem.alerts.texts import notification_text
from tandem.core.models import AuditEvent
from tandem.plans.tests.factories import signed_plan
from tandem.portal.history import describe
from tandem.wellbeing import models, services
from tandem.wellbeing.tests.factories import officer_a

NOTE = "Panic attacks since the move to the host lab."
SNOOPERS = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "resident", "outsider"]


@pytest.fixture
def secret(cast):
    """A worrying check-in for the home officer only, acknowledged with a confidential note."""
    signed_plan(cast)
    counsellor = officer_a(cast)
    # coord_b is named officer of the host B, but the trainee does not share with the host.
    services.officer_appoint(actor=cast.coord_b, institution=cast.inst_b, user=cast.coord_b)
    # The outsider's institution C has an officer too.
    other = UserFactory(username="counsellor_c")
    MembershipFactory(user=other, role=Role.TEACHER, institution=cast.inst_c)
    services.officer_appoint(actor=cast.outsider, institution=cast.inst_c, user=other)
    checkin = services.checkin_submit(
        actor=cast.trainee,
        physical=2,
        mental=1,
        workload=1,
        living=2,
        note=NOTE,
        wants_contact=True,
    )
    services.alert_acknowledge(actor=counsellor, alert=checkin.alert)
    services.alert_note_add(
        actor=counsellor, alert=checkin.alert, kind="contact", text="Spoke about the panic."
    )
    services.adjustment_propose(actor=counsellor, alert=checkin.alert, note="Fewer night shifts.")
    return {"checkin": checkin, "alert": checkin.alert, "counsellor_c": other}


def _pages(secret, cast):
    checkin, alert = secret["checkin"], secret["alert"]
    return [
        reverse("wellbeing:checkin_detail", kwargs={"pk": checkin.pk}),
        reverse("wellbeing:alert_detail", kwargs={"pk": alert.pk}),
        reverse("wellbeing:alert_list"),
        reverse("wellbeing:home"),
        reverse("wellbeing:stats"),
        reverse("wellbeing:stats_export"),
        reverse("wellbeing:stats_export") + "?format=xlsx",
        reverse("wellbeing:tutor_view", kwargs={"trainee_pk": cast.trainee.pk}),
        reverse("wellbeing:setup", kwargs={"institution_pk": cast.inst_a.pk}),
        reverse("dashboard"),
        reverse("alerts:notifications"),
        reverse("alerts:list"),
        f"/api/v1/wellbeing/checkins/{checkin.pk}",
        "/api/v1/wellbeing/checkins",
        "/api/v1/wellbeing/alerts",
        f"/api/v1/wellbeing/trainees/{cast.trainee.pk}/shared",
        "/api/v1/wellbeing/stats",
        "/api/v1/alerts/notifications",
    ]


SECRETS = ("Panic", "panic", "night shifts")


@pytest.mark.parametrize("actor", SNOOPERS)
def test_no_page_api_or_export_shows_the_check_in(actor, cast, client_for, secret):
    client = client_for(actor)
    for url in _pages(secret, cast):
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        for word in SECRETS:
            assert word not in body, f"{actor} read {word!r} at {url}"
    # The check-in and its alert are the same 404 as a missing one.
    assert client.get(_pages(secret, cast)[0]).status_code == 404
    assert client.get(_pages(secret, cast)[1]).status_code == 404
    api = client.get(f"/api/v1/wellbeing/checkins/{secret['checkin'].pk}")
    assert api.status_code == 404


def test_host_officer_without_the_trainees_sharing_reads_nothing(cast, client_for, secret):
    client = client_for("coord_b")  # named officer of B
    assert client.get(_pages(secret, cast)[0]).status_code == 404
    listing = client.get(reverse("wellbeing:alert_list")).content.decode()
    assert "Tina" not in listing
    assert client.get("/api/v1/wellbeing/alerts").json()["items"] == []


def test_another_institutions_officer_reads_nothing(cast, secret):
    from django.test import Client

    client = Client()
    client.force_login(secret["counsellor_c"])
    for url in _pages(secret, cast)[:3]:
        body = client.get(url).content.decode()
        assert "Panic" not in body and "Tina" not in body
    assert not Notification.objects.filter(user=secret["counsellor_c"]).exists()


def test_the_readers_do_read_it(cast, client_for, secret):
    assert NOTE in client_for("trainee").get(_pages(secret, cast)[0]).content.decode()
    from django.test import Client

    client = Client()
    client.force_login(officer_a(cast))
    assert NOTE in client.get(_pages(secret, cast)[0]).content.decode()
    assert "Spoke about the panic." in client.get(_pages(secret, cast)[1]).content.decode()


def test_audit_entries_carry_no_health_content_and_name_no_one(cast, secret):
    types = [
        ContentType.objects.get_for_model(m)
        for m in (models.CheckIn, models.WellbeingAlert, models.AdjustmentProposal)
    ]
    events = list(AuditEvent.objects.filter(target_type__in=types))
    assert {e.action for e in events} >= {
        "wellbeing_checkin.submit",
        "wellbeing_alert.acknowledge",
        "wellbeing_alert.note",
        "wellbeing_alert.propose",
    }
    for event in events:
        assert event.changes == {} and event.reason == "" and event.reason_params == {}
        assert "Tina" not in event.target_repr
        worded = describe(event)
        text = f"{worded.action} {worded.changes} {worded.reason}"
        for word in (*SECRETS, "mental", "sleep", "Spoke", "Tina"):
            assert word not in text


def test_the_notification_says_only_that_a_check_in_needs_attention(cast, secret):
    [note] = Notification.objects.filter(kind="wellbeing_attention")
    assert note.user == officer_a(cast)
    assert note.params == {}
    assert notification_text(note) == "A wellbeing check-in needs your attention"


def test_admin_registers_nothing_of_wellbeing_and_shows_nothing(cast, client_for, secret):
    for model in (
        models.CheckIn,
        models.WellbeingAlert,
        models.AlertNote,
        models.TutorConsent,
        models.AdjustmentProposal,
        models.WellbeingOfficer,
        models.WellbeingSettings,
    ):
        assert not admin.site.is_registered(model), model
    client = client_for("admin")
    index = client.get(reverse("admin:index")).content.decode()
    assert "wellbeing" not in index.lower()
    assert client.get("/admin/wellbeing/checkin/").status_code == 404
    audit = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    for word in SECRETS:
        assert word not in audit


def test_after_an_accepted_proposal_the_plan_shows_the_minimum(cast, client_for, secret):
    proposal = secret["alert"].proposals.get()
    services.adjustment_decide(actor=cast.trainee, proposal=proposal, accept=True)
    url = reverse("plans:plan", kwargs={"cultivation_pk": proposal.plan.cultivation_id})
    for actor in ("tutor_a", "tutor_b", "coord_a", "admin"):
        body = client_for(actor).get(url).content.decode()
        assert "Panic" not in body and "panic" not in body, actor
    tutor_page = client_for("tutor_a").get(url).content.decode()
    assert "Fewer night shifts." in tutor_page  # the officer's sentence, by plans' own rule
    events = AuditEvent.objects.filter(action="plan.revise")
    assert all("night" not in e.reason for e in events)
