"""The template builder's API (decision 087), mounted into the evaluations router: list,
detail with sections and items, create, edit (a new version once a round uses it), versions,
copy, retire and restore. The same selectors, permissions and services as the pages; the
services' messages come back as 400 with each error under its place (`sections.0.items.1.code`),
a body that does not fit the schema as 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core import tenancy
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.evaluations import permissions, selectors, services
from tandem.evaluations.models import EvaluationTemplate
from tandem.evaluations.schemas import (
    EvaluationsTemplateCreateIn,
    EvaluationsTemplateDetailOut,
    EvaluationsTemplateDuplicateIn,
    EvaluationsTemplateIn,
    EvaluationsTemplateOut,
    EvaluationsTemplateVersionOut,
)
from tandem.institutions.models import Institution

router = Router(tags=["evaluations"])


def _require_coordinating(user: Any) -> None:
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        raise PermissionDenied(_("Evaluation templates are kept by coordinators."))


def _get(request: HttpRequest, template_id: int) -> EvaluationTemplate:
    _require_coordinating(request.user)
    return selectors.template_get_for_user_or_404(request.user, template_id)


def _manageable(request: HttpRequest, template_id: int) -> EvaluationTemplate:
    template = _get(request, template_id)
    if not permissions.can_manage_template(request.user, template):
        raise PermissionDenied(_("You cannot change this template."))
    return template


def _detail(template: EvaluationTemplate) -> EvaluationTemplate:
    template.in_use = services.template_in_use(template)  # type: ignore[attr-defined]
    template.section_rows = selectors.template_sections(template)  # type: ignore[attr-defined]
    return template


def _institution(user: Any, institution_id: int | None) -> Institution | None:
    if institution_id is None:
        if not tenancy.is_consortium_admin(user):
            raise field_error("institution_id", _("Choose the institution that keeps it."))
        return None
    found = selectors.template_institution_choices(user).filter(pk=institution_id).first()
    if found is None:
        raise field_error("institution_id", _("Choose an institution you coordinate."))
    return found


def _fields(payload: EvaluationsTemplateIn) -> dict[str, Any]:
    data = payload.dict()
    data.pop("institution_id", None)
    return data


@router.get(
    "/templates",
    response={200: list[EvaluationsTemplateOut], **ERRORS},
    operation_id="evaluations_template_list",
)
@paginate(Pagination)
def template_list(request: HttpRequest, relationship: str = "") -> Any:
    """The current version of every template the caller keeps or may use."""
    _require_coordinating(request.user)
    return selectors.template_list_for_page(request.user, relationship)


@router.post(
    "/templates",
    response={201: EvaluationsTemplateDetailOut, **ERRORS},
    operation_id="evaluations_template_create",
)
def template_create(request: HttpRequest, payload: EvaluationsTemplateCreateIn) -> Any:
    _require_coordinating(request.user)
    template = services.template_create(
        actor=request.user,
        institution=_institution(request.user, payload.institution_id),
        **_fields(payload),
    )
    return Status(201, _detail(template))


@router.get(
    "/templates/{template_id}",
    response={200: EvaluationsTemplateDetailOut, **ERRORS},
    operation_id="evaluations_template_get",
)
def template_get(request: HttpRequest, template_id: int) -> Any:
    return _detail(_get(request, template_id))


@router.put(
    "/templates/{template_id}",
    response={200: EvaluationsTemplateDetailOut, **ERRORS},
    operation_id="evaluations_template_edit",
)
def template_edit(request: HttpRequest, template_id: int, payload: EvaluationsTemplateIn) -> Any:
    """Replace the template's content. Once a round uses it, this makes the next version,
    returned (with its own id); the rounds so far keep theirs."""
    template = _manageable(request, template_id)
    edited = services.template_edit(actor=request.user, template=template, **_fields(payload))
    return _detail(edited)


@router.get(
    "/templates/{template_id}/versions",
    response={200: list[EvaluationsTemplateVersionOut], **ERRORS},
    operation_id="evaluations_template_versions",
)
def template_versions(request: HttpRequest, template_id: int) -> Any:
    """Every version of the template's family, newest first, with how many rounds use each."""
    return list(selectors.template_versions(_get(request, template_id)))


@router.post(
    "/templates/{template_id}/copy",
    response={201: EvaluationsTemplateDetailOut, **ERRORS},
    operation_id="evaluations_template_duplicate",
)
def template_duplicate(
    request: HttpRequest, template_id: int, payload: EvaluationsTemplateDuplicateIn
) -> Any:
    """Copy the version as version 1 of a new template."""
    template = _get(request, template_id)
    copy = services.template_duplicate(
        actor=request.user,
        template=template,
        institution=_institution(request.user, payload.institution_id),
        title=payload.title,
        title_zh=payload.title_zh,
    )
    return Status(201, _detail(copy))


@router.post(
    "/templates/{template_id}/retire",
    response={200: EvaluationsTemplateOut, **ERRORS},
    operation_id="evaluations_template_retire",
)
def template_retire(request: HttpRequest, template_id: int) -> Any:
    """No longer offer the template for new rounds; the rounds that use it keep it."""
    return services.template_retire(actor=request.user, template=_manageable(request, template_id))


@router.post(
    "/templates/{template_id}/restore",
    response={200: EvaluationsTemplateOut, **ERRORS},
    operation_id="evaluations_template_restore",
)
def template_restore(request: HttpRequest, template_id: int) -> Any:
    """Offer a retired template for new rounds again."""
    return services.template_restore(actor=request.user, template=_manageable(request, template_id))
