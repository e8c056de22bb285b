import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.agreements.tests.authz_rules import _terms_json
from tandem.agreements.tests.factories import AgreementFactory, AgreementPartyFactory

API = "/api/v1/agreements"


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_list_is_scoped_and_includes_parties_and_signatures(cast, client_for):
    response = client_for("coord_a").get(f"{API}/")
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    assert set(items) == {cast.agreement_ab.pk, cast.draft_ab.pk}
    active = items[cast.agreement_ab.pk]
    assert {p["institution_id"] for p in active["parties"]} == {cast.inst_a.pk, cast.inst_b.pk}
    assert len(active["signatures"]) == 2
    assert active["quotas"] == [{"year": 2026, "max_trainees": 5}]


def test_list_filters(cast, client_for):
    response = client_for("admin").get(
        f"{API}/", {"status": "draft", "institution_id": cast.inst_c.pk}
    )
    assert [item["id"] for item in response.json()["items"]] == [cast.agreement_c.pk]


def test_list_query_count_is_constant(cast, client_for):
    client = client_for("coord_a")
    client.get(f"{API}/")

    def add(count):
        for _index in range(count):
            agreement = AgreementFactory(created_by=cast.coord_a)
            AgreementPartyFactory(agreement=agreement, institution=cast.inst_a)
            AgreementPartyFactory(agreement=agreement, institution=cast.inst_b)

    add(2)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{API}/")
    add(15)
    with CaptureQueriesContext(connection) as large:
        client.get(f"{API}/")
    assert len(small) == len(large)


def test_outsider_gets_404(cast, client_for):
    client = client_for("outsider")
    assert client.get(f"{API}/{cast.agreement_ab.pk}").status_code == 404
    assert (
        post(client, f"{API}/{cast.agreement_ab.pk}/terminate", {"reason": "x"}).status_code == 404
    )
    assert (
        post(client, f"{API}/{cast.draft_ab.pk}", _terms_json(cast), method="put").status_code
        == 404
    )


@pytest.mark.parametrize("actor", ["tutor_a", "trainee"])
def test_wrong_role_gets_403_on_writes(cast, client_for, actor):
    client = client_for(actor)
    assert post(client, f"{API}/", _terms_json(cast)).status_code == 403
    assert post(client, f"{API}/{cast.draft_ab.pk}/sign", {}).status_code == 403


def test_create_with_bad_shares_names_the_field_and_saves_nothing(cast, client_for):
    data = _terms_json(cast)
    data["parties"][1]["funding_share"] = 10
    response = post(client_for("coord_a"), f"{API}/", data)
    assert response.status_code == 400
    assert "parties[1].funding_share" in response.json()["errors"]
    assert not Agreement.objects.filter(title="New exchange").exists()


def test_schema_error_is_422(cast, client_for):
    response = post(client_for("coord_a"), f"{API}/", {"title": "x"})
    assert response.status_code == 422


def test_full_lifecycle_through_the_api(cast, client_for):
    a, b = client_for("coord_a"), client_for("coord_b")
    created = post(a, f"{API}/", _terms_json(cast))
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        post(a, f"{API}/{pk}/sign", {"institution_id": cast.inst_a.pk}).json()["status"]
        == "signing"
    )
    assert post(b, f"{API}/{pk}/sign", {}).json()["status"] == "active"
    amended = post(b, f"{API}/{pk}/amend", {"reason": "More"})
    assert amended.status_code == 201
    assert amended.json()["amends_id"] == pk
    again = post(a, f"{API}/{pk}/amend", {"reason": "Again"})
    assert again.status_code == 400
    terminated = post(a, f"{API}/{pk}/terminate", {"reason": "Closed"})
    assert terminated.json()["status"] == AgreementStatus.TERMINATED
    assert terminated.json()["end_reason"] == "Closed"


def test_terminate_without_reason_is_400_naming_reason(cast, client_for):
    response = post(
        client_for("coord_a"), f"{API}/{cast.agreement_ab.pk}/terminate", {"reason": " "}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_awaiting_signature_lists_unsigned_drafts_of_coordinated_institutions(cast, client_for):
    ids = [item["id"] for item in client_for("coord_a").get(f"{API}/awaiting-my-signature").json()]
    assert ids == [cast.draft_ab.pk]
    assert client_for("tutor_a").get(f"{API}/awaiting-my-signature").json() == []


def test_anonymous_gets_401(cast, client_for):
    assert client_for("anonymous").get(f"{API}/").status_code == 401


def test_a_draft_cannot_name_a_person_the_author_cannot_see(cast, client_for):
    # Tom Tutor (A) is invisible to C's coordinator: naming him answers as for nobody, and no
    # draft is left that would show his name.
    body = {
        **_terms_json(cast),
        "form": "tutor_initiated",
        "parties": [
            {"institution_id": cast.inst_c.pk, "funding_share": 50},
            {"institution_id": cast.inst_a.pk, "funding_share": 50},
        ],
    }
    before = Agreement.objects.count()
    named = post(
        client_for("outsider"), f"{API}/", {**body, "initiating_tutor_id": cast.tutor_a.pk}
    )
    nobody = post(client_for("outsider"), f"{API}/", {**body, "initiating_tutor_id": 987654})
    assert named.status_code == nobody.status_code == 400
    assert named.json() == nobody.json()
    assert named.json()["errors"] == {"initiating_tutor": ["Not found."]}
    assert "Tom Tutor" not in named.content.decode()
    assert Agreement.objects.count() == before
