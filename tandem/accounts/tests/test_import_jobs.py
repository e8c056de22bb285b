"""Large people imports run as a background job: queued, checked row by row, saved or not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tandem.accounts.models import Membership, User
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.core.models import AuditEvent
from tandem.imports.models import ImportJob, ImportStatus
from tandem.imports.tests.worker import DB_BACKEND, run_worker


def people_csv(count: int, bad_rows: dict[int, str] | None = None) -> bytes:
    """`count` teachers; `bad_rows` maps a data row's index to a bad e-mail written there."""
    lines = ["full_name,email,role"]
    for i in range(count):
        email = (bad_rows or {}).get(i, f"teacher{i}@example.org")
        lines.append(f"Teacher {i},{email},teacher")
    return ("\n".join(lines) + "\n").encode()


def _upload(client, cast, data: bytes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("accounts:people_import"),
            {
                "institution": cast.inst_a.pk,
                "file": SimpleUploadedFile("people.csv", data, content_type="text/csv"),
            },
        )


def test_a_large_file_is_queued_then_imported_by_the_database_worker(cast, client_for, background):
    response = _upload(client_for("coord_a"), cast, people_csv(60))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job_detail", kwargs={"pk": job.pk})
    assert job.status == ImportStatus.QUEUED and job.started_by == cast.coord_a
    assert job.file.read().startswith(b"full_name,email,role")
    assert not User.objects.filter(email="teacher0@example.org").exists()  # not yet

    run_worker()

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.rows_done, job.rows_total) == (60, 60)
    assert job.result["invited"] == 60 and job.result["url"].startswith(reverse("accounts:people"))
    assert job.started_at <= job.finished_at
    assert Membership.objects.filter(institution=cast.inst_a, role="teacher").count() >= 60
    assert AuditEvent.objects.filter(action="people.import", actor=cast.coord_a).count() == 1


def test_a_bad_row_fails_the_job_naming_row_and_column_and_saves_nothing(
    cast, client_for, background
):
    _upload(client_for("coord_a"), cast, people_csv(60, bad_rows={41: "not-an-address"}))
    users_before = User.objects.count()
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {"row": 43, "column": "email", "message": "“not-an-address” is not an e-mail address."}
    ]
    assert job.rows_done == job.rows_total == 60  # every row was checked
    assert User.objects.count() == users_before
    assert not AuditEvent.objects.filter(action="people.import").exists()


def test_a_row_taken_between_check_and_save_still_saves_nothing(cast, background, monkeypatch):
    """The save re-checks inside its transaction: a person imported meanwhile is refused."""
    from tandem.accounts import importing, services_import

    checked = importing.parse_and_validate

    def check_then_someone_else_imports(file, institution, on_row=None):
        rows = checked(file, institution, on_row)
        if on_row is not None:  # the job's first pass; the save's own check comes next
            MembershipFactory(
                user=UserFactory(email="teacher5@example.org"),
                institution=institution,
                role="teacher",
            )
        return rows

    monkeypatch.setattr(importing, "parse_and_validate", check_then_someone_else_imports)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services_import.people_import_job_start(
            actor=cast.coord_a, institution=cast.inst_a, file_name="p.csv", content=people_csv(10)
        )
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(7, "role")]
    assert not User.objects.filter(email="teacher0@example.org").exists()


def test_a_small_file_is_still_imported_at_once(cast, client_for, settings):
    settings.IMPORT_BACKGROUND_BYTES = 8 * 1024
    response = _upload(client_for("coord_a"), cast, people_csv(3))
    assert response.status_code == 302
    assert not ImportJob.objects.exists()
    assert User.objects.filter(email="teacher2@example.org").exists()


def test_the_api_answers_202_with_the_job_and_its_status(cast, client_for, background):
    client = client_for("coord_a")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/api/v1/accounts/people/import?institution_id={cast.inst_a.pk}",
            {"file": SimpleUploadedFile("people.csv", people_csv(60))},
        )
    assert response.status_code == 202, response.content
    body = response.json()
    job = ImportJob.objects.get()
    assert body == {
        "id": job.pk,
        "status": "queued",
        "url": f"/imports/{job.pk}/",
        "status_url": f"/api/v1/imports/{job.pk}",
    }
    run_worker()
    status = client.get(body["status_url"]).json()
    assert status["status"] == "done"
    assert (status["rows_done"], status["rows_total"]) == (60, 60)
    assert status["result"]["invited"] == 60
    assert status["result_url"] == f"/people/?institution={cast.inst_a.pk}"


def test_the_api_queues_a_small_file_when_asked(cast, client_for, settings):
    settings.TASKS = DB_BACKEND
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for("coord_a").post(
            f"/api/v1/accounts/people/import?institution_id={cast.inst_a.pk}&background=true",
            {"file": SimpleUploadedFile("people.csv", people_csv(2))},
        )
    assert response.status_code == 202
    assert ImportJob.objects.get().status == ImportStatus.QUEUED


def test_a_coordinator_elsewhere_cannot_start_a_job_here(cast):
    from django.core.exceptions import PermissionDenied

    from tandem.accounts import services_import

    with pytest.raises(PermissionDenied):
        services_import.people_import_job_start(
            actor=cast.coord_b, institution=cast.inst_a, file_name="p.csv", content=people_csv(2)
        )
    assert not ImportJob.objects.exists()
