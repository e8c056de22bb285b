"""People API: the same scoping and rules as the pages, and multipart import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.accounts.models import User

API = "/api/v1/accounts"


@pytest.mark.django_db
def test_person_list_is_scoped_and_filterable(cast, client_for):
    data = client_for("coord_a").get(f"{API}/people", {"role": "tutor"}).json()
    assert {p["username"] for p in data["items"]} == {"tutor_a", "tutor_b"}
    data = client_for("outsider").get(f"{API}/people").json()
    assert [p["username"] for p in data["items"]] == ["outsider"]


@pytest.mark.django_db
def test_outsider_gets_404_on_a_person_of_a(cast, client_for):
    client = client_for("outsider")
    assert client.get(f"{API}/people/{cast.trainee.pk}").status_code == 404
    response = client.put(
        f"{API}/people/{cast.tutor_a.pk}/tutor-profile",
        data=json.dumps({"annual_quota": 9}),
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_student_numbers_are_shown_to_managers_only(cast, client_for):
    own = client_for("coord_a").get(f"{API}/people/{cast.trainee.pk}").json()
    assert own["trainee_profile"]["student_numbers"][0]["number"] == "A2025001"
    partner = client_for("coord_b").get(f"{API}/people/{cast.trainee.pk}").json()
    assert partner["trainee_profile"]["student_numbers"] == []


@pytest.mark.django_db
def test_tutor_cannot_invite(cast, client_for):
    response = client_for("tutor_a").post(
        f"{API}/people/invite",
        content_type="application/json",
        data=json.dumps(
            {
                "email": "x@example.org",
                "full_name": "X",
                "role": "teacher",
                "institution_id": cast.inst_a.pk,
            }
        ),
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_bad_quota_names_the_field(cast, client_for):
    response = client_for("coord_a").put(
        f"{API}/people/{cast.tutor_a.pk}/tutor-profile",
        content_type="application/json",
        data=json.dumps({"annual_quota": 80}),
    )
    assert response.status_code == 400
    assert "annual_quota" in response.json()["errors"]


@pytest.mark.django_db
def test_import_returns_201_with_a_summary(cast, client_for):
    file = SimpleUploadedFile("p.csv", b"full_name,email,role\nAn,an@example.org,teacher\n")
    response = client_for("coord_a").post(
        f"{API}/people/import?institution_id={cast.inst_a.pk}", {"file": file}
    )
    assert response.status_code == 201, response.content
    assert response.json()["invited"] == ["an@example.org"]


@pytest.mark.django_db
def test_import_returns_400_with_errors_by_row_and_column(cast, client_for):
    file = SimpleUploadedFile(
        "p.csv", b"full_name,email,role\nAn,an@example.org,teacher\nBo,bo,teacher\n"
    )
    response = client_for("coord_a").post(
        f"{API}/people/import?institution_id={cast.inst_a.pk}", {"file": file}
    )
    assert response.status_code == 400
    assert response.json()["rows"] == [
        {"row": 3, "column": "email", "message": "“bo” is not an e-mail address."}
    ]
    assert not User.objects.filter(email="an@example.org").exists()


@pytest.mark.django_db
def test_partner_coordinator_gets_403_importing_into_a(cast, client_for):
    file = SimpleUploadedFile("p.csv", b"full_name,email,role\nAn,an@example.org,teacher\n")
    response = client_for("coord_b").post(
        f"{API}/people/import?institution_id={cast.inst_a.pk}", {"file": file}
    )
    assert response.status_code == 403
