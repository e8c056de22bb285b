import pytest

from tandem.agreements.models import AgreementStatus
from tandem.core import tenancy


@pytest.mark.django_db
def test_own_and_partner_institutions(cast):
    assert tenancy.own_institution_ids(cast.coord_a) == {cast.inst_a.pk}
    assert tenancy.partner_institution_ids(cast.coord_a) == {cast.inst_b.pk}
    assert tenancy.reach_institution_ids(cast.trainee) == {cast.inst_a.pk, cast.inst_b.pk}


@pytest.mark.django_db
def test_outsider_reaches_only_their_own_institution(cast):
    assert tenancy.reach_institution_ids(cast.outsider) == {cast.inst_c.pk}


@pytest.mark.django_db
def test_a_draft_agreement_makes_no_partners(cast):
    cast.agreement_ab.status = AgreementStatus.TERMINATED
    cast.agreement_ab.end_reason = "test"
    cast.agreement_ab.ended_at = cast.agreement_ab.activated_at
    cast.agreement_ab.save()
    # draft_ab still links A and B, but only active agreements share anything.
    assert tenancy.partner_institution_ids(cast.coord_a) == set()


@pytest.mark.django_db
def test_inactive_memberships_do_not_count(cast):
    cast.coord_a.memberships.update(is_active=False)
    tenancy.forget(cast.coord_a)
    assert tenancy.own_institution_ids(cast.coord_a) == set()
    assert not tenancy.coordinated_institution_ids(cast.coord_a)


@pytest.mark.django_db
def test_sets_are_computed_once_per_request(cast, django_assert_num_queries):
    tenancy.forget(cast.coord_a)
    with django_assert_num_queries(2):
        for _ in range(3):
            tenancy.reach_institution_ids(cast.coord_a)
            tenancy.is_consortium_admin(cast.coord_a)
