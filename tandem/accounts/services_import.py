"""People imports too large to wait for: queued as an import job, checked and saved by a task.

The task checks every row first (outside any transaction, so the progress page sees each row
counted), then calls `people_import`, which checks again and saves all rows in one transaction
or none: a row that changed in between is still refused, never half-saved.
"""

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts import importing, permissions
from tandem.accounts.models import User
from tandem.accounts.services import people_import
from tandem.imports.models import ImportJob, ImportKind
from tandem.imports.services import Progress, import_job_run, import_job_start
from tandem.institutions.models import Institution


def read_upload(upload: Any, limit: int = importing.MAX_BYTES) -> bytes:
    """The uploaded bytes, no more than the importer would read (a larger file is refused by
    the importer with its usual message, so one byte past the limit is kept)."""
    return upload.read(limit + 1)


def people_import_job_start(
    *, actor: User, institution: Institution, file_name: str, content: bytes
) -> ImportJob:
    if not permissions.can_manage_people_at(actor, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of %(institution)s can import people there.")
            % {"institution": institution}
        )
    from tandem.accounts.tasks import people_import_run  # the task module calls back here

    return import_job_start(
        actor=actor,
        kind=ImportKind.PEOPLE,
        institution=institution,
        file_name=file_name,
        content=content,
        task=people_import_run,
    )


def named_file(data: bytes, name: str) -> io.BytesIO:
    """The stored bytes as a file with the uploaded name (the importers read the extension)."""
    file = io.BytesIO(data)
    file.name = name
    return file


def _import_people(job: ImportJob, progress: Progress) -> dict[str, Any]:
    institution = job.institution
    assert institution is not None  # a people job is always started for an institution
    with job.file.open("rb") as stored:
        data = read_upload(stored)
    importing.parse_and_validate(named_file(data, job.file_name), institution, progress.rows)
    progress.saving()
    summary = people_import(
        actor=job.started_by, institution=institution, file=named_file(data, job.file_name)
    )
    return {
        "total": summary.total,
        "invited": len(summary.invited),
        "roles_added": len(summary.roles_added),
        "url": f"{reverse('accounts:people')}?institution={institution.pk}",
    }


def people_import_job_run(*, job_id: int) -> ImportJob:
    return import_job_run(job_id=job_id, work=_import_people)
