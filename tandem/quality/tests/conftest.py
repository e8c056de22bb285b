import pytest

from tandem.quality.tests.factories import build_qualityworld


@pytest.fixture
def qw(cast):
    return build_qualityworld(cast)
