"""The "record the outcome" button and `application_decide` agree (docs/decisions/077)."""

import pytest

from tandem.core.tests.agreeing import ACTING, accepted
from tandem.funds import permissions, services_allocation
from tandem.funds.models import ApplicationStatus, JointFundApplication
from tandem.funds.tests.factories import JointFundApplicationFactory
from tandem.plans.tests.factories import cast_cultivation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFTED])
@pytest.mark.parametrize("name", ACTING)
def test_who_sees_the_outcome_button_is_who_may_record_it(cast, name, status):
    user = cast.actor(name)
    application = JointFundApplicationFactory(
        cultivation=cast_cultivation(cast),
        first_tutor=cast.tutor_a,
        second_tutor=cast.tutor_b,
        status=status,
    )
    fresh = JointFundApplication.objects.select_related("cultivation").get(pk=application.pk)
    shown = permissions.can_decide_application(user, fresh)
    done = accepted(
        user,
        lambda: services_allocation.application_decide(
            actor=user, application=application, status="rejected", outcome="Not funded"
        ),
    )
    assert shown == done
