import pytest
from django.test import Client

from tandem.accounts.services import api_token_create, api_token_revoke


@pytest.mark.django_db
def test_token_authenticates_as_its_owner(cast):
    _token, key = api_token_create(actor=cast.coord_a, name="sync")
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "coord_a"
    header = Client().get("/api/v1/accounts/me", HTTP_X_API_TOKEN=key)
    assert header.json()["username"] == "coord_a"


@pytest.mark.django_db
def test_revoked_or_wrong_token_gets_401(cast):
    token, key = api_token_create(actor=cast.coord_a, name="sync")
    api_token_revoke(actor=cast.coord_a, token=token)
    for value in (key, "tdm_not-a-real-token"):
        response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {value}")
        assert response.status_code == 401
        assert "detail" in response.json()


@pytest.mark.django_db
def test_token_secret_is_not_stored(cast):
    token, key = api_token_create(actor=cast.coord_a, name="sync")
    assert key not in (token.key_hash, token.prefix)
    assert len(token.key_hash) == 64


@pytest.mark.django_db
def test_bad_json_gets_field_errors_not_500(cast, client_for):
    response = client_for("coord_a").post(
        "/api/v1/accounts/tokens", data="{}", content_type="application/json"
    )
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    response = client_for("coord_a").post(
        "/api/v1/accounts/tokens", data='{"name": "  "}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Give the token a name."]}


@pytest.mark.django_db
def test_openapi_document_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Tandem API"


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_not_found(cast, client_for):
    client = client_for("coord_a")
    huge = 2**70
    assert client.get(f"/api/v1/institutions/{huge}").status_code == 404
    assert client.get(f"/institutions/{huge}/").status_code == 404


@pytest.mark.django_db
def test_a_token_writes_without_csrf_but_a_session_needs_it(cast):
    _token, key = api_token_create(actor=cast.coord_a, name="sync")
    strict = Client(enforce_csrf_checks=True)
    for header in ({"HTTP_AUTHORIZATION": f"Bearer {key}"}, {"HTTP_X_API_TOKEN": key}):
        response = strict.post(
            "/api/v1/accounts/tokens",
            data='{"name": "ci"}',
            content_type="application/json",
            **header,
        )
        assert response.status_code == 201, response.content
    session = Client(enforce_csrf_checks=True)
    session.force_login(cast.coord_a)
    response = session.post(
        "/api/v1/accounts/tokens", data='{"name": "ci"}', content_type="application/json"
    )
    assert response.status_code == 403
