"""Reads of import jobs: the person who started one, the coordinators of the institution it
imports into and consortium admins follow it; anyone else gets the 404 of a missing job."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.core import tenancy
from tandem.imports.models import ImportJob


def import_job_list_visible_to(user: Any) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("started_by", "institution")
    if not user.is_authenticated:
        return jobs.none()
    if tenancy.is_consortium_admin(user):
        return jobs
    return jobs.filter(
        Q(started_by=user) | Q(institution_id__in=tenancy.coordinated_institution_ids(user))
    )


def import_job_get_for_user_or_404(user: Any, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list_visible_to(user), pk=pk)
