"""The shared resolution of ids named in a request: through the caller's selectors, "Not found."
per field, the same for an id out of reach as for one that names nothing."""

import pytest

from tandem.accounts.models import User
from tandem.accounts.selectors import person_get_visible_or_none, person_list_visible_to
from tandem.core.errors import ValidationError
from tandem.core.lookups import IdResolver, resolve_one


def test_a_person_out_of_reach_resolves_like_nobody(cast):
    assert person_get_visible_or_none(cast.outsider, cast.tutor_a.pk) is None
    assert person_get_visible_or_none(cast.outsider, 987654) is None
    assert person_get_visible_or_none(cast.coord_b, cast.tutor_a.pk) == cast.tutor_a


def test_ids_too_large_for_the_database_name_nothing(cast):
    assert person_get_visible_or_none(cast.admin, 2**70) is None
    assert person_get_visible_or_none(cast.admin, -1) is None


def test_every_field_not_found_is_named_at_once(cast):
    people = person_list_visible_to(cast.outsider)
    ids = IdResolver()
    assert ids.one("owner", people, cast.tutor_a.pk) is None
    assert ids.many("trainees", people, [cast.outsider.pk, 987654]) == [cast.outsider]
    assert ids.one("reviewer", people, None) is None  # not given: no error
    with pytest.raises(ValidationError) as caught:
        ids.check()
    assert caught.value.message_dict == {"owner": ["Not found."], "trainees": ["Not found."]}


def test_visible_ids_resolve_in_the_order_given(cast):
    people = person_list_visible_to(cast.admin)
    ids = IdResolver()
    wanted = [cast.trainee.pk, cast.tutor_a.pk, cast.trainee.pk]
    assert ids.many("people", people, wanted) == [cast.trainee, cast.tutor_a]
    ids.check()
    assert resolve_one("person", User.objects.all(), cast.tutor_b.pk) == cast.tutor_b
