"""Institutions and units over JSON: the same selectors and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.institutions import permissions, selectors, services
from tandem.institutions.models import Institution, Unit

router = Router(tags=["institutions"])


class InstitutionOut(Schema):
    id: int
    name: str
    name_zh: str
    code: str
    kind: str
    country: str
    region: str
    tier_labels: list[str]
    parent_id: int | None
    is_active: bool


class InstitutionIn(Schema):
    name: str
    name_zh: str = ""
    code: str
    kind: str
    country: str = "CN"
    region: str
    tier_labels: list[str] = []
    parent_id: int | None = None


class InstitutionPatch(Schema):
    name: str | None = None
    name_zh: str | None = None
    code: str | None = None
    kind: str | None = None
    country: str | None = None
    region: str | None = None
    tier_labels: list[str] | None = None
    parent_id: int | None = None
    is_active: bool | None = None


class InstitutionFilters(Schema):
    kind: str = ""
    region: str = ""
    q: str = ""
    include_inactive: bool = False


class UnitOut(Schema):
    id: int
    institution_id: int
    name: str
    name_zh: str
    kind: str
    specialty: str
    parent_id: int | None
    is_active: bool


class UnitIn(Schema):
    institution_id: int
    name: str
    name_zh: str = ""
    kind: str
    specialty: str = ""
    parent_id: int | None = None


class UnitPatch(Schema):
    name: str | None = None
    name_zh: str | None = None
    kind: str | None = None
    specialty: str | None = None
    parent_id: int | None = None
    is_active: bool | None = None


class UnitFilters(Schema):
    institution_id: int | None = Field(None, description="Only the units of this institution.")


def _parent_institution(user: Any, pk: int | None) -> Institution | None:
    if pk is None:
        return None
    parent = selectors.institution_list_visible_to(user).filter(pk=pk).first()
    if parent is None:
        raise field_error("parent", _("Choose an existing institution."))
    return parent


def _parent_unit(user: Any, pk: int | None) -> Unit | None:
    if pk is None:
        return None
    parent = selectors.unit_list_visible_to(user).filter(pk=pk).first()
    if parent is None:
        raise field_error("parent", _("Choose an existing unit of this institution."))
    return parent


@router.get(
    "/",
    response={200: list[InstitutionOut], **ERRORS},
    operation_id="institutions_institution_list",
)
@paginate(Pagination)
def institution_list(request: HttpRequest, filters: Query[InstitutionFilters]) -> Any:
    return selectors.institution_filter(
        selectors.institution_list_visible_to(request.user),
        kind=filters.kind,
        region=filters.region,
        search=filters.q.strip(),
        include_inactive=filters.include_inactive,
    )


@router.get(
    "/units", response={200: list[UnitOut], **ERRORS}, operation_id="institutions_unit_list"
)
@paginate(Pagination)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    queryset = selectors.unit_list_visible_to(request.user)
    if filters.institution_id is not None:
        queryset = queryset.filter(institution_id=filters.institution_id)
    return queryset


@router.get(
    "/units/{unit_id}", response={200: UnitOut, **ERRORS}, operation_id="institutions_unit_get"
)
def unit_get(request: HttpRequest, unit_id: int) -> Any:
    return selectors.unit_get_for_user_or_404(request.user, unit_id)


@router.post("/units", response={201: UnitOut, **ERRORS}, operation_id="institutions_unit_create")
def unit_create(request: HttpRequest, payload: UnitIn) -> Any:
    institution = selectors.institution_get_for_user_or_404(request.user, payload.institution_id)
    if not permissions.can_create_unit(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators add its units."))
    data = payload.dict(exclude={"institution_id", "parent_id"})
    unit = services.unit_create(
        actor=request.user,
        institution=institution,
        parent=_parent_unit(request.user, payload.parent_id),
        **data,
    )
    return Status(201, unit)


@router.patch(
    "/units/{unit_id}", response={200: UnitOut, **ERRORS}, operation_id="institutions_unit_update"
)
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Any:
    unit = selectors.unit_get_for_user_or_404(request.user, unit_id)
    if not permissions.can_change_unit(request.user, unit):
        raise PermissionDenied(_("Only the institution's coordinators change its units."))
    values = payload.dict(exclude_unset=True)
    if "parent_id" in values:
        values["parent"] = _parent_unit(request.user, values.pop("parent_id"))
    return services.unit_update(actor=request.user, unit=unit, **values)


@router.get(
    "/{institution_id}",
    response={200: InstitutionOut, **ERRORS},
    operation_id="institutions_institution_get",
)
def institution_get(request: HttpRequest, institution_id: int) -> Any:
    return selectors.institution_get_for_user_or_404(request.user, institution_id)


@router.post(
    "/", response={201: InstitutionOut, **ERRORS}, operation_id="institutions_institution_create"
)
def institution_create(request: HttpRequest, payload: InstitutionIn) -> Any:
    if not permissions.can_create_institution(request.user):
        raise PermissionDenied(_("Only consortium admins register institutions."))
    data = payload.dict(exclude={"parent_id"})
    institution = services.institution_create(
        actor=request.user, parent=_parent_institution(request.user, payload.parent_id), **data
    )
    return Status(201, institution)


@router.patch(
    "/{institution_id}",
    response={200: InstitutionOut, **ERRORS},
    operation_id="institutions_institution_update",
)
def institution_update(request: HttpRequest, institution_id: int, payload: InstitutionPatch) -> Any:
    institution = selectors.institution_get_for_user_or_404(request.user, institution_id)
    if not permissions.can_change_institution(request.user, institution):
        raise PermissionDenied(_("Only consortium admins change institutions."))
    values = payload.dict(exclude_unset=True)
    if "parent_id" in values:
        values["parent"] = _parent_institution(request.user, values.pop("parent_id"))
    return services.institution_update(actor=request.user, institution=institution, **values)
