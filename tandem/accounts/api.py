from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from tandem.accounts import permissions, selectors, services, services_import
from tandem.accounts.api_feed import router as feed_router
from tandem.accounts.importing import ImportRejected
from tandem.core.api import ERRORS, ErrorOut, Pagination, validation_error_body
from tandem.core.errors import field_error
from tandem.core.lookups import visible_or_none
from tandem.imports.rules import runs_in_background
from tandem.imports.schemas import ImportJobStartedOut, job_started
from tandem.institutions.selectors import institution_in_reach_or_none, unit_list_of

router = Router(tags=["accounts"])
router.add_router("", feed_router)


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    preferred_language: str
    roles: list[dict]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    key: str


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="accounts_me")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "roles": [
            {"role": m.role, "institution_id": m.institution_id, "unit_id": m.unit_id}
            for m in user.memberships.filter(is_active=True)
        ],
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, operation_id="accounts_token_list")
def token_list(request: HttpRequest) -> list:
    return list(selectors.api_token_list_for(request.user))


@router.post(
    "/tokens", response={201: TokenCreatedOut, **ERRORS}, operation_id="accounts_token_create"
)
def token_create(request: HttpRequest, payload: TokenIn) -> tuple[int, dict]:
    token, key = services.api_token_create(actor=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "key": key})


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERRORS},
    operation_id="accounts_token_revoke",
)
def token_revoke(request: HttpRequest, token_id: int) -> object:
    token = selectors.api_token_get_for_user_or_404(request.user, token_id)
    return services.api_token_revoke(actor=request.user, token=token)


# --- People ---------------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    role: str
    institution_id: int | None
    unit_id: int | None
    is_active: bool


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj: Any) -> list:
        if isinstance(obj, dict):
            return obj["memberships"]
        memberships = getattr(obj, "active_memberships", None)
        return list(memberships if memberships is not None else obj.memberships.all())


class StudentNumberOut(Schema):
    institution_id: int
    number: str


class TraineeProfileOut(Schema):
    kind: str
    cohort: int
    specialty: str
    student_numbers: list[StudentNumberOut] = []


class TutorProfileOut(Schema):
    title: str
    qualification: str
    research_areas: str
    annual_quota: int


class PersonDetailOut(PersonOut):
    trainee_profile: TraineeProfileOut | None = None
    tutor_profile: TutorProfileOut | None = None


class InviteIn(Schema):
    email: str
    full_name: str
    role: str
    institution_id: int | None = None
    unit_id: int | None = None
    language: str = "en"


class MembershipIn(Schema):
    role: str
    institution_id: int | None = None
    unit_id: int | None = None
    reason: str = ""


class MembershipEndIn(Schema):
    reason: str = ""


class StudentNumberIn(Schema):
    institution_id: int
    number: str


class TraineeProfileIn(Schema):
    kind: str
    cohort: int
    specialty: str = ""
    student_numbers: list[StudentNumberIn] = []


class TutorProfileIn(Schema):
    title: str = ""
    qualification: str = "master"
    research_areas: str = ""
    annual_quota: int = 3


class ImportRowErrorOut(Schema):
    row: int | None
    column: str
    message: str


class ImportErrorOut(ErrorOut):
    rows: list[ImportRowErrorOut] = []


class ImportSummaryOut(Schema):
    total: int
    invited: list[str]
    roles_added: list[str]


def _institution_for(user: Any, institution_id: int | None) -> Any:
    """The institution named in a request: 404 when missing or out of the user's reach alike."""
    if institution_id is None:
        return None
    institution = institution_in_reach_or_none(user, institution_id)
    if institution is None:
        raise Http404
    return institution


def _unit_for(user: Any, institution: Any, unit_id: int | None) -> Any:
    if unit_id is None:
        return None
    unit = visible_or_none(unit_list_of(user, institution), unit_id)
    if unit is None:
        raise field_error("unit_id", _("This unit does not belong to the chosen institution."))
    return unit


def _person_detail(user: Any, person: Any) -> dict:
    parts = selectors.person_profile_parts(person)
    trainee, tutor = parts["trainee_profile"], parts["tutor_profile"]
    private = permissions.can_view_private_details(user, person)
    data: dict[str, Any] = {
        "id": person.pk,
        "username": person.username,
        "full_name": person.full_name,
        "email": person.email,
        "memberships": [
            MembershipOut.from_orm(m).dict() for m in PersonOut.resolve_memberships(person)
        ],
    }
    if trainee is not None:
        data["trainee_profile"] = {
            "kind": trainee.kind,
            "cohort": trainee.cohort,
            "specialty": trainee.specialty,
            "student_numbers": [
                {"institution_id": sn.institution_id, "number": sn.number}
                for sn in trainee.student_numbers.all()
            ]
            if private
            else [],
        }
    if tutor is not None:
        data["tutor_profile"] = TutorProfileOut.from_orm(tutor).dict()
    return data


@router.get(
    "/people", response={200: list[PersonOut], **ERRORS}, operation_id="accounts_person_list"
)
@paginate(Pagination)
def person_list(
    request: HttpRequest,
    institution_id: int | None = None,
    role: str | None = None,
    q: str = "",
) -> Any:
    people = selectors.person_list_visible_to(request.user)
    return selectors.person_filter(people, institution_id=institution_id, role=role, search=q)


@router.get(
    "/people/{int:person_id}",
    response={200: PersonDetailOut, **ERRORS},
    operation_id="accounts_person_get",
)
def person_get(request: HttpRequest, person_id: int) -> dict:
    person = selectors.person_get_for_user_or_404(request.user, person_id)
    return _person_detail(request.user, person)


@router.post(
    "/people/invite",
    response={201: PersonDetailOut, **ERRORS},
    operation_id="accounts_person_invite",
)
def person_invite(request: HttpRequest, payload: InviteIn) -> tuple[int, dict]:
    institution = _institution_for(request.user, payload.institution_id)
    person = services.person_invite(
        actor=request.user,
        email=payload.email,
        full_name=payload.full_name,
        institution=institution,
        role=payload.role,
        unit=_unit_for(request.user, institution, payload.unit_id),
        language=payload.language,
    )
    person = selectors.person_list_visible_to(request.user).filter(pk=person.pk).first() or person
    return Status(201, _person_detail(request.user, person))


@router.post(
    "/people/{int:person_id}/memberships",
    response={201: MembershipOut, **ERRORS},
    operation_id="accounts_membership_add",
)
def membership_add(
    request: HttpRequest, person_id: int, payload: MembershipIn
) -> tuple[int, object]:
    person = selectors.person_get_for_user_or_404(request.user, person_id)
    if not permissions.can_add_membership(request.user, person):
        raise PermissionDenied(_("Only coordinators can give roles."))
    institution = _institution_for(request.user, payload.institution_id)
    membership = services.membership_add(
        actor=request.user,
        user=person,
        role=payload.role,
        institution=institution,
        unit=_unit_for(request.user, institution, payload.unit_id),
        reason=payload.reason,
    )
    return Status(201, membership)


@router.post(
    "/memberships/{int:membership_id}/end",
    response={200: MembershipOut, **ERRORS},
    operation_id="accounts_membership_end",
)
def membership_end(
    request: HttpRequest, membership_id: int, payload: MembershipEndIn | None = None
) -> object:
    membership = selectors.membership_get_for_user_or_404(request.user, membership_id)
    if not permissions.can_end_membership(request.user, membership):
        raise PermissionDenied(_("Only a coordinator of this institution can end this role."))
    reason = payload.reason if payload else ""
    return services.membership_end(actor=request.user, membership=membership, reason=reason)


@router.put(
    "/people/{int:person_id}/trainee-profile",
    response={200: PersonDetailOut, **ERRORS},
    operation_id="accounts_trainee_profile_update",
)
def trainee_profile_update(request: HttpRequest, person_id: int, payload: TraineeProfileIn) -> dict:
    person = selectors.person_get_for_user_or_404(request.user, person_id)
    services.trainee_profile_save(
        actor=request.user,
        user=person,
        kind=payload.kind,
        cohort=payload.cohort,
        specialty=payload.specialty,
        student_numbers={sn.institution_id: sn.number for sn in payload.student_numbers},
    )
    return _person_detail(request.user, person)


@router.put(
    "/people/{int:person_id}/tutor-profile",
    response={200: PersonDetailOut, **ERRORS},
    operation_id="accounts_tutor_profile_update",
)
def tutor_profile_update(request: HttpRequest, person_id: int, payload: TutorProfileIn) -> dict:
    person = selectors.person_get_for_user_or_404(request.user, person_id)
    services.tutor_profile_save(actor=request.user, user=person, **payload.dict())
    return _person_detail(request.user, person)


@router.post(
    "/people/import",
    response={
        201: ImportSummaryOut,
        202: ImportJobStartedOut,
        400: ImportErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
    operation_id="accounts_people_import",
)
def people_import(
    request: HttpRequest,
    institution_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008
    background: bool = False,
) -> tuple[int, dict]:
    """Upload an .xlsx or .csv file (multipart field `file`). Any bad row: 400 with every
    error by row and column, nothing saved. Otherwise 201 with who was invited.

    A file above the background size (or any file with `background=true`) is queued instead:
    202 with the job's URLs; `GET /api/v1/imports/{id}` then tells its progress, errors and
    result."""
    institution = _institution_for(request.user, institution_id)
    if not permissions.can_manage_people_at(request.user, institution.pk):
        raise PermissionDenied(_("Only a coordinator of that institution can import people."))
    if file is None:
        raise field_error("file", _("Upload an .xlsx or a .csv file."))
    if runs_in_background(file.size or 0, asked=background):
        job = services_import.people_import_job_start(
            actor=request.user,
            institution=institution,
            file_name=file.name or "",
            content=services_import.read_upload(file),
        )
        return Status(202, job_started(job))
    try:
        summary = services.people_import(actor=request.user, institution=institution, file=file)
    except ImportRejected as exc:
        rows = [e.as_dict() for e in exc.row_errors]
        body = validation_error_body(exc)
        return Status(
            400, {**body, "detail": _("The file has bad rows; nothing was imported."), "rows": rows}
        )
    return Status(
        201,
        {"total": summary.total, "invited": summary.invited, "roles_added": summary.roles_added},
    )
