"""The shared-resource catalogue over JSON: the same selectors and services as the pages."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.institutions.selectors import institution_get_for_user_or_404
from tandem.resources import permissions, selectors, services
from tandem.resources.models import SharedResource

router = Router(tags=["resources"])


class ResourceOut(Schema):
    id: int
    institution_id: int
    unit_id: int | None
    name: str
    name_zh: str
    kind: str
    description: str
    location: str
    contact: str
    is_active: bool


class ResourceIn(Schema):
    institution_id: int
    unit_id: int | None = None
    name: str
    name_zh: str = ""
    kind: str
    description: str = ""
    location: str = ""
    contact: str = ""


class ResourcePatch(Schema):
    unit_id: int | None = None
    name: str | None = None
    name_zh: str | None = None
    kind: str | None = None
    description: str | None = None
    location: str | None = None
    contact: str | None = None
    is_active: bool | None = None


class ResourceFilters(Schema):
    kind: str = ""
    institution_id: int | None = None
    opened_to_me: bool = False
    q: str = ""


class OpeningOut(Schema):
    id: int
    resource_id: int
    agreement_id: int
    partner_id: int
    created_at: datetime


class OpeningIn(Schema):
    agreement_id: int
    partner_id: int
    reason: str = ""


def _unit(resource_institution_id: int, unit_id: int | None) -> Any:
    if unit_id is None:
        return None
    # Only the owner's units are candidates; anything else is a bad choice, not a lookup.
    unit = selectors.resource_unit_choices(resource_institution_id).filter(pk=unit_id).first()
    if unit is None:
        raise field_error("unit", _("The unit must belong to the institution that owns it."))
    return unit


@router.get(
    "/", response={200: list[ResourceOut], **ERRORS}, operation_id="resources_resource_list"
)
@paginate(Pagination)
def resource_list(request: HttpRequest, filters: Query[ResourceFilters]) -> Any:
    return selectors.resource_filter(
        selectors.resource_list_visible_to(request.user),
        request.user,
        kind=filters.kind,
        institution_id=filters.institution_id,
        opened_to_me=filters.opened_to_me,
        search=filters.q.strip(),
    )


@router.get(
    "/{resource_id}", response={200: ResourceOut, **ERRORS}, operation_id="resources_resource_get"
)
def resource_get(request: HttpRequest, resource_id: int) -> Any:
    return selectors.resource_get_for_user_or_404(request.user, resource_id)


@router.post("/", response={201: ResourceOut, **ERRORS}, operation_id="resources_resource_create")
def resource_create(request: HttpRequest, payload: ResourceIn) -> Any:
    institution = institution_get_for_user_or_404(request.user, payload.institution_id)
    if not permissions.can_create_resource(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators list its resources."))
    data = payload.dict(exclude={"institution_id", "unit_id"})
    resource = services.resource_create(
        actor=request.user,
        institution=institution,
        unit=_unit(institution.pk, payload.unit_id),
        **data,
    )
    return Status(201, resource)


@router.patch(
    "/{resource_id}",
    response={200: ResourceOut, **ERRORS},
    operation_id="resources_resource_update",
)
def resource_update(request: HttpRequest, resource_id: int, payload: ResourcePatch) -> Any:
    resource = selectors.resource_get_for_user_or_404(request.user, resource_id)
    if not permissions.can_change_resource(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators change this resource."))
    values = payload.dict(exclude_unset=True)
    if "unit_id" in values:
        values["unit"] = _unit(resource.institution_id, values.pop("unit_id"))
    return services.resource_update(actor=request.user, resource=resource, **values)


@router.get(
    "/{resource_id}/openings",
    response={200: list[OpeningOut], **ERRORS},
    operation_id="resources_opening_list",
)
@paginate(Pagination)
def opening_list(request: HttpRequest, resource_id: int) -> Any:
    resource = selectors.resource_get_for_user_or_404(request.user, resource_id)
    return selectors.opening_list_visible_to(request.user, resource)


def _resource_to_change(request: HttpRequest, resource_id: int) -> SharedResource:
    resource = selectors.resource_get_for_user_or_404(request.user, resource_id)
    if not permissions.can_open_resource(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators open or close openings."))
    return resource


@router.post(
    "/{resource_id}/openings",
    response={201: OpeningOut, **ERRORS},
    operation_id="resources_opening_create",
)
def opening_create(request: HttpRequest, resource_id: int, payload: OpeningIn) -> Any:
    resource = _resource_to_change(request, resource_id)
    agreement = (
        selectors.opening_agreement_choices(resource).filter(pk=payload.agreement_id).first()
    )
    if agreement is None:
        raise field_error(
            "agreement", _("Choose an agreement in force that the owner is a party to.")
        )
    partner = selectors.opening_partner_choices(resource).filter(pk=payload.partner_id).first()
    if partner is None:
        raise field_error("partner", _("Choose a partner that shares an agreement with the owner."))
    opening = services.resource_opening_create(
        actor=request.user,
        resource=resource,
        agreement=agreement,
        partner=partner,
        reason=payload.reason,
    )
    return Status(201, opening)


@router.delete(
    "/{resource_id}/openings/{opening_id}",
    response={204: None, **ERRORS},
    operation_id="resources_opening_delete",
)
def opening_delete(request: HttpRequest, resource_id: int, opening_id: int) -> Any:
    resource = _resource_to_change(request, resource_id)
    opening = selectors.opening_get_for_user_or_404(request.user, resource, opening_id)
    services.resource_opening_close(actor=request.user, opening=opening)
    return Status(204, None)
