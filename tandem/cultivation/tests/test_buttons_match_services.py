"""The proposal page's check and `cultivation_propose` agree on who may propose for which
home and host (docs/decisions/077)."""

import itertools

import pytest

from tandem.core.tests.agreeing import ACTING, outcome
from tandem.cultivation import permissions
from tandem.cultivation.tests.factories import propose

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ACTING)
def test_who_may_propose_between_two_institutions_is_who_the_service_lets_through(cast, name):
    user = cast.actor(name)
    answers = {}
    for home, host in itertools.permutations((cast.inst_a, cast.inst_b, cast.inst_c), 2):
        allowed = permissions.can_propose_cultivation_between(user, {home.pk, host.pk})
        result = outcome(user, lambda h=home, t=host: propose(cast, actor=user, home=h, host=t))
        answers[(home.code, host.code)] = (allowed, result)
    # The permission is asked before the rules (so an outsider learns nothing from them): it
    # refuses exactly where the predicate says no; under A and B's agreement the rest passes.
    assert all(allowed == (result != "forbidden") for allowed, result in answers.values()), answers
    allowed, result = answers[("wmu", "emu")]
    assert (result == "accepted") == (allowed and permissions.can_propose_cultivation(user))
