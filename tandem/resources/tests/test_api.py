import json

import pytest

from tandem.resources.models import ResourceOpening, SharedResource
from tandem.resources.tests.helpers import end_agreement

pytestmark = pytest.mark.django_db


def _send(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_outsider_gets_404_for_a_resource_of_a(cast, client_for):
    client = client_for("outsider")
    assert client.get(f"/api/v1/resources/{cast.resource_a.pk}").status_code == 404
    assert (
        _send(
            client, "patch", f"/api/v1/resources/{cast.resource_a.pk}", {"name": "Mine"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/resources/{cast.resource_a.pk}/openings").status_code == 404


def test_list_is_scoped(cast, client_for):
    body = client_for("trainee").get("/api/v1/resources/").json()
    assert [item["name"] for item in body["items"]] == ["Confocal microscope"]
    body = client_for("coord_b").get("/api/v1/resources/?opened_to_me=true").json()
    assert [item["name"] for item in body["items"]] == ["Confocal microscope"]


def test_wrong_role_gets_403(cast, client_for):
    response = _send(
        client_for("coord_b"),
        "patch",
        f"/api/v1/resources/{cast.resource_a.pk}",
        {"name": "Ours now"},
    )
    assert response.status_code == 403
    opening = cast.resource_a.openings.get()
    response = client_for("tutor_a").delete(
        f"/api/v1/resources/{cast.resource_a.pk}/openings/{opening.pk}"
    )
    assert response.status_code == 403


def test_partner_loses_access_when_the_agreement_ends(cast, client_for):
    end_agreement(cast.agreement_ab)
    response = client_for("coord_b").get(f"/api/v1/resources/{cast.resource_a.pk}")
    assert response.status_code == 404


def test_unit_of_another_institution_is_a_400_on_unit(cast, client_for):
    response = _send(
        client_for("coord_b"),
        "post",
        "/api/v1/resources/",
        {
            "institution_id": cast.inst_b.pk,
            "unit_id": cast.lab_a.pk,
            "name": "Centrifuge",
            "kind": "instrument",
        },
    )
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]
    assert not SharedResource.objects.filter(name="Centrifuge").exists()


def test_bad_kind_is_a_400_on_kind(cast, client_for):
    response = _send(
        client_for("coord_a"),
        "post",
        "/api/v1/resources/",
        {
            "institution_id": cast.inst_a.pk,
            "name": "Centrifuge",
            "kind": "toaster",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_opening_to_a_non_party_is_a_400_on_partner(cast, client_for):
    response = _send(
        client_for("coord_a"),
        "post",
        f"/api/v1/resources/{cast.resource_a.pk}/openings",
        {"agreement_id": cast.draft_ab.pk, "partner_id": cast.inst_c.pk},
    )
    assert response.status_code == 400
    assert "partner" in response.json()["errors"]


def test_opening_under_someone_elses_agreement_is_a_400_on_agreement(cast, client_for):
    response = _send(
        client_for("coord_a"),
        "post",
        f"/api/v1/resources/{cast.resource_a.pk}/openings",
        {"agreement_id": cast.agreement_c.pk, "partner_id": cast.inst_b.pk},
    )
    assert response.status_code == 400
    assert "agreement" in response.json()["errors"]


def test_coordinator_opens_and_closes(cast, client_for):
    client = client_for("coord_a")
    response = _send(
        client,
        "post",
        f"/api/v1/resources/{cast.resource_a.pk}/openings",
        {"agreement_id": cast.draft_ab.pk, "partner_id": cast.inst_b.pk},
    )
    assert response.status_code == 201
    opening_id = response.json()["id"]
    listed = client.get(f"/api/v1/resources/{cast.resource_a.pk}/openings").json()
    assert listed["count"] == 2
    response = client.delete(f"/api/v1/resources/{cast.resource_a.pk}/openings/{opening_id}")
    assert response.status_code == 204
    assert not ResourceOpening.objects.filter(pk=opening_id).exists()


def test_partner_lists_only_their_openings(cast, client_for):
    body = client_for("coord_b").get(f"/api/v1/resources/{cast.resource_a.pk}/openings").json()
    assert [item["partner_id"] for item in body["items"]] == [cast.inst_b.pk]
