import pytest

from tandem.milestones.tests.factories import build_milestone_world


@pytest.fixture
def mw(cast):
    return build_milestone_world(cast)
