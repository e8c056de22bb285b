import pytest

from tandem.resources import selectors
from tandem.resources.tests.factories import ResourceOpeningFactory
from tandem.resources.tests.helpers import end_agreement

pytestmark = pytest.mark.django_db


def _names(user):
    return set(selectors.resource_list_visible_to(user).values_list("name", flat=True))


def test_outsider_sees_only_their_own_resource(cast):
    assert _names(cast.outsider) == {"Sequencing platform"}


def test_partner_coordinator_sees_what_is_opened_to_them_and_their_own(cast):
    assert _names(cast.coord_b) == {"Confocal microscope", "Flow cytometer"}


def test_trainee_at_a_sees_a_resource_but_not_b_closed_one(cast):
    assert _names(cast.trainee) == {"Confocal microscope"}


def test_admin_sees_everything(cast):
    assert _names(cast.admin) == {"Confocal microscope", "Flow cytometer", "Sequencing platform"}


def test_opening_under_a_draft_agreement_does_not_share(cast):
    ResourceOpeningFactory(
        resource=cast.resource_b_closed, agreement=cast.draft_ab, partner=cast.inst_a
    )
    assert "Flow cytometer" not in _names(cast.trainee)


def test_opening_stops_sharing_when_the_agreement_is_terminated(cast):
    end_agreement(cast.agreement_ab, cast.coord_b)
    assert _names(cast.coord_b) == {"Flow cytometer"}
    assert "Confocal microscope" in _names(cast.coord_a)  # the owner still sees it


def test_opening_to_another_partner_does_not_share_with_me(cast):
    ResourceOpeningFactory(
        resource=cast.resource_c, agreement=cast.agreement_ab, partner=cast.inst_a
    )  # C is no party; A sees it, B does not
    assert "Sequencing platform" not in _names(cast.coord_b)


def test_partner_sees_only_the_openings_that_concern_them(cast):
    from tandem.institutions.tests.factories import InstitutionFactory

    other = InstitutionFactory()
    ResourceOpeningFactory(resource=cast.resource_a, agreement=cast.agreement_ab, partner=other)
    assert selectors.opening_list_visible_to(cast.coord_a, cast.resource_a).count() == 2
    partners = {o.partner for o in selectors.opening_list_visible_to(cast.coord_b, cast.resource_a)}
    assert partners == {cast.inst_b}
    assert selectors.opening_list_visible_to(cast.trainee, cast.resource_a).count() == 0


def test_list_is_one_query(cast, django_assert_num_queries):
    selectors.resource_list_visible_to(cast.coord_b)  # warm the per-request membership cache
    with django_assert_num_queries(1):
        list(selectors.resource_list_visible_to(cast.coord_b))
