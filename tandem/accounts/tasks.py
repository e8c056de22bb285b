"""Background work of accounts: a large people import (ids in, one service call)."""

from django_tasks import task

from tandem.accounts import services_import


@task()
def people_import_run(job_id: int) -> None:
    services_import.people_import_job_run(job_id=job_id)
