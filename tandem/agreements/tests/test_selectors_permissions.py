import pytest
from django.http import Http404

from tandem.agreements import permissions, selectors, services
from tandem.agreements.models import AgreementStatus


def test_outsider_sees_none_of_a(cast):
    visible = set(selectors.agreement_list_visible_to(cast.outsider))
    assert visible == {cast.agreement_c}
    with pytest.raises(Http404):
        selectors.agreement_get_for_user_or_404(cast.outsider, cast.agreement_ab.pk)


def test_missing_and_not_yours_give_the_same_404(cast):
    for pk in (cast.agreement_ab.pk, 999999):
        with pytest.raises(Http404):
            selectors.agreement_get_for_user_or_404(cast.outsider, pk)


@pytest.mark.parametrize("actor", ["coord_a", "tutor_b", "trainee", "resident"])
def test_any_role_at_a_party_sees_its_agreements(cast, actor):
    visible = set(selectors.agreement_list_visible_to(cast.actor(actor)))
    assert visible == {cast.agreement_ab, cast.draft_ab}


def test_admin_sees_everything(cast):
    assert selectors.agreement_list_visible_to(cast.admin).count() == 3


def test_awaiting_signature_drops_once_signed(cast):
    assert list(selectors.agreement_list_awaiting_signature_of(cast.coord_a)) == [cast.draft_ab]
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    assert list(selectors.agreement_list_awaiting_signature_of(cast.coord_a)) == []
    assert list(selectors.agreement_list_awaiting_signature_of(cast.coord_b)) == [cast.draft_ab]
    assert list(selectors.agreement_list_awaiting_signature_of(cast.tutor_a)) == []


def test_versions_chain_lists_old_and_new(cast):
    amendment = services.agreement_amend(
        actor=cast.coord_a, agreement=cast.agreement_ab, reason="x"
    )
    assert selectors.agreement_versions(cast.coord_b, amendment) == [cast.agreement_ab, amendment]
    assert [v.pk for v in selectors.agreement_versions(cast.coord_b, cast.agreement_ab)] == [
        cast.agreement_ab.pk,
        amendment.pk,
    ]


def test_permissions_follow_role_and_state(cast):
    ab, draft = cast.agreement_ab, cast.draft_ab
    assert permissions.can_create_agreement(cast.coord_a)
    assert not permissions.can_create_agreement(cast.tutor_a)
    assert permissions.can_edit_agreement(cast.coord_b, draft)
    assert not permissions.can_edit_agreement(cast.coord_b, ab)
    assert not permissions.can_edit_agreement(cast.trainee, draft)
    assert permissions.can_sign_agreement(cast.coord_a, draft)
    assert not permissions.can_sign_agreement(cast.admin, draft)
    assert not permissions.can_sign_agreement(cast.coord_a, ab)
    assert permissions.can_amend_agreement(cast.admin, ab)
    assert not permissions.can_amend_agreement(cast.tutor_a, ab)
    assert permissions.can_terminate_agreement(cast.coord_b, ab)
    assert not permissions.can_terminate_agreement(cast.coord_b, draft)
    assert permissions.can_withdraw_agreement(cast.coord_a, draft)
    assert not permissions.can_manage_agreement(cast.outsider, ab)


def test_cannot_amend_while_an_amendment_is_open(cast):
    services.agreement_amend(actor=cast.coord_a, agreement=cast.agreement_ab, reason="x")
    agreement = selectors.agreement_get_for_user_or_404(cast.coord_a, cast.agreement_ab.pk)
    assert permissions.has_open_amendment(agreement)
    assert not permissions.can_amend_agreement(cast.coord_a, agreement)


def test_activation_makes_partners(cast):
    from tandem.core import tenancy

    services.agreement_terminate(actor=cast.coord_a, agreement=cast.agreement_ab, reason="x")
    tenancy.forget(cast.coord_a)
    assert tenancy.partner_institution_ids(cast.coord_a) == set()
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    agreement = services.agreement_sign(actor=cast.coord_b, agreement=cast.draft_ab)
    assert agreement.status == AgreementStatus.ACTIVE
    tenancy.forget(cast.coord_a)
    assert tenancy.partner_institution_ids(cast.coord_a) == {cast.inst_b.pk}
