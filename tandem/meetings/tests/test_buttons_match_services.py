"""The series form's choice lists and `series_create` agree: the institutions offered are
where the service lets the user organize, the people offered are whom it lets them invite
(docs/decisions/077)."""

import datetime

import pytest

from tandem.accounts.models import Role
from tandem.core.tests.agreeing import ACTING, accepted, outcome
from tandem.meetings import services
from tandem.meetings.forms import organizing_institutions, people_with_role

pytestmark = pytest.mark.django_db


def _create(user, institution, **people):
    first = datetime.date(2026, 3, 2)
    return services.series_create(
        actor=user,
        institution=institution,
        title="Debriefing",
        time_zone="Asia/Shanghai",
        first_date=first,
        start_time=datetime.time(14, 0),
        until=first + datetime.timedelta(days=28),
        location="Room 1",
        **people,
    )


@pytest.mark.parametrize("name", ACTING)
def test_institutions_offered_are_where_the_service_lets_one_organize(cast, name):
    user = cast.actor(name)
    offered = set(organizing_institutions(user))
    for institution in (cast.inst_a, cast.inst_b, cast.inst_c):
        # No one invited: the permission is asked first, "invite a trainee" only after it.
        result = outcome(user, lambda i=institution: _create(user, i))
        assert (institution in offered) == (result != "forbidden"), (institution, result)


@pytest.mark.parametrize("name", ["admin", "coord_a", "tutor_a", "tutor_b", "outsider"])
def test_people_offered_are_whom_the_service_lets_one_invite(cast, name):
    user = cast.actor(name)
    institution = next(iter(organizing_institutions(user)))
    trainees = set(people_with_role(user, Role.TRAINEE))
    tutors = set(people_with_role(user, Role.TUTOR))
    people = (cast.trainee, cast.resident, cast.tutor_a, cast.tutor_b, cast.outsider)
    for person in people:
        done = accepted(user, lambda p=person: _create(user, institution, trainees=[p]))
        assert (person in trainees) == done, ("trainees", person)
    for trainee in list(trainees)[:1]:  # a tutor is invited along with a trainee
        for person in people:
            if person != user:
                done = accepted(
                    user,
                    lambda p=person, t=trainee: _create(
                        user, institution, trainees=[t], tutors=[p]
                    ),
                )
                assert (person in tutors) == done, ("tutors", person)
