"""An objector's name is the committee's to know: never on the public announcement (page or
API), never shown to the nominee, the nominator or the round's managers outside the
committee, never in the nomination's history or in a notification. The outsider (a third
institution) reads the announcement, published to the whole consortium (decision 110), but gets
the same 404 as for what does not exist on the round and the nomination; a trainee who tries to
nominate gets 403."""

import pytest
from django.urls import reverse

from tandem.alerts.models import Notification
from tandem.core.audit import audit_history
from tandem.rewards.tests.factories import nomination_in, objection_of

pytestmark = pytest.mark.django_db
OBJECTOR = "Rui Resident"  # cast.resident


@pytest.fixture
def objected(cast):
    nomination = nomination_in(cast, "objected")
    objection_of(cast)
    return nomination


@pytest.mark.parametrize("actor", ["trainee", "tutor_b", "coord_b", "resident", "admin"])
def test_the_announcement_page_never_names_the_objector(objected, client_for, actor):
    page = client_for(actor).get(reverse("rewards:announcement", kwargs={"pk": objected.round_id}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tina Trainee" in text  # the awarded nominee is public
    assert "1 objection (1 unanswered)" in text
    if actor != "resident":  # the objector sees their own objection, not their name
        assert OBJECTOR not in text
        assert "another student" not in text


@pytest.mark.parametrize("actor", ["trainee", "tutor_b", "admin"])
def test_the_nominee_nominator_and_managers_do_not_see_who_objected(objected, client_for, actor):
    page = client_for(actor).get(reverse("rewards:nomination_detail", kwargs={"pk": objected.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "mostly by another student" in text  # the grounds, to answer them
    assert OBJECTOR not in text
    api = client_for(actor).get(f"/api/v1/rewards/nominations/{objected.pk}/objections")
    assert api.status_code == 200
    assert api.json()[0]["objector_id"] is None


def test_the_committee_sees_who_objected(objected, client_for, cast):
    page = client_for("coord_a").get(
        reverse("rewards:nomination_detail", kwargs={"pk": objected.pk})
    )
    assert OBJECTOR in page.content.decode()
    api = client_for("coord_a").get(f"/api/v1/rewards/nominations/{objected.pk}/objections")
    assert api.json()[0]["objector_id"] == cast.resident.pk


def test_the_announcement_api_and_history_and_notifications_name_no_objector(
    objected, client_for, cast
):
    api = client_for("trainee").get(f"/api/v1/rewards/rounds/{objected.round_id}/announcement")
    assert api.status_code == 200
    assert OBJECTOR not in api.content.decode()
    assert api.json()["awards"][0]["objections"] == 1
    actors = {event.actor_id for event in audit_history(objected)}
    assert cast.resident.pk not in actors
    for note in Notification.objects.filter(user=cast.trainee):
        assert note.params == {}


def test_outsider_gets_404(objected, client_for):
    outsider = client_for("outsider")
    for url in (
        reverse("rewards:round_detail", kwargs={"pk": objected.round_id}),
        reverse("rewards:nomination_detail", kwargs={"pk": objected.pk}),
        f"/api/v1/rewards/nominations/{objected.pk}",
    ):
        assert outsider.get(url).status_code == 404, url
    missing = outsider.get(reverse("rewards:nomination_detail", kwargs={"pk": 987654}))
    assert missing.status_code == 404


def test_wrong_role_gets_403(cast, client_for):
    round_ = nomination_in(cast, "open").round
    page = client_for("trainee").get(reverse("rewards:nomination_new", kwargs={"pk": round_.pk}))
    assert page.status_code == 403
    vote = client_for("trainee").post(
        reverse("rewards:nomination_vote", kwargs={"pk": nomination_in(cast, "open").pk}),
        {"choice": "for"},
    )
    assert vote.status_code == 403
