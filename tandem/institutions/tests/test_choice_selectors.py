"""The institution and unit choice lists (docs/decisions/077) against an oracle: the reach
rules worked out in plain Python from every membership and agreement, for the whole cast and
for the rows that tend to be forgotten (an inactive institution, an ended membership, an
agreement that is only a draft)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory
from tandem.agreements.tests.factories import AgreementFactory, AgreementPartyFactory
from tandem.core.tests.cast import ACTORS
from tandem.core.tests.reach_oracle import active_memberships, is_admin, own_ids, reach_ids
from tandem.institutions import selectors
from tandem.institutions.models import Institution, Unit
from tandem.institutions.tests.factories import InstitutionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _all() -> set[int]:
    return set(Institution.objects.values_list("pk", flat=True))


def _ids(queryset) -> set[int]:
    return {row.pk for row in queryset}


@pytest.fixture
def world(cast):
    """The cast, plus an inactive institution in a draft with A, an ended coordinator role at C
    for coord_a and a unit at B and at C."""
    closed = InstitutionFactory(name="Closed College", is_active=False)
    draft = AgreementFactory(title="A and the closed college (draft)", created_by=cast.coord_a)
    for institution in (cast.inst_a, closed):
        AgreementPartyFactory(agreement=draft, institution=institution)
    MembershipFactory(
        user=cast.coord_a, role=Role.COORDINATOR, institution=cast.inst_c, is_active=False
    )
    UnitFactory(institution=cast.inst_b, name="Ward B")
    UnitFactory(institution=cast.inst_c, name="Lab C")
    return cast, closed


@pytest.mark.parametrize("name", ACTORS)
def test_choice_lists_match_the_oracle(world, name):
    cast, closed = world
    user = cast.actor(name) or AnonymousUser()
    admin = is_admin(user)
    has_role = bool(active_memberships(user))
    directory = _all() if has_role else set()
    assert _ids(selectors.institution_choices_for(user)) == directory - {closed.pk}
    assert _ids(selectors.institution_list_in_reach_of(user)) == (
        directory if admin else reach_ids(user)
    )
    assert _ids(selectors.institution_list_coordinated_by(user)) == (
        directory if admin else own_ids(user, Role.COORDINATOR)
    )
    assert _ids(selectors.institution_list_organizable_by(user)) == (
        directory if admin else own_ids(user, Role.TUTOR, Role.COORDINATOR)
    )
    seen_units = {u.pk for u in Unit.objects.all() if admin or u.institution_id in reach_ids(user)}
    every = selectors.institution_list_visible_to(user)
    assert _ids(selectors.unit_choices_for(user, every)) == seen_units


@pytest.mark.parametrize("name", ACTORS)
def test_an_institution_out_of_reach_answers_like_a_missing_one(world, name):
    cast, _closed = world
    user = cast.actor(name) or AnonymousUser()
    for institution in (cast.inst_a, cast.inst_b, cast.inst_c):
        found = selectors.institution_in_reach_or_none(user, institution.pk)
        in_reach = is_admin(user) or institution.pk in reach_ids(user)
        assert found == (institution if in_reach else None), institution
    assert selectors.institution_in_reach_or_none(user, 987654) is None
    assert selectors.institution_in_reach_or_none(user, 2**70) is None


def test_an_ended_role_does_notreach_ids(world):
    cast, _closed = world
    assert cast.inst_c not in selectors.institution_list_coordinated_by(cast.coord_a)
    assert selectors.institution_in_reach_or_none(cast.coord_a, cast.inst_c.pk) is None


def test_parent_choices_exclude_the_institution_itself(world):
    cast, closed = world
    new = _ids(selectors.institution_parent_choices(cast.admin, None))
    assert closed.pk not in new and cast.inst_a.pk in new
    existing = _ids(selectors.institution_parent_choices(cast.admin, cast.inst_a))
    assert cast.inst_a.pk not in existing and closed.pk in existing


def test_unit_parents_stay_within_the_institution_and_its_viewers(world):
    cast, _closed = world
    lab_b2 = UnitFactory(institution=cast.inst_a, name="Second lab")
    assert _ids(selectors.unit_parent_choices(cast.coord_a, cast.inst_a, None)) == {
        cast.lab_a.pk,
        lab_b2.pk,
    }
    assert _ids(selectors.unit_parent_choices(cast.coord_a, cast.inst_a, cast.lab_a)) == {lab_b2.pk}
    assert _ids(selectors.unit_parent_choices(cast.outsider, cast.inst_a, None)) == set()
