"""The quality API: compliance with its evidence, the rectification lifecycle, the
self-assessment; outsiders get 404, wrong roles 403, bad input 400 naming the field."""

import json

import pytest

from tandem.quality.models import RectificationStatus

pytestmark = pytest.mark.django_db
API = "/api/v1/quality"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_compliance_lists_each_standard_with_its_history(client, cast, qw):
    client.force_login(cast.coord_a)
    response = client.get(f"{API}/bases/{qw.tw.world.base_a.pk}/compliance")
    assert response.status_code == 200
    body = response.json()
    assert {s["standard"]["id"] for s in body["standards"]} == {
        qw.rounds_standard.pk,
        qw.orientation_standard.pk,
    }
    assert len(body["history"]) == 12
    client.force_login(cast.outsider)
    assert client.get(f"{API}/bases/{qw.tw.world.base_a.pk}/compliance").status_code == 404


def test_rectification_lifecycle_through_the_api(client, cast, qw):
    url = f"{API}/rectifications/{qw.item.pk}"
    client.force_login(cast.coord_a)
    assert _post(client, f"{url}/respond", {"response": "x"}).status_code == 403
    client.force_login(cast.tutor_a)
    response = _post(client, f"{url}/respond", {"response": "  "})
    assert response.status_code == 400 and "response" in response.json()["errors"]
    response = _post(client, f"{url}/respond", {"response": "Presentations added."})
    assert response.status_code == 200 and response.json()["status"] == "responded"
    client.force_login(cast.coord_a)
    response = _post(client, f"{url}/decide", {"accept": False})
    assert response.status_code == 400 and "note" in response.json()["errors"]
    response = _post(client, f"{url}/decide", {"accept": True})
    assert response.json()["status"] == RectificationStatus.ACCEPTED
    client.force_login(cast.outsider)
    assert _post(client, f"{url}/respond", {"response": "x"}).status_code == 404
    assert client.get(f"{API}/rectifications").json()["count"] == 0


def test_self_assessment_reads_every_indicator(client, cast, qw):
    client.force_login(cast.coord_a)
    body = client.get(f"{API}/self-assessments/{qw.assessment.pk}").json()
    assert body["status"] == "draft" and len(body["scores"]) == 10
    client.force_login(cast.tutor_a)
    assert client.get(f"{API}/self-assessments/{qw.assessment.pk}").status_code == 404
