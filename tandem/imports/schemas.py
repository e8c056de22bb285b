"""The API shapes of import jobs."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema

from tandem.imports.models import ImportJob


class ImportJobErrorOut(Schema):
    row: int | str | None
    column: str
    message: str


class ImportJobStartedOut(Schema):
    """A queued import: follow `status_url` (the API) or `url` (the progress page)."""

    id: int
    status: str
    url: str
    status_url: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    phase: str
    file_name: str
    file_size: int
    started_by_id: int
    institution_id: int | None
    rows_total: int | None
    rows_done: int
    errors: list[ImportJobErrorOut]
    result: dict[str, Any]
    result_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_result_url(job: ImportJob) -> str | None:
        return job.result.get("url")


def job_started(job: ImportJob) -> dict[str, Any]:
    """The body of a 202 answer to a request that queued `job`."""
    return {
        "id": job.pk,
        "status": job.status,
        "url": reverse("imports:job_detail", kwargs={"pk": job.pk}),
        "status_url": reverse("api-v1:imports_job_get", kwargs={"job_id": job.pk}),
    }
