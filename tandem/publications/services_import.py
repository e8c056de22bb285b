"""Bibliography imports too large to wait for: queued as an import job and run by a task.

The task parses the whole file first (every bad entry or line is reported, nothing saved), then
`publication_import` saves every record in one transaction or none.
"""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.errors import field_error
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.imports.models import ImportJob, ImportKind
from tandem.imports.services import Progress, import_job_run, import_job_start
from tandem.publications import importers, services


def publication_import_job_start(
    *, actor: User, cultivation: JointCultivation, kind: str, file_name: str, text: str
) -> ImportJob:
    services._require_recorder(actor, cultivation)
    if kind not in importers.PARSERS:
        raise field_error("kind", _("Choose BibTeX, RIS or CSL-JSON."))
    from tandem.publications.tasks import publication_import_run  # the task calls back here

    return import_job_start(
        actor=actor,
        kind=ImportKind.PUBLICATIONS,
        institution=cultivation.home,
        file_name=file_name,
        content=text.encode("utf-8"),
        options={"cultivation_id": cultivation.pk, "format": kind},
        task=publication_import_run,
    )


def _import_publications(job: ImportJob, progress: Progress) -> dict[str, Any]:
    # The cultivation as the starter sees it now: one they can no longer see is not imported.
    cultivation = cultivation_get_for_user_or_404(job.started_by, job.options["cultivation_id"])
    kind = job.options["format"]
    with job.file.open("rb") as stored:
        text = stored.read().decode("utf-8")
    try:
        records = importers.parse(kind, text)
    except importers.ImportProblems as exc:
        raise ValidationError({"file": exc.problems}) from None
    progress.rows(len(records), len(records))
    progress.saving()
    created = services.publication_import(
        actor=job.started_by, cultivation=cultivation, kind=kind, text=text
    )
    query = urlencode({"q": cultivation.trainee.full_name})
    return {"total": len(created), "url": f"{reverse('publications:list')}?{query}"}


def publication_import_job_run(*, job_id: int) -> ImportJob:
    return import_job_run(job_id=job_id, work=_import_publications)
