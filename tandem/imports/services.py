"""Writes of import jobs: store the file and queue it, then run it with progress.

The job's own rows (status, progress, errors) are written outside the import's transaction, one
short autocommit update at a time, so the progress page sees them while the task works; the
import itself runs in the importing app's service, all of it or nothing, and is audited there.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.imports import rules
from tandem.imports.models import ImportJob, ImportKind, ImportPhase, ImportStatus

logger = logging.getLogger(__name__)

# How often a running import writes its progress: often enough for a live bar, rarely enough
# that thousands of rows do not mean thousands of updates.
PROGRESS_EVERY_SECONDS = 0.5


class Progress:
    """Handed to an importer: `rows(done, total)` while checking, `saving()` before the write."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self._written_at = 0.0

    def write(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.job, name, value)
        ImportJob.objects.filter(pk=self.job.pk).update(**fields)
        self._written_at = time.monotonic()

    def rows(self, done: int, total: int | None = None) -> None:
        # The first count (it brings the total), the last, and one every so often between.
        first_or_last = total is not None and (total != self.job.rows_total or done >= total)
        if first_or_last or time.monotonic() - self._written_at >= PROGRESS_EVERY_SECONDS:
            fields: dict[str, Any] = {"rows_done": done, "phase": ImportPhase.CHECKING}
            if total is not None:
                fields["rows_total"] = total
            self.write(**fields)

    def saving(self) -> None:
        self.write(phase=ImportPhase.SAVING)


@transaction.atomic
def import_job_start(
    *,
    actor: Any,
    kind: str,
    file_name: str,
    content: bytes,
    task: Any,
    institution: Any = None,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Store the file and queue `task` (a django-tasks task taking the job's id) on commit.

    The caller has checked that `actor` may import this file here; the task's importer checks
    again when it runs, as the person who started it."""
    if kind not in ImportKind.values:
        raise ValidationError(_("Unknown kind of import."))
    job = ImportJob(
        kind=kind,
        started_by=actor,
        institution=institution,
        file_name=(file_name or "upload")[:255],
        file_size=len(content),
        options=options or {},
        language=translation.get_language() or "en",
    )
    job.file.save(_stored_name(file_name), ContentFile(content), save=False)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def _stored_name(file_name: str) -> str:
    # The stored name keeps only the extension of what was uploaded (the importers look at it).
    suffix = (file_name or "").rsplit(".", 1)[-1].lower() if "." in (file_name or "") else "bin"
    return f"import.{suffix[:8] if suffix.isalnum() else 'bin'}"


def import_job_run(
    *, job_id: int, work: Callable[[ImportJob, Progress], dict[str, Any]]
) -> ImportJob:
    """Run a queued job: `work(job, progress)` checks and saves the file and returns the result
    (counts and a `url`), or raises a ValidationError listing every bad row, saving nothing."""
    job = ImportJob.objects.select_related("started_by", "institution").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job  # a task run twice does not import twice
    progress = Progress(job)
    progress.write(status=ImportStatus.RUNNING, started_at=timezone.now())
    with translation.override(job.language):
        try:
            result = work(job, progress)
        except ValidationError as exc:
            _finish(progress, ImportStatus.FAILED, errors=rules.error_rows(exc))
        except (PermissionDenied, Http404) as exc:
            # The starter lost the right (or the sight of the target) since queuing it.
            message = str(exc) if isinstance(exc, PermissionDenied) and str(exc) else ""
            message = message or _("You may no longer import this file here.")
            _finish(progress, ImportStatus.FAILED, errors=[_file_error(message)])
        except Exception:
            logger.exception("import job %s stopped", job.pk)
            message = _("The import stopped on an unexpected error; nothing was saved.")
            _finish(progress, ImportStatus.FAILED, errors=[_file_error(message)])
        else:
            done = job.rows_total if job.rows_total is not None else job.rows_done
            _finish(progress, ImportStatus.DONE, result=result, rows_done=done)
    return job


def _file_error(message: str) -> dict[str, Any]:
    return {"row": None, "column": "", "message": message}


def _finish(progress: Progress, status: str, **fields: Any) -> None:
    progress.write(status=status, phase=ImportPhase.FINISHED, finished_at=timezone.now(), **fields)
