"""Background work of publications: a large bibliography import (ids in, one service call)."""

from django_tasks import task

from tandem.publications import services_import


@task()
def publication_import_run(job_id: int) -> None:
    services_import.publication_import_job_run(job_id=job_id)
