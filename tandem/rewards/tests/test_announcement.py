"""The announcement (公示) is published to the whole consortium (decision 110): a member of an
institution that neither decides nor shares an agreement with the deciding one (the cast's
outsider, a coordinator at C) reads the announcement, page and API, and lodges an objection,
page and API; they read only what the announcement publishes — the round, its criteria and the
awarded names — never the statement, evidence, votes or objectors, and still get 404 on the
round's own page and the nomination. Someone with no active role in the consortium gets the
same 404 as for an announcement that does not exist."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.rewards.models import Objection
from tandem.rewards.selectors import rewards_dashboard
from tandem.rewards.tests.factories import nomination_in, objection_of

pytestmark = pytest.mark.django_db
STATEMENT = "Two first-author papers"  # the nomination's statement (factories.nominate)
VOTE_COMMENT = "Meets the criteria."


@pytest.fixture
def announced(cast):
    return nomination_in(cast, "announced")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_of_another_institution_reads_the_published_announcement_only(
    announced, client_for
):
    outsider = client_for("outsider")
    page = outsider.get(reverse("rewards:announcement", kwargs={"pk": announced.round_id}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tina Trainee" in text  # the awarded name is published
    assert "Excellent research and conduct" in text  # the criteria: why it is awarded
    assert STATEMENT not in text
    assert VOTE_COMMENT not in text
    assert (
        f'href="{reverse("rewards:round_detail", kwargs={"pk": announced.round_id})}"' not in text
    )
    assert 'name="grounds"' in text  # the objection form is offered

    api = outsider.get(f"/api/v1/rewards/rounds/{announced.round_id}/announcement")
    assert api.status_code == 200
    body = api.json()
    assert body["awards"][0]["nominees"] == ["Tina Trainee"]
    assert body["kind"] == "honour_title"
    assert STATEMENT not in api.content.decode()
    assert "votes_for" not in api.content.decode()
    for url in (
        reverse("rewards:round_detail", kwargs={"pk": announced.round_id}),
        reverse("rewards:nomination_detail", kwargs={"pk": announced.pk}),
        f"/api/v1/rewards/nominations/{announced.pk}",
        f"/api/v1/rewards/rounds/{announced.round_id}",
        f"/api/v1/rewards/nominations/{announced.pk}/objections",
    ):
        assert outsider.get(url).status_code == 404, url


def test_a_member_of_another_institution_objects_on_the_page_and_through_the_api(
    announced, client_for, cast
):
    outsider = client_for("outsider")
    page = outsider.post(
        reverse("rewards:objection_lodge", kwargs={"pk": announced.pk}),
        {"grounds": "The poster prize was a team's, not hers."},
    )
    assert page.status_code == 302
    api = outsider.post(
        f"/api/v1/rewards/nominations/{announced.pk}/objections",
        data={"grounds": "The second paper is another student's."},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert api.json()["objector_id"] is None
    assert Objection.objects.filter(nomination=announced, objector=cast.outsider).count() == 2
    again = outsider.get(reverse("rewards:announcement", kwargs={"pk": announced.round_id}))
    assert "The poster prize was a team" in again.content.decode()  # their own objections


def test_the_committee_sees_the_objector_from_another_institution(announced, client_for, cast):
    client_for("outsider").post(
        reverse("rewards:objection_lodge", kwargs={"pk": announced.pk}), {"grounds": "Doubtful."}
    )
    page = client_for("coord_a").get(
        reverse("rewards:nomination_detail", kwargs={"pk": announced.pk})
    )
    assert cast.outsider.full_name in page.content.decode()


@pytest.fixture(params=["no role", "role ended"])
def stranger(request, cast):
    """Someone signed in with no active role in the consortium (another consortium's, or one
    whose membership has ended)."""
    user = UserFactory(username=f"stranger-{request.param.replace(' ', '-')}")
    if request.param == "role ended":
        MembershipFactory(
            user=user, role=Role.COORDINATOR, institution=cast.inst_c, is_active=False
        )
    return user


def test_someone_outside_the_consortium_gets_404_on_page_and_api(announced, stranger, cast):
    objection_of(cast)  # an objected round too
    client = _client(stranger)
    missing = 987654
    for pk in (announced.round_id, nomination_in(cast, "objected").round_id, missing):
        assert client.get(reverse("rewards:announcement", kwargs={"pk": pk})).status_code == 404
        api = client.get(f"/api/v1/rewards/rounds/{pk}/announcement")
        assert api.status_code == 404
    for pk in (announced.pk, missing):
        page = client.post(
            reverse("rewards:objection_lodge", kwargs={"pk": pk}), {"grounds": "No."}
        )
        assert page.status_code == 404
        api = client.post(
            f"/api/v1/rewards/nominations/{pk}/objections",
            data={"grounds": "No."},
            content_type="application/json",
        )
        assert api.status_code == 404
    assert not Objection.objects.filter(objector=stranger).exists()


def test_the_dashboard_lists_an_announcement_for_every_member(announced, cast):
    assert [r.pk for r in rewards_dashboard(cast.outsider)["announced"]] == [announced.round_id]


def test_the_round_list_names_the_announcements_of_the_consortium(announced, client_for):
    page = client_for("outsider").get(reverse("rewards:round_list"))
    text = page.content.decode()
    assert reverse("rewards:announcement", kwargs={"pk": announced.round_id}) in text
    assert (
        f'href="{reverse("rewards:round_detail", kwargs={"pk": announced.round_id})}"' not in text
    )
