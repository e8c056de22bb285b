"""The demo's exchange visit: the cancer hospital visits the university hospital with all eight
bases, practices shared, actions in every state (one overdue), the return visit planned and
starting with them, and nothing added on a second run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.visits import selectors
from tandem.visits.demo import RETURN_TITLE, TITLE
from tandem.visits.models import Action, ActionStatus, Practice, Session, Visit


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_visit_has_eight_bases_practices_and_actions_in_every_state(client):
    call_command("seed_demo", stdout=io.StringIO())
    visit = Visit.objects.get(title=TITLE)
    assert (visit.host.code, visit.visiting.code, visit.status) == ("wuh", "ech", "held")
    sessions = Session.objects.filter(visit=visit)
    assert sessions.count() == 8
    assert all(s.host_base and s.visiting_base and s.minutes for s in sessions)
    assert Practice.objects.filter(visit=visit, institution__code="ech").exists()
    assert Practice.objects.filter(visit=visit, institution__code="wuh").exists()
    actions = Action.objects.filter(visit=visit)
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)
    assert any(a.is_overdue for a in actions)
    later = Visit.objects.get(title=RETURN_TITLE)
    coord_ech = User.objects.get(username="coord.ech")
    review = selectors.review_of_previous(coord_ech, later)
    assert review["previous"] == visit and review["open"] and review["closed"]
    director = User.objects.get(username="director.wuh.im")
    assert selectors.visit_list_visible_to(director).filter(pk=visit.pk).exists()
    client.force_login(coord_ech)
    assert client.get(f"/visits/{later.pk}/").status_code == 200
    counts = (Visit.objects.count(), Action.objects.count(), Practice.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Visit.objects.count(), Action.objects.count(), Practice.objects.count()) == counts
