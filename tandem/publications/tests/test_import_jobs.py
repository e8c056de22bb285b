"""Large bibliography imports run as a background job: every record saved, or none."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tandem.cultivation.tests.factories import cultivation_in
from tandem.imports.models import ImportJob, ImportStatus
from tandem.imports.tests.worker import run_worker
from tandem.publications.models import Publication
from tandem.publications.tests.factories import record

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _padded(name: str) -> bytes:
    # Comments past the 1 KB background size of the tests; the parsers skip them.
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return (text + "\n" + "% padding\n" * 150).encode() if name.endswith(".bib") else text.encode()


def _upload(client, cultivation, kind: str, name: str, data: bytes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("publications:import", args=[cultivation.pk]),
            {"kind": kind, "file": SimpleUploadedFile(name, data)},
        )


def test_a_large_bibtex_file_is_imported_by_the_worker(cast, client_for, background):
    cultivation = cultivation_in(cast, "active")
    response = _upload(
        client_for("trainee"), cultivation, "bibtex", "good.bib", _padded("good.bib")
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job_detail", kwargs={"pk": job.pk})
    assert job.institution == cultivation.home
    assert job.options == {"cultivation_id": cultivation.pk, "format": "bibtex"}
    assert not Publication.objects.exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.rows_done, job.rows_total) == (2, 2)
    assert job.result["total"] == 2 and job.result["url"].startswith(reverse("publications:list"))
    assert Publication.objects.filter(cultivation=cultivation, source="bibtex").count() == 2


def test_a_bad_file_fails_listing_every_bad_entry(cast, client_for, background):
    cultivation = cultivation_in(cast, "active")
    _upload(client_for("trainee"), cultivation, "bibtex", "bad.bib", _padded("bad.bib"))
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert {e["column"] for e in job.errors} == {"file"}
    messages = [e["message"] for e in job.errors]
    assert any("Entry 2" in m for m in messages) and any("Entry 3" in m for m in messages)
    assert not Publication.objects.exists()


def test_a_record_refused_while_saving_saves_none_of_them(cast, background):
    from tandem.publications.services_import import publication_import_job_start

    publication = record(cast, doi="10.1111/medu.20260512")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = publication_import_job_start(
            actor=cast.trainee,
            cultivation=publication.cultivation,
            kind="csl_json",
            file_name="doi.json",
            text=(SAMPLES / "doi.json").read_text(encoding="utf-8"),
        )
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "Item 1" in job.errors[0]["message"]
    assert Publication.objects.count() == 1


def test_the_api_queues_the_import_and_answers_202(cast, client_for, background):
    cultivation = cultivation_in(cast, "active")
    client = client_for("trainee")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/publications/import",
            {
                "cultivation_id": cultivation.pk,
                "kind": "bibtex",
                "content": _padded("good.bib").decode(),
            },
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    run_worker()
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "done" and status["result"]["total"] == 2
    assert client_for("outsider").get(response.json()["status_url"]).status_code == 404


def test_someone_who_may_not_record_cannot_queue_an_import(cast, client_for, background):
    cultivation = cultivation_in(cast, "active")
    response = _upload(
        client_for("resident"), cultivation, "bibtex", "good.bib", _padded("good.bib")
    )
    assert response.status_code in (403, 404)
    assert not ImportJob.objects.exists()
