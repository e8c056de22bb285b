"""The plan's "sign" button and `plan_version_sign` agree, before and after the first
signature (docs/decisions/077)."""

import pytest

from tandem.core.tests.agreeing import ACTING, accepted, outcome
from tandem.plans import permissions, services
from tandem.plans.models import PlanVersion
from tandem.plans.record_import import joint_record_import
from tandem.plans.tests.factories import draft_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("first_signer", [None, "tutor_a"])
@pytest.mark.parametrize("name", ACTING)
def test_who_sees_the_sign_button_is_who_may_sign(cast, name, first_signer):
    version = draft_plan(cast).versions.get(number=1)
    if first_signer:
        services.plan_version_sign(actor=cast.actor(first_signer), version=version)
    user = cast.actor(name)
    shown = permissions.can_sign_version(user, PlanVersion.objects.get(pk=version.pk))
    done = accepted(
        user,
        lambda: services.plan_version_sign(
            actor=user, version=PlanVersion.objects.get(pk=version.pk)
        ),
    )
    assert shown == done


@pytest.mark.parametrize("name", ACTING)
def test_who_sees_the_import_page_is_who_the_import_lets_through(cast, name):
    user = cast.actor(name)
    # An empty record: the permission is asked first, the format only after it.
    result = outcome(user, lambda: joint_record_import(actor=user, data={}))
    assert permissions.can_import_record(user) == (result != "forbidden"), result
