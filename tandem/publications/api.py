"""The publications API: the same selectors, permissions and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.selectors import person_list_visible_to
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.cultivation.selectors import cultivation_get_for_user_or_404, current_tutors
from tandem.imports.rules import runs_in_background
from tandem.imports.schemas import ImportJobStartedOut, job_started
from tandem.publications import permissions, selectors, services, services_import
from tandem.publications.models import PolicyStatus, Publication, PublicationAuthor

router = Router(tags=["publications"])


class AuthorIn(Schema):
    name: str
    user_id: int | None = None
    institution_ids: list[int] = []
    affiliation_text: str = ""
    is_corresponding: bool = False
    credit_roles: list[str] = []


class PublicationIn(Schema):
    cultivation_id: int
    title: str
    journal: str = ""
    year: int
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    # The day the paper was submitted: the tutor pair of that day answers for the
    # corresponding author. Empty: the day it is recorded.
    submitted_on: datetime.date | None = None
    authors: list[AuthorIn]


class PublicationUpdateIn(Schema):
    title: str
    journal: str = ""
    year: int
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    # The day the paper was submitted: the tutor pair of that day answers for the
    # corresponding author. Empty: the day it is recorded.
    submitted_on: datetime.date | None = None
    authors: list[AuthorIn]


class ImportIn(Schema):
    cultivation_id: int
    kind: str
    content: str
    # Queue the import as a job even when `content` is below the background size.
    background: bool = False


class PublicationReasonIn(Schema):
    reason: str


class AuthorOut(Schema):
    position: int
    name: str
    user_id: int | None
    institution_ids: list[int]
    affiliation_text: str
    is_corresponding: bool
    credit_roles: list[str]

    @staticmethod
    def resolve_institution_ids(obj: PublicationAuthor) -> list[int]:
        return [i.pk for i in obj.institutions.all()]


class ViolationOut(Schema):
    code: str
    message: str


class PublicationOut(Schema):
    id: int
    cultivation_id: int
    trainee_id: int
    title: str
    journal: str
    year: int
    volume: str
    issue: str
    pages: str
    doi: str
    source: str
    submitted_on: datetime.date | None
    # The day whose tutor pair the authorship rule is judged by.
    judged_on: datetime.date
    # True only when the publication breaks no rule; a waived one is `policy_status: waived`.
    compliant: bool
    # "compliant", "waived" (every violation waived by both coordinators) or "violations".
    policy_status: str
    violations: list[str]
    waiver_reason: str
    waiver_home_by_id: int | None
    waiver_home_at: datetime.datetime | None
    waiver_host_by_id: int | None
    waiver_host_at: datetime.datetime | None
    confirmed_by: list[int]
    authors: list[AuthorOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_trainee_id(obj: Publication) -> int:
        return obj.cultivation.trainee_id

    @staticmethod
    def resolve_compliant(obj: Publication) -> bool:
        return obj.policy_status == PolicyStatus.COMPLIANT

    @staticmethod
    def resolve_confirmed_by(obj: Publication) -> list[int]:
        return [c.tutor_id for c in obj.confirmations.all()]

    @staticmethod
    def resolve_authors(obj: Publication) -> list:
        return list(obj.authors.all())


class PublicationDetailOut(PublicationOut):
    explanations: list[ViolationOut]

    @staticmethod
    def resolve_explanations(obj: Publication) -> list:
        return [
            {"code": v.code, "message": v.message} for v in services.publication_violations(obj)
        ]


class PublicationFilters(Schema):
    status: str | None = None
    year: int | None = None
    cultivation_id: int | None = None
    institution_id: int | None = None
    q: str | None = None


def _authors(request: HttpRequest, authors: list[AuthorIn]) -> list[dict[str, Any]]:
    people = person_list_visible_to(request.user)
    rows = []
    for index, author in enumerate(authors, start=1):
        user = None
        if author.user_id is not None:
            user = people.filter(pk=author.user_id).first()
            if user is None:
                raise field_error("authors", _("Author %(n)s: unknown person.") % {"n": index})
        rows.append(
            {
                **author.dict(exclude={"user_id", "institution_ids"}),
                "user": user,
                "institutions": author.institution_ids,
            }
        )
    return rows


def _reload(request: HttpRequest, publication: Publication) -> Publication:
    return selectors.publication_get_for_user_or_404(request.user, publication.pk)


def _require_recorder(request: HttpRequest, cultivation: Any) -> None:
    if not permissions.can_record_publication(
        request.user, cultivation, current_tutors(cultivation)
    ):
        raise PermissionDenied(
            _("Only the trainee, their tutors and the coordinators record publications.")
        )


@router.get(
    "/",
    response={200: list[PublicationOut], **ERRORS},
    operation_id="publications_publication_list",
)
@paginate(Pagination)
def publication_list(request: HttpRequest, filters: Query[PublicationFilters]) -> Any:
    return selectors.publication_list_for_page(
        request.user,
        status=filters.status or "",
        year=filters.year,
        cultivation_id=filters.cultivation_id,
        institution_id=filters.institution_id,
        search=filters.q or "",
    )


@router.post(
    "/",
    response={201: PublicationDetailOut, **ERRORS},
    operation_id="publications_publication_create",
)
def publication_create(request: HttpRequest, payload: PublicationIn) -> Any:
    cultivation = cultivation_get_for_user_or_404(request.user, payload.cultivation_id)
    _require_recorder(request, cultivation)
    data = payload.dict(exclude={"cultivation_id", "authors"})
    publication = services.publication_record(
        actor=request.user,
        cultivation=cultivation,
        authors=_authors(request, payload.authors),
        **data,
    )
    return Status(201, _reload(request, publication))


@router.post(
    "/import",
    response={201: list[PublicationOut], 202: ImportJobStartedOut, **ERRORS},
    operation_id="publications_publication_import",
)
def publication_import(request: HttpRequest, payload: ImportIn) -> Any:
    """Every record or none: 201 with the publications. Content above the background size (or
    `background: true`) is queued: 202 with the job's URLs (`GET /api/v1/imports/{id}`)."""
    cultivation = cultivation_get_for_user_or_404(request.user, payload.cultivation_id)
    _require_recorder(request, cultivation)
    if runs_in_background(len(payload.content.encode()), asked=payload.background):
        job = services_import.publication_import_job_start(
            actor=request.user,
            cultivation=cultivation,
            kind=payload.kind,
            file_name=f"publications.{payload.kind}",
            text=payload.content,
        )
        return Status(202, job_started(job))
    created = services.publication_import(
        actor=request.user, cultivation=cultivation, kind=payload.kind, text=payload.content
    )
    return Status(
        201,
        list(
            selectors.publication_list_for_page(request.user).filter(pk__in=[p.pk for p in created])
        ),
    )


@router.get(
    "/{publication_id}",
    response={200: PublicationDetailOut, **ERRORS},
    operation_id="publications_publication_get",
)
def publication_get(request: HttpRequest, publication_id: int) -> Any:
    return selectors.publication_get_for_user_or_404(request.user, publication_id)


@router.put(
    "/{publication_id}",
    response={200: PublicationDetailOut, **ERRORS},
    operation_id="publications_publication_update",
)
def publication_update(
    request: HttpRequest, publication_id: int, payload: PublicationUpdateIn
) -> Any:
    publication = selectors.publication_get_for_user_or_404(request.user, publication_id)
    _require_recorder(request, publication.cultivation)
    data = payload.dict(exclude={"authors"})
    publication = services.publication_update(
        actor=request.user,
        publication=publication,
        authors=_authors(request, payload.authors),
        **data,
    )
    return _reload(request, publication)


@router.post(
    "/{publication_id}/waive",
    response={200: PublicationDetailOut, **ERRORS},
    operation_id="publications_publication_waive",
)
def publication_waive(
    request: HttpRequest, publication_id: int, payload: PublicationReasonIn
) -> Any:
    publication = selectors.publication_get_for_user_or_404(request.user, publication_id)
    if not permissions.may_waive_as_side(request.user, publication):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host waive a violation.")
        )
    services.publication_waive(actor=request.user, publication=publication, reason=payload.reason)
    return _reload(request, publication)


@router.post(
    "/{publication_id}/confirm",
    response={200: PublicationDetailOut, **ERRORS},
    operation_id="publications_publication_confirm",
)
def publication_confirm(request: HttpRequest, publication_id: int) -> Any:
    publication = selectors.publication_get_for_user_or_404(request.user, publication_id)
    if not permissions.is_current_tutor(request.user, current_tutors(publication.cultivation)):
        raise PermissionDenied(_("Only the trainee's current tutors confirm publications."))
    services.publication_confirm(actor=request.user, publication=publication)
    return _reload(request, publication)
