"""The people choice lists (docs/decisions/077) against an oracle worked out in plain Python:
someone holding the role, actively, at one of the user's own or partner institutions, and
visible to the user at all."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tandem.accounts import selectors
from tandem.accounts.models import Membership, Role, User
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.core.tests.cast import ACTORS
from tandem.core.tests.reach_oracle import is_admin, reach_ids

pytestmark = pytest.mark.django_db


def _holders(user, role: str) -> set[int]:
    if not user.is_authenticated:
        return set()
    admin = is_admin(user)
    reach = reach_ids(user)
    return {
        m.user_id
        for m in Membership.objects.all()
        if m.is_active and m.role == role and (admin or m.institution_id in reach)
    }


@pytest.fixture
def world(cast):
    """The cast, plus the people a careless filter lets through: a tutor at the outsider's
    institution who is also a trainee at A, and a tutor at A whose role has ended."""
    mixed = UserFactory(username="mixed", full_name="Max Mixed")
    MembershipFactory(user=mixed, role=Role.TUTOR, institution=cast.inst_c)
    MembershipFactory(user=mixed, role=Role.TRAINEE, institution=cast.inst_a)
    ended = UserFactory(username="ended", full_name="Ed Ended")
    MembershipFactory(user=ended, role=Role.TUTOR, institution=cast.inst_a, is_active=False)
    return cast, mixed, ended


@pytest.mark.parametrize("name", ACTORS)
@pytest.mark.parametrize("role", [Role.TUTOR, Role.TRAINEE, Role.COORDINATOR])
def test_people_with_a_role_match_the_oracle(world, name, role):
    cast, _mixed, _ended = world
    user = cast.actor(name) or AnonymousUser()
    visible = {p.pk for p in selectors.person_list_visible_to(user)}
    found = [p.pk for p in selectors.person_list_with_role_in_reach(user, role)]
    assert len(found) == len(set(found))  # no person twice
    assert set(found) == _holders(user, role) & visible


def test_a_tutor_elsewhere_is_not_offered_for_another_role_at_a_party(world):
    cast, mixed, ended = world
    tutors = set(selectors.person_list_with_role_in_reach(cast.coord_a, Role.TUTOR))
    assert tutors == {cast.tutor_a, cast.tutor_b}
    assert mixed not in tutors and ended not in tutors
    assert mixed in set(selectors.person_list_with_role_in_reach(cast.outsider, Role.TUTOR))


@pytest.mark.parametrize("name", ACTORS)
def test_people_among_ids_are_only_those_the_user_sees(world, name):
    cast, mixed, _ended = world
    user = cast.actor(name) or AnonymousUser()
    everyone = set(User.objects.values_list("pk", flat=True)) | {987654}
    visible = {p.pk for p in selectors.person_list_visible_to(user)}
    named = {cast.tutor_a.pk, cast.outsider.pk, mixed.pk, 987654}
    assert {p.pk for p in selectors.person_list_among(user, named)} == named & visible
    assert {p.pk for p in selectors.person_list_among(user, everyone)} == visible
