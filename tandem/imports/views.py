"""The progress page of an import job: HTMX replaces the progress part every second while the
job runs; without JavaScript the page refreshes itself (and has a link to do so)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.imports import selectors


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get_for_user_or_404(request.user, pk)
    context = {"job": job, "errors_shown": job.errors[:500]}
    if request.htmx:
        return render(request, "imports/_job_progress.html", context)
    return render(request, "imports/job_detail.html", context)
