"""Who sees whom: own institutions, partners through active agreements, trainees see staff."""

import pytest
from django.http import Http404

from tandem.accounts import selectors
from tandem.accounts.tests.factories import MembershipFactory, UserFactory


def _names(user):
    return set(selectors.person_list_visible_to(user).values_list("username", flat=True))


@pytest.mark.django_db
def test_admin_sees_everyone(cast):
    assert len(_names(cast.admin)) == 8


@pytest.mark.django_db
def test_coordinator_sees_own_and_partner_institutions_but_not_outsiders(cast):
    assert _names(cast.coord_a) == {
        "coord_a",
        "coord_b",
        "tutor_a",
        "tutor_b",
        "trainee",
        "resident",
    }


@pytest.mark.django_db
def test_outsider_sees_only_their_own_institution(cast):
    assert _names(cast.outsider) == {"outsider"}
    with pytest.raises(Http404):
        selectors.person_get_for_user_or_404(cast.outsider, cast.trainee.pk)


@pytest.mark.django_db
def test_trainee_sees_themself_and_staff_but_not_other_trainees(cast):
    assert _names(cast.trainee) == {"trainee", "coord_a", "coord_b", "tutor_a", "tutor_b"}
    with pytest.raises(Http404):
        selectors.person_get_for_user_or_404(cast.trainee, cast.resident.pk)


@pytest.mark.django_db
def test_an_agreement_that_is_not_active_does_not_make_partners(cast):
    from tandem.agreements.models import Agreement

    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(status="draft")
    assert "tutor_b" not in _names(cast.coord_a)


@pytest.mark.django_db
def test_ended_memberships_do_not_give_visibility(cast):
    former = UserFactory(username="former")
    MembershipFactory(user=former, institution=cast.inst_a, role="teacher", is_active=False)
    assert "former" not in _names(cast.coord_a)


@pytest.mark.django_db
def test_filter_by_role_and_search(cast):
    people = selectors.person_list_visible_to(cast.coord_a)
    tutors = selectors.person_filter(people, role="tutor")
    assert set(tutors.values_list("username", flat=True)) == {"tutor_a", "tutor_b"}
    found = selectors.person_filter(people, search="tina")
    assert list(found.values_list("username", flat=True)) == ["trainee"]
    at_b = selectors.person_filter(people, institution_id=cast.inst_b.pk)
    assert set(at_b.values_list("username", flat=True)) == {"coord_b", "tutor_b"}


@pytest.mark.django_db
def test_person_in_two_institutions_is_listed_once(cast):
    MembershipFactory(user=cast.tutor_a, institution=cast.inst_b, role="teacher")
    usernames = list(
        selectors.person_list_visible_to(cast.coord_a).values_list("username", flat=True)
    )
    assert usernames.count("tutor_a") == 1
