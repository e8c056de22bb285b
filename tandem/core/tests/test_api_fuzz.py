"""Property-based API test: schemathesis generates requests from our own OpenAPI document.

Whatever it sends, the API answers with a documented 4xx or a success — never a 500 — and
responses conform to their schemas.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.api import api
from tandem.accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's own test client suspends this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
APP = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_api_never_answers_with_a_server_error(case, cast):
    # The cast lives for all examples of one operation: one token for all of them.
    key = getattr(cast, "fuzz_key", None)
    if key is None:
        _token, key = api_token_create(actor=cast.coord_a, name="fuzz")
        cast.fuzz_key = key
    response = case.call(app=APP, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    )
