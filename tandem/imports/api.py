"""Import jobs in the API: read one job's status, progress, errors and result.

Each importing app starts its own jobs (its import operation answers 202 with the job's URLs)."""

from django.http import HttpRequest
from ninja import Router

from tandem.core.api import ERRORS
from tandem.imports import selectors
from tandem.imports.models import ImportJob
from tandem.imports.schemas import ImportJobOut

router = Router(tags=["imports"])


@router.get(
    "/{int:job_id}",
    response={200: ImportJobOut, **ERRORS},
    operation_id="imports_job_get",
    url_name="imports_job_get",
)
def job_get(request: HttpRequest, job_id: int) -> ImportJob:
    """An import job: queued, running (rows checked of the total), done (the result and its
    URL) or failed (every error with its row and column; nothing was saved)."""
    return selectors.import_job_get_for_user_or_404(request.user, job_id)
