"""Requests the API cannot serve get a JSON 4xx that says what is wrong — never a 500, never
an HTML page."""

import pytest
from django.test import Client

from tandem.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

CSRF = "a" * 32


def _session(cast, user="coord_a"):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=CSRF)
    client.force_login(getattr(cast, user))
    client.cookies["csrftoken"] = CSRF
    return client


@pytest.mark.parametrize("debug", [False, True])
def test_session_post_as_multipart_without_boundary_gets_400(cast, settings, debug):
    settings.DEBUG = debug
    response = _session(cast).generic(
        "POST", "/api/v1/accounts/tokens", data=b"name=ci", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "multipart" in response.json()["detail"]


def test_json_body_over_the_limit_gets_413(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'
    _token, key = api_token_create(actor=cast.coord_a, name="sync")
    token = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    for client in (_session(cast), token):
        response = client.post(
            "/api/v1/accounts/tokens", data=body, content_type="application/json"
        )
        assert response.status_code == 413
        assert response.json()["detail"].startswith("The request body is too large")


def test_a_page_post_as_multipart_without_boundary_gets_400_not_500(cast):
    response = _session(cast).generic(
        "POST", "/institutions/new/", data=b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/people/not-a-number",
        "/api/v1/no-such-thing",
        "/api/v1/funds/1/nope",
        "/api/v2/",
    ],
)
def test_an_api_path_that_matches_nothing_gets_a_json_404(cast, path):
    session = Client(enforce_csrf_checks=True)
    session.force_login(cast.coord_a)
    for method in ("get", "post", "put", "delete"):
        response = getattr(session, method)(path)
        assert response.status_code == 404, method
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Not found.", "errors": {}}


def test_tutor_load_of_a_tutor_with_trainees_answers_its_schema(cast, client_for):
    from tandem.cultivation.tests.factories import cultivation_in

    cultivation_in(cast, "active")
    response = client_for("coord_b").get(
        f"/api/v1/cultivation/tutors/{cast.tutor_b.pk}/load", {"year": 2026}
    )
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == [
        {"institution": cast.inst_a.name, "kind": "Doctoral", "n": 1}
    ]


def test_the_size_limit_is_explained_in_chinese(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = _session(cast)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        "/api/v1/accounts/tokens",
        data='{"name": "' + "x" * 2000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "请求正文过大：最多 1000\xa0字节。"


def test_a_method_the_path_does_not_take_gets_a_json_405(cast, client_for):
    response = client_for("coord_a").delete("/api/v1/accounts/me")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["detail"] == "This path does not take that method; it takes GET."


def test_a_server_error_in_the_api_is_still_json(cast, client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("planted")

    monkeypatch.setattr("tandem.accounts.selectors.api_token_list_for", broken)
    client = client_for("coord_a")
    client.raise_request_exception = False
    response = client.get("/api/v1/accounts/tokens")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side; the error is logged. Try again later.",
        "errors": {},
    }


@pytest.mark.django_db
def test_a_nul_character_in_a_query_parameter_is_named_not_a_server_error(client):
    """PostgreSQL cannot compare a text with NUL in it; found by the API fuzz test on
    /api/v1/visits/practices?specialty=…%00…"""
    api = client.get("/api/v1/visits/practices", {"specialty": "a\x00b"})
    assert api.status_code == 400
    assert api.json()["errors"] == {
        "specialty": ["Remove the NUL character from the parameter “specialty”."]
    }
    page = client.get("/accounts/login/", {"next": "/\x00"})
    assert page.status_code == 400
    assert "Remove the NUL character from the parameter “next”." in page.content.decode()
