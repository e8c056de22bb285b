import pytest

from tandem.teaching.tests.factories import build_teachworld


@pytest.fixture
def tw(cast):
    return build_teachworld(cast)
