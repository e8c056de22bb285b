"""Project-wide test fixtures: the fixed cast, clients signed in as each member of it."""

import pytest
from django.test import Client
from django.utils import translation

from tandem.core.tests.cast import Cast, build_cast


@pytest.fixture(autouse=True)
def _english_unless_asked(settings, tmp_path):
    # Requests activate a person's language in the worker thread and Django leaves it active;
    # every test starts in English so that one test's Chinese page cannot change the next.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    # Argon2 is the production hasher (tested on its own); tests log people in thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast):
    """client_for("coord_a") -> a Client signed in as that member of the cast."""

    def make(actor: str) -> Client:
        client = Client()
        user = cast.actor(actor)
        if user is not None:
            client.force_login(user)
        return client

    return make


pytest_plugins = ["tandem.core.tests.browser", "tandem.imports.tests.worker"]
