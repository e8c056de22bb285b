"""Large joint record imports run as a background job: the whole record, or nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tandem.cultivation.models import JointCultivation
from tandem.imports.models import ImportJob, ImportStatus
from tandem.imports.tests.worker import run_worker
from tandem.plans.record import joint_record_build
from tandem.plans.tests.factories import signed_plan

pytestmark = pytest.mark.django_db


def _exported_and_removed(cast) -> dict:
    cultivation = signed_plan(cast).cultivation
    data = joint_record_build(cultivation, reveal_confidential=True)
    cultivation.delete()
    return data


def _upload(client, data: dict):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("plans:record_import"),
            {"file": SimpleUploadedFile("record.json", json.dumps(data).encode())},
        )


def test_a_large_record_is_imported_by_the_worker_and_linked(cast, client_for, background):
    data = _exported_and_removed(cast)
    response = _upload(client_for("admin"), data)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job_detail", kwargs={"pk": job.pk})
    assert not JointCultivation.objects.exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    cultivation = JointCultivation.objects.get(external_id=data["id"])
    assert job.result["url"] == reverse("plans:record", kwargs={"cultivation_pk": cultivation.pk})
    page = client_for("admin").get(reverse("imports:job_detail", kwargs={"pk": job.pk}))
    assert f'href="{job.result["url"]}"' in page.content.decode()


def test_errors_name_the_record_part_and_field_and_nothing_is_saved(cast, client_for, background):
    data = _exported_and_removed(cast)
    data["plan"]["versions"][0]["courses"][0]["credits"] = "lots"
    data["stays"][0]["end"] = "2020-01-01"
    _upload(client_for("admin"), data)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    places = {(e["row"], e["column"]) for e in job.errors}
    assert ("plan.versions[0].courses[0]", "credits") in places
    assert ("stays[0]", "end") in places
    assert not JointCultivation.objects.exists()


def test_a_file_that_is_not_json_fails_the_job(cast, background):
    from tandem.plans.services_import import joint_record_import_job_start

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = joint_record_import_job_start(
            actor=cast.admin, file_name="r.json", content=b"{not json" + b" " * 2000
        )
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["column"] == "file"
    assert job.errors[0]["message"].startswith("This is not a JSON file")


def test_the_api_queues_a_record_and_answers_202(cast, client_for, background):
    data = _exported_and_removed(cast)
    client = client_for("admin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/plans/records/import", json.dumps(data), content_type="application/json"
        )
    assert response.status_code == 202, response.content
    run_worker()
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "done"
    assert status["result"]["record_id"] == data["id"]
    assert client_for("coord_a").get(response.json()["status_url"]).status_code == 404


def test_only_consortium_admins_queue_a_record(cast, client_for, background):
    response = _upload(client_for("coord_a"), {"format": "x", "padding": "y" * 2000})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_a_record_over_the_size_limit_is_refused_before_it_is_stored(
    cast, client_for, settings, monkeypatch
):
    settings.IMPORT_BACKGROUND_BYTES = 10
    monkeypatch.setattr("tandem.plans.services_import.MAX_RECORD_BYTES", 100)
    response = _upload(client_for("admin"), {"padding": "y" * 200})
    assert response.status_code == 400
    assert "The file is larger than 0 MB." in response.content.decode()  # 100 bytes
    assert not ImportJob.objects.exists()
