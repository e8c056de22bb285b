"""Property-based API test: schemathesis generates requests from our own OpenAPI document.

Whatever it sends, the API keeps its contract: no 500, only documented status codes, and every
response matches its documented content type and schema. A planted bug (an undocumented
status, a response that breaks its schema, a 500) makes the same checks fail.
"""

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import path
from hypothesis import HealthCheck, given, settings
from ninja import Router, Schema
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config import urls as project_urls
from config.api import api
from tandem.accounts.api_auth import API_AUTH
from tandem.core.api import TandemAPI, install_error_handlers

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation. Each planted bug below is found by the first example (measured; the
# test allows 3). 8 examples over the 178 operations take about 6 minutes on 2 busy cores.
EXAMPLES = 8
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
APP = get_wsgi_application()


def load_schema(ninja_api, prefix):
    schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix=prefix))
    # The coverage phase sends every boundary value of every parameter: tens of thousands of
    # requests. Fuzzing with the examples above finds the same classes of bugs in minutes.
    schema.config.phases.coverage.enabled = False
    return schema


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's own test client suspends this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CSRF = "fuzz" * 8


def call_and_check(case, session_key):
    # Signed in with a session and a CSRF token, as the pages' scripts are: the path on which
    # Django reads the body before the API does (tokens skip the CSRF check).
    response = case.call(
        app=APP,
        headers={"X-CSRFToken": CSRF},
        cookies={settings_module.SESSION_COOKIE_NAME: session_key, "csrftoken": CSRF},
    )
    case.validate_response(response, checks=CHECKS)


def _fuzz_session(cast):
    # The cast lives for all examples of one operation: one session for all of them.
    key = getattr(cast, "fuzz_session", None)
    if key is None:
        client = Client()
        client.force_login(cast.coord_a)
        key = cast.fuzz_session = client.cookies[settings_module.SESSION_COOKIE_NAME].value
    return key


schema = load_schema(api, "/api/v1/")


@schema.parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_api_keeps_its_contract(case, cast):
    call_and_check(case, _fuzz_session(cast))


# --- The checks catch a planted bug -------------------------------------------------------------

planted_router = Router()


class PlantedOut(Schema):
    count: int


@planted_router.get("/mismatch", response={200: PlantedOut}, operation_id="planted_mismatch")
def planted_mismatch(request, n: int = 0):
    # Declared as an integer, answered as a string: ninja does not check dicts it is told
    # to trust, so build the body by hand the way a careless view would.
    return planted.create_response(request, {"count": "many"}, status=200)


@planted_router.get("/crash", response={200: PlantedOut}, operation_id="planted_crash")
def planted_crash(request, n: int = 0):
    raise RuntimeError("planted")


@planted_router.get("/teapot", response={200: PlantedOut}, operation_id="planted_teapot")
def planted_teapot(request, n: int = 0):
    return planted.create_response(request, {"detail": "planted", "errors": {}}, status=418)


planted = TandemAPI(urls_namespace="planted-api", auth=API_AUTH)
install_error_handlers(planted)
planted.add_router("/", planted_router)
# The project's own URLs and error handlers stay in place, as in production: the 500 page links
# to the dashboard, and a planted crash must be answered the way a real one is.
urlpatterns = [path("api/planted/", planted.urls), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation_id, expected",
    [
        ("planted_mismatch", "JsonSchemaError"),
        ("planted_crash", "ServerError"),
        ("planted_teapot", "UndefinedStatusCode"),
    ],
)
def test_the_checks_catch_a_planted_bug(cast, operation_id, expected):
    operation = load_schema(planted, "/api/planted/").find_operation_by_id(operation_id)
    key = _fuzz_session(cast)
    calls = []

    @given(case=operation.as_strategy())
    @FUZZ_SETTINGS
    def fuzz(case):
        calls.append(case)
        call_and_check(case, key)

    with pytest.raises(FailureGroup) as failure:
        fuzz()
    assert expected in [type(found).__name__ for found in failure.value.exceptions]
    # Found on the first example, well within the EXAMPLES each operation gets.
    assert len(calls) <= 3, len(calls)
