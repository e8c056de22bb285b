import pytest

from tandem.faculty.tests.factories import build_facworld


@pytest.fixture
def fw(cast):
    return build_facworld(cast)
