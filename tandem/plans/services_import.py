"""Joint record imports too large to wait for: queued as an import job and run by a task.

The task checks the whole record first (every bad JSON path reported, nothing saved), then
`joint_record_import` checks again and writes it in one transaction.
"""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.errors import field_error
from tandem.imports.models import ImportJob, ImportKind
from tandem.imports.services import Progress, import_job_run, import_job_start
from tandem.plans import permissions
from tandem.plans.record_import import joint_record_import, joint_record_validate

# As large as the API accepts a request body (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_RECORD_BYTES = 10 * 1024 * 1024


def joint_record_import_job_start(*, actor: User, file_name: str, content: bytes) -> ImportJob:
    """`content`: the file's bytes, read no further than one byte past MAX_RECORD_BYTES."""
    if not permissions.can_import_record(actor):
        raise PermissionDenied(_("Only consortium admins import joint records."))
    if len(content) > MAX_RECORD_BYTES:
        raise field_error(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_RECORD_BYTES // (1024 * 1024)},
        )
    from tandem.plans.tasks import joint_record_import_run  # the task calls back here

    return import_job_start(
        actor=actor,
        kind=ImportKind.JOINT_RECORD,
        file_name=file_name,
        content=content,
        task=joint_record_import_run,
    )


def read_record(content: bytes) -> Any:
    """The JSON of a joint record file, or a ValidationError saying why it is not JSON."""
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            {"file": [_("This is not a JSON file: %(error)s") % {"error": exc}]}
        ) from None


def _import_record(job: ImportJob, progress: Progress) -> dict[str, Any]:
    with job.file.open("rb") as stored:
        data = read_record(stored.read())
    progress.rows(0, 1)
    joint_record_validate(data)
    progress.rows(1, 1)
    progress.saving()
    cultivation = joint_record_import(actor=job.started_by, data=data)
    return {
        "cultivation_id": cultivation.pk,
        "record_id": cultivation.external_id,
        "url": reverse("plans:record", kwargs={"cultivation_pk": cultivation.pk}),
    }


def joint_record_import_job_run(*, job_id: int) -> ImportJob:
    return import_job_run(job_id=job_id, work=_import_record)
