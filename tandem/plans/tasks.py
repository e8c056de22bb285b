"""Background work of plans: a large joint record import (ids in, one service call)."""

from django_tasks import task

from tandem.plans import services_import


@task()
def joint_record_import_run(job_id: int) -> None:
    services_import.joint_record_import_job_run(job_id=job_id)
