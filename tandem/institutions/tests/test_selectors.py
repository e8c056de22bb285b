import pytest
from django.utils import timezone

from tandem.agreements.models import AgreementStatus
from tandem.core import tenancy
from tandem.institutions import selectors
from tandem.institutions.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_every_institution_to_every_member(cast):
    for user in (cast.outsider, cast.trainee, cast.coord_b):
        codes = set(selectors.institution_list_visible_to(user).values_list("code", flat=True))
        assert {"wmu", "emu", "nib"} <= codes


def test_outsider_sees_none_of_a_units_but_their_own(cast):
    unit_c = UnitFactory(institution=cast.inst_c)
    assert list(selectors.unit_list_visible_to(cast.outsider)) == [unit_c]


def test_active_partner_and_members_see_a_units(cast):
    for user in (cast.coord_b, cast.tutor_b, cast.trainee, cast.admin):
        assert cast.lab_a in selectors.unit_list_visible_to(user)


def test_units_stop_being_visible_to_partner_when_agreement_ends(cast):
    type(cast.agreement_ab).objects.filter(pk=cast.agreement_ab.pk).update(
        status=AgreementStatus.TERMINATED, end_reason="Funding ended", ended_at=timezone.now()
    )
    tenancy.forget(cast.coord_b)
    assert cast.lab_a not in selectors.unit_list_visible_to(cast.coord_b)
    assert not selectors.can_see_units_of(cast.coord_b, cast.inst_a)
