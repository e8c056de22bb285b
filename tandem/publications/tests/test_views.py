"""Publication pages and API: constant queries, import with row messages, export, 404/403."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.cultivation.tests.factories import cultivation_in
from tandem.publications.models import Publication
from tandem.publications.tests.factories import compliant_authors, record

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(cast, cultivation, start, n):
    for index in range(start, start + n):
        record(cast, cultivation=cultivation, doi=f"10.1000/demo.{index}")


@pytest.mark.parametrize("name", ["publications:list", "publications:export"])
def test_list_and_export_issue_the_same_queries_for_3_and_30_rows(cast, client_for, name):
    cultivation = cultivation_in(cast, "active")
    client = client_for("coord_a")
    url = reverse(name)
    _grow(cast, cultivation, 0, 3)
    client.get(url)
    small = _count(client, url)
    _grow(cast, cultivation, 3, 27)
    assert _count(client, url) == small


def test_detail_explains_the_violation_in_chinese(cast, client_for):
    authors = compliant_authors(cast)
    authors[0]["institutions"] = [cast.inst_a]
    publication = record(cast, authors=authors)
    client = client_for("coord_b")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("publications:detail", args=[publication.pk])).content.decode()
    assert "协议要求学员同时署派出单位和接收单位" in page
    assert "东部医科大学" in page or "Eastern Medical University" in page


def test_outsider_gets_404_and_coordinator_cannot_confirm(cast, client_for):
    publication = record(cast)
    url = reverse("publications:detail", args=[publication.pk])
    assert client_for("outsider").get(url).status_code == 404
    confirm = reverse("publications:confirm", args=[publication.pk])
    assert client_for("coord_a").post(confirm).status_code == 403


def test_import_page_lists_every_bad_entry_and_saves_nothing(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    response = client_for("trainee").post(
        reverse("publications:import", args=[cultivation.pk]),
        {
            "kind": "bibtex",
            "file": SimpleUploadedFile("bad.bib", (SAMPLES / "bad.bib").read_bytes()),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert any("Entry 2" in e for e in errors) and any("Entry 3" in e for e in errors)
    assert not Publication.objects.exists()


def test_import_page_imports_a_doi_metadata_file(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    response = client_for("tutor_b").post(
        reverse("publications:import", args=[cultivation.pk]),
        {
            "kind": "csl_json",
            "file": SimpleUploadedFile("doi.json", (SAMPLES / "doi.json").read_bytes()),
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.source == "csl_json" and not publication.compliant


def test_manual_form_without_authors_is_refused_without_the_field_code(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    response = client_for("trainee").post(
        reverse("publications:create", args=[cultivation.pk]),
        {
            "title": "T",
            "year": "2026",
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-0-name": "",
            "journal": "",
            "doi": "",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors == ["A publication has at least one author."]
    assert not Publication.objects.exists()


def test_export_honours_the_status_filter(cast, client_for):
    import openpyxl

    cultivation = cultivation_in(cast, "active")
    record(cast, cultivation=cultivation, title="Good paper", doi="10.1000/a")
    authors = compliant_authors(cast)
    authors[1]["is_corresponding"] = False
    record(cast, cultivation=cultivation, authors=authors, title="Bad paper", doi="10.1000/b")
    response = client_for("coord_a").get(reverse("publications:export"), {"status": "violations"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [row[0] for row in rows[1:]] == ["Bad paper"]


def test_api_create_returns_explanations_and_bad_input_names_the_field(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    client = client_for("tutor_a")
    body = {
        "cultivation_id": cultivation.pk,
        "title": "API paper",
        "year": 2026,
        "authors": [
            {
                "name": "Tina Trainee",
                "user_id": cast.trainee.pk,
                "institution_ids": [cast.inst_a.pk],
                "credit_roles": ["investigation"],
            },
            {
                "name": "Tom Tutor",
                "user_id": cast.tutor_a.pk,
                "is_corresponding": True,
                "credit_roles": ["supervision"],
            },
        ],
    }
    response = client.post("/api/v1/publications/", body, content_type="application/json")
    assert response.status_code == 201
    assert [e["code"] for e in response.json()["explanations"]] == ["trainee_affiliations"]
    body["authors"][0]["credit_roles"] = ["cooking"]
    response = client.post("/api/v1/publications/", body, content_type="application/json")
    assert response.status_code == 400 and "authors" in response.json()["errors"]
    assert Publication.objects.count() == 1


def test_api_import_refuses_malformed_ris_with_line_numbers(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    response = client_for("trainee").post(
        "/api/v1/publications/import",
        {
            "cultivation_id": cultivation.pk,
            "kind": "ris",
            "content": (SAMPLES / "bad.ris").read_text(encoding="utf-8"),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any("Line 6" in m for m in response.json()["errors"]["file"])
    assert not Publication.objects.exists()


def test_record_and_import_are_linked_for_those_who_may_use_them(cast, client_for):
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    cultivation = cultivation_in(cast, "active")
    create = reverse("publications:create", args=[cultivation.pk])
    imports = reverse("publications:import", args=[cultivation.pk])
    detail = reverse("cultivation:detail", args=[cultivation.pk])
    listing = reverse("publications:list")
    for who in ("trainee", "tutor_a", "coord_b"):
        client = client_for(who)
        for page in (detail, listing):
            body = client.get(page).content.decode()
            assert create in body and imports in body, (who, page)
        assert client.get(create).status_code == 200
    # A colleague of the home who is not one of the pair sees the cultivation, not the links.
    colleague = UserFactory(username="tutor_other")
    MembershipFactory(user=colleague, role="tutor", institution=cast.inst_a)
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    assert client.get(detail).status_code == 200
    for page in (detail, listing):
        body = client.get(page).content.decode()
        assert create not in body and imports not in body
    assert client.get(create).status_code == 403
    assert create not in client_for("resident").get(listing).content.decode()
