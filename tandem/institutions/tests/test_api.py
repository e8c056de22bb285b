import json

import pytest

from tandem.core.models import AuditEvent
from tandem.institutions.models import Institution

pytestmark = pytest.mark.django_db


def _post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_outsider_gets_404_for_a_unit_of_a(cast, client_for):
    response = client_for("outsider").get(f"/api/v1/institutions/units/{cast.lab_a.pk}")
    assert response.status_code == 404


def test_unit_list_is_scoped_to_the_user(cast, client_for):
    body = client_for("outsider").get("/api/v1/institutions/units").json()
    assert body["count"] == 0
    body = (
        client_for("coord_b")
        .get(f"/api/v1/institutions/units?institution_id={cast.inst_a.pk}")
        .json()
    )
    assert [item["id"] for item in body["items"]] == [cast.lab_a.pk]


def test_wrong_role_gets_403_on_unit_update(cast, client_for):
    response = _post(
        client_for("coord_b"),
        f"/api/v1/institutions/units/{cast.lab_a.pk}",
        {"name": "Renamed"},
        method="patch",
    )
    assert response.status_code == 403


def test_institution_list_filters_and_paginates(cast, client_for):
    body = client_for("trainee").get("/api/v1/institutions/?region=eastern&limit=10").json()
    assert [item["code"] for item in body["items"]] == ["emu"]


def test_admin_creates_an_institution(cast, client_for):
    response = _post(
        client_for("admin"),
        "/api/v1/institutions/",
        {
            "name": "Central Hospital",
            "code": "ch",
            "kind": "hospital",
            "region": "central",
            "tier_labels": ["Grade 3A"],
            "parent_id": cast.inst_a.pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["parent_id"] == cast.inst_a.pk
    assert AuditEvent.objects.filter(action="institution.create").exists()


def test_bad_kind_names_the_field_and_saves_nothing(cast, client_for):
    response = _post(
        client_for("admin"),
        "/api/v1/institutions/",
        {
            "name": "Central Hospital",
            "code": "ch",
            "kind": "spaceship",
            "region": "central",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not Institution.objects.filter(code="ch").exists()


def test_missing_field_is_a_422_naming_it(cast, client_for):
    response = _post(client_for("admin"), "/api/v1/institutions/", {"name": "X"})
    assert response.status_code == 422
    assert "code" in response.json()["errors"]


def test_training_base_without_specialty_is_a_400_on_specialty(cast, client_for):
    response = _post(
        client_for("coord_a"),
        "/api/v1/institutions/units",
        {
            "institution_id": cast.inst_a.pk,
            "name": "Base",
            "kind": "training_base",
        },
    )
    assert response.status_code == 400
    assert "specialty" in response.json()["errors"]


def test_admin_patches_parent_into_a_cycle_and_gets_400(cast, client_for):
    Institution.objects.filter(pk=cast.inst_b.pk).update(parent=cast.inst_a)
    response = _post(
        client_for("admin"),
        f"/api/v1/institutions/{cast.inst_a.pk}",
        {"parent_id": cast.inst_b.pk},
        method="patch",
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_anonymous_gets_401(cast, client_for):
    assert client_for("anonymous").get("/api/v1/institutions/").status_code == 401
