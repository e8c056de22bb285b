"""The joint cultivation API: the same selectors, permissions and services as the pages."""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from tandem.accounts.models import User
from tandem.accounts.selectors import person_list_visible_to
from tandem.agreements.selectors import agreement_get_for_user_or_404, agreement_list_visible_to
from tandem.core.api import ERRORS, Pagination
from tandem.core.lookups import IdResolver, resolve_one
from tandem.cultivation import (
    permissions,
    selectors,
    services,
    services_ending,
    services_responsibility,
    services_tutor,
)
from tandem.cultivation.api_termination import router as termination_router
from tandem.cultivation.api_training import router as training_router
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.schemas import (
    ApproveIn,
    AssignIn,
    AssignmentOut,
    ChangeApproveIn,
    ChangeIn,
    ChangeOut,
    CultivationDetailOut,
    CultivationFilters,
    CultivationIn,
    CultivationOut,
    CultivationReasonIn,
    ItemOut,
    LoadOut,
    ResponsibilitiesIn,
    ResponsibilitiesOut,
    TemplateIn,
    TrainingIn,
    TrainingOut,
)

router = Router(tags=["cultivation"])


def _reload(request: HttpRequest, pk: int) -> JointCultivation:
    return selectors.cultivation_get_for_user_or_404(request.user, pk)


def _manageable(request: HttpRequest, cultivation_id: int) -> JointCultivation:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.can_manage_cultivation(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host, or a consortium admin, can do this.")
        )
    return cultivation


def _person(request: HttpRequest, field: str, pk: int) -> User | None:
    # The services check who the person is (enrolment, tutor membership, profile); a person the
    # caller cannot see is "Not found." like an id that names nobody, before anything else.
    return resolve_one(field, person_list_visible_to(request.user), pk)


@router.get(
    "/", response={200: list[CultivationOut], **ERRORS}, operation_id="cultivation_cultivation_list"
)
@paginate(Pagination)
def cultivation_list(request: HttpRequest, filters: Query[CultivationFilters]) -> Any:
    return selectors.cultivation_list_for_page(
        request.user,
        status=filters.status or "",
        institution_id=filters.institution_id,
        agreement_id=filters.agreement_id,
        incomplete_only=filters.incomplete,
        search=filters.q or "",
    )


@router.get(
    "/{cultivation_id}",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_cultivation_get",
)
def cultivation_get(request: HttpRequest, cultivation_id: int) -> Any:
    return selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)


@router.post(
    "/",
    response={201: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_cultivation_propose",
)
def cultivation_propose(request: HttpRequest, payload: CultivationIn) -> Any:
    if not permissions.can_propose_cultivation(request.user):
        raise PermissionDenied(
            _("Only coordinators and consortium admins propose joint cultivations.")
        )
    ids = IdResolver()
    trainee = ids.one("trainee", person_list_visible_to(request.user), payload.trainee_id)
    agreement = ids.one("agreement", agreement_list_visible_to(request.user), payload.agreement_id)
    ids.check()
    cultivation = services.cultivation_propose(
        actor=request.user,
        trainee=trainee,
        agreement=agreement,
        home=payload.home_id,
        host=payload.host_id,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        stay_mode=payload.stay_mode,
        research_topic=payload.research_topic,
        stays=[
            {"institution": s.institution_id, "start": s.start, "end": s.end, "purpose": s.purpose}
            for s in payload.stays
        ],
    )
    return Status(201, _reload(request, cultivation.pk))


@router.post(
    "/{cultivation_id}/approve",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_cultivation_approve",
)
def cultivation_approve(request: HttpRequest, cultivation_id: int, payload: ApproveIn) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.may_approve_as_side(request.user, cultivation):
        raise PermissionDenied(_("Only a coordinator of the home or the host can approve."))
    services.cultivation_approve(
        actor=request.user,
        cultivation=cultivation,
        institution=payload.institution_id,
        reason=payload.reason,
    )
    return _reload(request, cultivation_id)


@router.post(
    "/{cultivation_id}/decide/{action}",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_cultivation_decide",
)
def cultivation_decide(
    request: HttpRequest,
    cultivation_id: int,
    action: Literal["activate", "suspend", "resume", "complete", "terminate"],
    payload: CultivationReasonIn,
) -> Any:
    cultivation = _manageable(request, cultivation_id)
    """Activate and resume take effect. Suspend, complete and terminate (of an approved,
    active or suspended cultivation) need both institutions: a side's coordinator asks, with a
    `ground`, and the other confirms through `.../endings/{id}/confirm`; a suspension takes
    effect at once and lapses unless confirmed within the configured days."""
    if permissions.is_two_sided(action, cultivation) and not permissions.coordinated_sides(
        request.user, cultivation
    ):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host asks; the other institution confirms.")
        )
    services.cultivation_decide(
        actor=request.user,
        cultivation=cultivation,
        action=action,
        reason=payload.reason,
        ground=payload.ground,
    )
    return _reload(request, cultivation_id)


def _ending(request: HttpRequest, cultivation_id: int, ending_id: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    ending = next((e for e in cultivation.ending_requests.all() if e.pk == ending_id), None)
    if ending is None:
        raise Http404
    if ending.other_side_id() not in permissions.coordinated_sides(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the other institution confirms or declines this request.")
        )
    return ending


@router.post(
    "/{cultivation_id}/endings/{ending_id}/confirm",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_ending_confirm",
)
def ending_confirm(
    request: HttpRequest, cultivation_id: int, ending_id: int, payload: CultivationReasonIn
) -> Any:
    """The other institution confirms a suspension, completion or termination request."""
    ending = _ending(request, cultivation_id, ending_id)
    services_ending.ending_confirm(actor=request.user, ending=ending, reason=payload.reason)
    return _reload(request, cultivation_id)


@router.post(
    "/{cultivation_id}/endings/{ending_id}/decline",
    response={200: CultivationDetailOut, **ERRORS},
    operation_id="cultivation_ending_decline",
)
def ending_decline(
    request: HttpRequest, cultivation_id: int, ending_id: int, payload: CultivationReasonIn
) -> Any:
    """The other institution declines, with a reason; a declined suspension is lifted."""
    ending = _ending(request, cultivation_id, ending_id)
    services_ending.ending_decline(actor=request.user, ending=ending, reason=payload.reason)
    return _reload(request, cultivation_id)


@router.get(
    "/{cultivation_id}/tutors",
    response={200: list[AssignmentOut], **ERRORS},
    operation_id="cultivation_tutor_list",
)
def tutor_list(request: HttpRequest, cultivation_id: int) -> Any:
    """The pair's whole history, current tutors first per role."""
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    return list(selectors.pair_history(cultivation))


@router.post(
    "/{cultivation_id}/tutors",
    response={201: AssignmentOut, **ERRORS},
    operation_id="cultivation_tutor_assign",
)
def tutor_assign(request: HttpRequest, cultivation_id: int, payload: AssignIn) -> Any:
    cultivation = _manageable(request, cultivation_id)
    assignment = services_tutor.tutor_assign(
        actor=request.user,
        cultivation=cultivation,
        tutor=_person(request, "tutor", payload.tutor_id),
        role=payload.role,
    )
    return Status(201, assignment)


@router.get(
    "/{cultivation_id}/tutor-changes",
    response={200: list[ChangeOut], **ERRORS},
    operation_id="cultivation_tutor_change_list",
)
def tutor_change_list(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    return list(selectors.change_request_list_for(cultivation))


@router.post(
    "/{cultivation_id}/tutor-changes",
    response={201: ChangeOut, **ERRORS},
    operation_id="cultivation_tutor_change_request",
)
def tutor_change_request(request: HttpRequest, cultivation_id: int, payload: ChangeIn) -> Any:
    cultivation = _manageable(request, cultivation_id)
    change = services_tutor.tutor_change_request(
        actor=request.user,
        cultivation=cultivation,
        role=payload.role,
        new_tutor=_person(request, "new_tutor", payload.new_tutor_id),
        reason=payload.reason,
    )
    return Status(201, change)


@router.post(
    "/{cultivation_id}/tutor-changes/{request_id}/approve",
    response={200: ChangeOut, **ERRORS},
    operation_id="cultivation_tutor_change_approve",
)
def tutor_change_approve(
    request: HttpRequest, cultivation_id: int, request_id: int, payload: ChangeApproveIn
) -> Any:
    change = selectors.change_request_get_for_user_or_404(request.user, cultivation_id, request_id)
    if not permissions.may_approve_as_side(request.user, change.cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host can approve a change of tutor.")
        )
    return services_tutor.tutor_change_approve(
        actor=request.user, change=change, institution=payload.institution_id
    )


@router.post(
    "/{cultivation_id}/tutor-changes/{request_id}/reject",
    response={200: ChangeOut, **ERRORS},
    operation_id="cultivation_tutor_change_reject",
)
def tutor_change_reject(
    request: HttpRequest, cultivation_id: int, request_id: int, payload: CultivationReasonIn
) -> Any:
    change = selectors.change_request_get_for_user_or_404(request.user, cultivation_id, request_id)
    if not permissions.can_manage_cultivation(request.user, change.cultivation):
        raise PermissionDenied(
            _(
                "Only a coordinator of the home or the host, or a consortium "
                "admin, can reject a change of tutor."
            )
        )
    return services_tutor.tutor_change_reject(
        actor=request.user, change=change, reason=payload.reason
    )


def _responsibilities(cultivation: JointCultivation) -> dict[str, Any]:
    return {
        "items": [
            {"key": s.key, "title": s.title, "label": s.label, "role": s.role}
            for s in selectors.responsibility_shares(cultivation)
        ],
        "signatures": [
            {"tutor_id": s.assignment.tutor_id, "role": s.assignment.role, "signed_at": s.signed_at}
            for s in selectors.responsibility_signatures(cultivation)
        ],
        "is_complete": selectors.cultivation_is_complete(cultivation),
    }


@router.get(
    "/{cultivation_id}/responsibilities",
    response={200: ResponsibilitiesOut, **ERRORS},
    operation_id="cultivation_responsibilities_get",
)
def responsibilities_get(request: HttpRequest, cultivation_id: int) -> Any:
    return _responsibilities(_reload(request, cultivation_id))


@router.put(
    "/{cultivation_id}/responsibilities",
    response={200: ResponsibilitiesOut, **ERRORS},
    operation_id="cultivation_responsibilities_divide",
)
def responsibilities_divide(
    request: HttpRequest, cultivation_id: int, payload: ResponsibilitiesIn
) -> Any:
    cultivation = _reload(request, cultivation_id)
    pair = selectors.current_tutors(cultivation)
    if not (
        permissions.can_manage_cultivation(request.user, cultivation)
        or permissions.current_assignment_of(request.user, pair)
    ):
        raise PermissionDenied(
            _(
                "Only the trainee's tutors or a coordinator of the home or "
                "the host can divide the responsibilities."
            )
        )
    services_responsibility.responsibilities_divide(
        actor=request.user,
        cultivation=cultivation,
        items=[item.dict() for item in payload.items],
    )
    return _responsibilities(cultivation)


@router.post(
    "/{cultivation_id}/responsibilities/sign",
    response={200: ResponsibilitiesOut, **ERRORS},
    operation_id="cultivation_responsibilities_sign",
)
def responsibilities_sign(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = _reload(request, cultivation_id)
    services_responsibility.responsibilities_sign(actor=request.user, cultivation=cultivation)
    return _responsibilities(cultivation)


@router.get(
    "/templates/{agreement_id}",
    response={200: list[ItemOut], **ERRORS},
    operation_id="cultivation_template_get",
)
def template_get(request: HttpRequest, agreement_id: int) -> Any:
    agreement = agreement_get_for_user_or_404(request.user, agreement_id)
    return selectors.responsibility_template_for(agreement)


@router.put(
    "/templates/{agreement_id}",
    response={200: list[ItemOut], **ERRORS},
    operation_id="cultivation_template_update",
)
def template_update(request: HttpRequest, agreement_id: int, payload: TemplateIn) -> Any:
    agreement = agreement_get_for_user_or_404(request.user, agreement_id)
    if not permissions.can_edit_template(
        request.user, {party.institution_id for party in agreement.parties.all()}
    ):
        raise PermissionDenied(_("Only a coordinator of a party can edit the template."))
    return services_responsibility.responsibility_template_update(
        actor=request.user, agreement=agreement, items=[item.dict() for item in payload.items]
    )


def _development(request: HttpRequest, user_id: int) -> User:
    tutor = selectors.tutor_get_for_user_or_404(request.user, user_id)
    if not permissions.can_view_tutor_development(
        request.user, tutor, selectors.tutor_institution_ids(tutor)
    ):
        raise PermissionDenied(
            _("Only the tutor and coordinators see a tutor's development and load.")
        )
    return tutor


@router.get(
    "/tutors/{user_id}/trainings",
    response={200: list[TrainingOut], **ERRORS},
    operation_id="cultivation_training_list",
)
def training_list(request: HttpRequest, user_id: int) -> Any:
    return list(selectors.training_list_for(_development(request, user_id))[:500])


@router.post(
    "/tutors/{user_id}/trainings",
    response={201: TrainingOut, **ERRORS},
    operation_id="cultivation_training_create",
)
def training_create(request: HttpRequest, user_id: int, payload: TrainingIn) -> Any:
    """Record a training; the certificate file is uploaded on the page."""
    tutor = selectors.tutor_get_for_user_or_404(request.user, user_id)
    if not permissions.can_record_training(
        request.user, tutor, selectors.tutor_institution_ids(tutor)
    ):
        raise PermissionDenied(
            _("Only the tutor or a coordinator of their institution can record a training.")
        )
    training = services_tutor.tutor_training_record(
        actor=request.user, tutor=tutor, **payload.dict()
    )
    return Status(201, training)


@router.get(
    "/tutors/{user_id}/load",
    response={200: LoadOut, **ERRORS},
    operation_id="cultivation_tutor_load",
)
def tutor_load(request: HttpRequest, user_id: int, year: int | None = None) -> Any:
    tutor = _development(request, user_id)
    if year is not None and not 1990 <= year <= 2200:
        raise Http404
    load = selectors.tutor_load(tutor, year or timezone.localdate().year)
    return {**load, "tutor_id": tutor.pk}


# The tutor training requirement and the trainee's insurance, in their own module.
router.add_router("", training_router)
# The termination preview and its confirmation (decision 098).
router.add_router("", termination_router)
