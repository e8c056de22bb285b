"""Trying to read a discipline case as everyone who must not: another trainee, the tutor of
another trainee, the trainee's own tutors before the decision (and after the sanction is
lifted), a third institution, the consortium admin (counts only, small numbers suppressed) —
through the pages, the letter, the dashboards, notifications, the audit trail and the Django
admin. All fail."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.conduct import models, selectors, services_appeal
from tandem.conduct.tests.factories import decided, open_case, responded, rules
from tandem.core.models import AuditEvent
from tandem.cultivation.tests.factories import (
    TutorAssignmentFactory,
    cultivation_in,
    joint_trainee,
)

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
FACTS = "Figures 2 and 3 of the March report were altered."
SECRETS = ("Figures 2 and 3", "mislabelled", "first offence")


@pytest.fixture
def others(cast):
    """Another joint trainee of A with a tutor of their own, and their client."""
    other = joint_trainee(cast, "other_trainee")
    cultivation = cultivation_in(cast, "active", trainee=other, paired=False)
    other_tutor = UserFactory(username="other_tutor")
    MembershipFactory(user=other_tutor, role=Role.TUTOR, institution=cast.inst_b)
    TutorAssignmentFactory(cultivation=cultivation, tutor=other_tutor, institution=cast.inst_b)
    return {"other_trainee": other, "other_tutor": other_tutor}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _pages(case):
    return [
        reverse("conduct:case_detail", kwargs={"pk": case.pk}),
        reverse("conduct:case_letter", kwargs={"pk": case.pk}),
        reverse("conduct:case_list"),
        reverse("conduct:counts"),
        reverse("dashboard"),
        reverse("alerts:notifications"),
    ]


def _assert_reads_nothing(client, case, who):
    for url in _pages(case):
        body = client.get(url).content.decode("utf-8", "replace")
        for word in SECRETS:
            assert word not in body, f"{who} read {word!r} at {url}"
    assert client.get(_pages(case)[0]).status_code == 404
    assert client.get(_pages(case)[1]).status_code == 404


def test_outsiders_read_nothing_before_the_decision(cast, client_for, others):
    with time_machine.travel(NOW, tick=False):
        case = responded(cast, open_case(cast))
        for name in ("resident", "outsider", "admin", "tutor_a", "tutor_b"):
            _assert_reads_nothing(client_for(name), case, name)
        for name, user in others.items():
            _assert_reads_nothing(_client(user), case, name)


def test_after_the_decision_the_tutors_read_it_and_outsiders_still_do_not(cast, client_for, others):
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
        for name in ("tutor_a", "tutor_b", "trainee", "coord_a", "coord_b"):
            assert client_for(name).get(_pages(case)[0]).status_code == 200, name
        for name in ("resident", "outsider", "admin"):
            _assert_reads_nothing(client_for(name), case, name)
        for name, user in others.items():
            _assert_reads_nothing(_client(user), case, name)


def test_a_lifted_sanction_is_sealed_from_the_tutors(cast, client_for):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
        services_appeal.case_accept(actor=cast.trainee, case=case)
        services_appeal.case_lift(actor=r["members"][1], case=case, reasons="Good.", early=True)
        _assert_reads_nothing(client_for("tutor_a"), case, "tutor_a")
        assert client_for("coord_a").get(_pages(case)[0]).status_code == 200
        assert client_for("trainee").get(_pages(case)[0]).status_code == 200


def test_counts_suppress_small_numbers(cast, client_for, settings):
    settings.CONDUCT_MIN_GROUP = 3
    with time_machine.travel(NOW, tick=False):
        open_case(cast)
        open_case(cast)
        rows = selectors.case_counts_for_admin(cast.admin)
        assert rows[0]["total"] is None and rows[0]["open"] is None
        open_case(cast)
        rows = selectors.case_counts_for_admin(cast.admin)
        assert rows[0]["total"] == 3 and rows[0]["in_force"] is None
        page = client_for("admin").get(reverse("conduct:counts")).content.decode()
        assert "Tina Trainee" not in page
    assert selectors.case_counts_for_admin(cast.tutor_a) == []


def test_audit_and_notifications_carry_no_facts_and_name_no_one(cast, client_for):
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    for event in AuditEvent.objects.filter(action__startswith="conduct_case"):
        text = f"{event.target_repr} {event.reason} {event.changes}"
        assert "Tina" not in text
        for word in SECRETS:
            assert word not in text
    inbox = client_for("trainee").get(reverse("alerts:notifications")).content.decode()
    assert "A discipline case you take part in has a new step" in inbox
    assert case.facts == FACTS


def test_admin_registers_nothing_of_conduct(cast, client_for):
    for model in (
        models.Case,
        models.Evidence,
        models.Vote,
        models.Appeal,
        models.Regulation,
        models.Committee,
    ):
        assert not admin.site.is_registered(model), model
    with time_machine.travel(NOW, tick=False):
        responded(cast, open_case(cast))
    client = client_for("admin")
    assert client.get("/admin/conduct/case/").status_code == 404
    audit = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    for word in SECRETS:
        assert word not in audit
