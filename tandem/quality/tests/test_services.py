"""Rules the services enforce beyond the pages: no observing one's own activity, supervisors
from the base's hospital only, one observation per supervisor and activity."""

import pytest
from django.core.exceptions import ValidationError

from tandem.quality import services
from tandem.quality.models import Observation, Supervisor

pytestmark = pytest.mark.django_db


def test_supervision_rules(cast, qw):
    base = qw.tw.world.base_a
    with pytest.raises(ValidationError) as refused:
        services.supervisor_designate(actor=cast.coord_a, base=base, user=cast.tutor_b)
    assert "Choose a teacher, tutor, director or coordinator" in str(refused.value)
    services.supervisor_designate(actor=cast.coord_a, base=base, user=cast.tutor_a)
    with pytest.raises(ValidationError):
        services.supervisor_designate(actor=cast.coord_a, base=base, user=cast.tutor_a)
    assert Supervisor.objects.filter(base=base).count() == 2
    with pytest.raises(ValidationError) as own:
        services.observation_start(actor=cast.tutor_a, activity=qw.tw.now)
    assert "own activity" in str(own.value)
    with pytest.raises(ValidationError):
        services.observation_start(actor=cast.coord_a, activity=qw.tw.now)
    assert Observation.objects.count() == 1
