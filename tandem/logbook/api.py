"""The logbook API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.logbook import permissions, selectors, services
from tandem.logbook.models import CatalogueItem
from tandem.logbook.schemas import (
    LogbookBulkReviewIn,
    LogbookBulkReviewOut,
    LogbookCatalogueDetailOut,
    LogbookCatalogueOut,
    LogbookEntryIn,
    LogbookEntryLoggedOut,
    LogbookEntryOut,
    LogbookReviewIn,
    LogbookStintOut,
)

router = Router(tags=["logbook"])


@router.get(
    "/entries", response={200: list[LogbookEntryOut], **ERRORS}, operation_id="logbook_entry_mine"
)
@paginate(Pagination)
def entry_mine(request: HttpRequest) -> Any:
    """The caller's own entries, newest first."""
    return selectors.entry_list_of_resident(request.user)


@router.post(
    "/entries", response={201: LogbookEntryLoggedOut, **ERRORS}, operation_id="logbook_entry_log"
)
def entry_log(request: HttpRequest, payload: LogbookEntryIn) -> Any:
    """Log a case or procedure; `duplicates` > 0 warns of the same item for the same patient."""
    if not permissions.can_log_entries(request.user):
        raise PermissionDenied(_("Only residents on a published schedule log cases."))
    department = (
        selectors.departments_of_resident(request.user).filter(pk=payload.department_id).first()
    )
    if department is None:
        raise field_error("department_id", _("Choose a department of one of your rotations."))
    item = CatalogueItem.objects.filter(
        pk=payload.item_id, catalogue__in=selectors.catalogue_list_visible_to(request.user)
    ).first()
    if item is None:
        raise field_error("item_id", _("Choose a case or procedure of your program's catalogue."))
    entry = services.entry_log(
        actor=request.user,
        department=department,
        item=item,
        role=payload.role,
        date=payload.date,
        patient_ref=payload.patient_ref,
        note=payload.note,
    )
    return Status(201, entry)


@router.get(
    "/entries/{entry_id}",
    response={200: LogbookEntryOut, **ERRORS},
    operation_id="logbook_entry_get",
)
def entry_get(request: HttpRequest, entry_id: int) -> Any:
    return selectors.entry_get_for_user_or_404(request.user, entry_id)


@router.post(
    "/entries/{entry_id}/review",
    response={200: LogbookEntryOut, **ERRORS},
    operation_id="logbook_entry_review",
)
def entry_review(request: HttpRequest, entry_id: int, payload: LogbookReviewIn) -> Any:
    entry = selectors.entry_get_for_user_or_404(request.user, entry_id)
    return services.entry_review(
        actor=request.user, entry=entry, verify=payload.verify, comment=payload.comment
    )


@router.post(
    "/review", response={200: LogbookBulkReviewOut, **ERRORS}, operation_id="logbook_review_bulk"
)
def review_bulk(request: HttpRequest, payload: LogbookBulkReviewIn) -> Any:
    result = services.entry_review_bulk(
        actor=request.user,
        entry_ids=payload.entry_ids,
        verify=payload.verify,
        comment=payload.comment,
    )
    return {
        "done": [entry.pk for entry in result.done],
        "skipped": [{"id": pk, "message": message} for pk, message in result.skipped],
    }


@router.get(
    "/review", response={200: list[LogbookEntryOut], **ERRORS}, operation_id="logbook_review_queue"
)
@paginate(Pagination)
def review_queue(request: HttpRequest) -> Any:
    """Entries waiting for the caller's verification, in the departments they teach."""
    if not permissions.can_review_any(request.user):
        raise PermissionDenied(_("Only the departments' teachers verify entries."))
    return selectors.entries_to_review(request.user)


@router.get(
    "/residents/{resident_id}/stints",
    response={200: list[LogbookStintOut], **ERRORS},
    operation_id="logbook_resident_stints",
)
def resident_stints(request: HttpRequest, resident_id: int) -> Any:
    """The resident's stints this caller may see, each with its completion."""
    person = selectors.resident_get_for_user_or_404(request.user, resident_id)
    return [
        {
            "cohort_id": stint.cohort_id,
            "department_id": stint.department_id,
            "start": stint.start,
            "end": stint.end,
            "completion": progress.share,
            "required": progress.required,
            "met": progress.met,
            "verified": progress.verified,
            "pending": progress.pending,
            "returned": progress.returned,
        }
        for stint, _member, progress in selectors.resident_progress(request.user, person)
    ]


@router.get(
    "/catalogues",
    response={200: list[LogbookCatalogueOut], **ERRORS},
    operation_id="logbook_catalogue_list",
)
@paginate(Pagination)
def catalogue_list(request: HttpRequest) -> Any:
    return selectors.catalogue_list_visible_to(request.user)


@router.get(
    "/catalogues/{catalogue_id}",
    response={200: LogbookCatalogueDetailOut, **ERRORS},
    operation_id="logbook_catalogue_get",
)
def catalogue_get(request: HttpRequest, catalogue_id: int) -> Any:
    catalogue = selectors.catalogue_get_for_user_or_404(request.user, catalogue_id)
    return {
        "id": catalogue.pk,
        "institution_id": catalogue.institution_id,
        "specialty": catalogue.specialty,
        "name": catalogue.name,
        "name_zh": catalogue.name_zh,
        "is_active": catalogue.is_active,
        "items": list(selectors.item_list_of(catalogue)),
        "minimums": list(selectors.minimum_list_of(catalogue)),
    }
