import json

import pytest

from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.cultivation.tests.authz_rules import _propose_json
from tandem.cultivation.tests.factories import cultivation_in

pytestmark = pytest.mark.django_db
API = "/api/v1/cultivation"


def _post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_propose_approve_pair_sign_and_activate_through_the_api(cast, client_for):
    from tandem.accounts.models import TutorProfile

    TutorProfile.objects.filter(user=cast.tutor_b).update(qualification="doctoral")
    response = _post(client_for("coord_a"), f"{API}/", _propose_json(cast))
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "proposed" and response.json()["is_incomplete"]
    for actor in ("coord_a", "coord_b"):
        assert _post(client_for(actor), f"{API}/{pk}/approve", {}).status_code == 200
    coord = client_for("coord_a")
    for role, tutor in (("experimental", cast.tutor_b), ("theoretical", cast.tutor_a)):
        response = _post(coord, f"{API}/{pk}/tutors", {"role": role, "tutor_id": tutor.pk})
        assert response.status_code == 201, response.content
    items = {
        "items": [
            {"key": "experiment_design", "role": "experimental"},
            {"key": "thesis_guidance", "role": "theoretical"},
        ]
    }
    assert _post(coord, f"{API}/{pk}/responsibilities", items, "put").status_code == 200
    for actor in ("tutor_a", "tutor_b"):
        response = _post(client_for(actor), f"{API}/{pk}/responsibilities/sign", {})
        assert response.status_code == 200
    assert response.json()["is_complete"]
    response = _post(coord, f"{API}/{pk}/decide/activate", {})
    assert response.json()["status"] == "active" and not response.json()["is_incomplete"]
    body = client_for("trainee").get(f"{API}/{pk}").json()
    assert body["status"] == "active" and len(body["tutors"]) == 2


def test_bad_input_names_the_field(cast, client_for):
    data = _propose_json(cast)
    data["stays"][0]["institution_id"] = cast.inst_c.pk
    response = _post(client_for("coord_a"), f"{API}/", data)
    assert response.status_code == 400
    assert "stays[0].institution" in response.json()["errors"]
    assert not JointCultivation.objects.exists()


def test_second_first_in_charge_is_refused_by_the_api(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    response = _post(
        client_for("coord_b"),
        f"{API}/{cultivation.pk}/tutors",
        {"role": "experimental", "tutor_id": cast.tutor_b.pk},
    )
    assert response.status_code == 400 and "role" in response.json()["errors"]
    assert TutorAssignment.objects.filter(cultivation=cultivation).count() == 2


def test_outsider_gets_404_and_tutor_403(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    assert client_for("outsider").get(f"{API}/{cultivation.pk}").status_code == 404
    response = _post(
        client_for("tutor_a"), f"{API}/{cultivation.pk}/decide/suspend", {"reason": "x"}
    )
    assert response.status_code == 403
