"""The API of the tutor training requirement (decision 092), of a joint trainee's insurance
(decision 093) and of planning stays after the proposal (decision 094); mounted under the
cultivation router."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from tandem.core.api import ERRORS
from tandem.cultivation import (
    permissions,
    selectors,
    selectors_training,
    services_stays,
    services_training,
)
from tandem.cultivation.schemas import (
    InsuranceIn,
    InsuranceOut,
    StayChangeIn,
    StayIn,
    StayPlannedOut,
    TrainingRequirementIn,
    TrainingRequirementOut,
)
from tandem.institutions.models import Institution
from tandem.institutions.selectors import institution_get_for_user_or_404

router = Router(tags=["cultivation"])


def _institution(request: HttpRequest, institution_id: int) -> Institution:
    institution = institution_get_for_user_or_404(request.user, institution_id)
    if not permissions.can_view_training_requirement(request.user, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of the institution sees its tutor training requirement.")
        )
    return institution


def _requirement_out(institution: Institution) -> dict[str, Any]:
    status = selectors_training.tutor_training_status(institution)
    requirement = status["requirement"]
    if requirement is None:
        raise Http404
    return {
        "institution_id": institution.pk,
        "hours_per_period": requirement.hours_per_period,
        "period_start_month": requirement.period_start_month,
        "period_start": status["period"][0],
        "period_end": status["period"][1],
        "mandatory_courses": requirement.course_list,
        "new_tutor_months": requirement.new_tutor_months,
        "tutors_short": [
            {
                "tutor_id": row["tutor"].pk,
                "tutor_name": str(row["tutor"]),
                "hours": row["hours"],
                "hours_short": row["hours_short"],
                "is_new": row["is_new"],
                "missing_courses": row["missing_courses"],
            }
            for row in status["short"]
        ],
    }


@router.get(
    "/institutions/{institution_id}/tutor-training",
    response={200: TrainingRequirementOut, **ERRORS},
    operation_id="cultivation_training_requirement_get",
)
def training_requirement_get(request: HttpRequest, institution_id: int) -> Any:
    """The institution's tutor training requirement and the tutors short of it (404 when it
    sets none)."""
    return _requirement_out(_institution(request, institution_id))


@router.put(
    "/institutions/{institution_id}/tutor-training",
    response={200: TrainingRequirementOut, **ERRORS},
    operation_id="cultivation_training_requirement_set",
)
def training_requirement_set(
    request: HttpRequest, institution_id: int, payload: TrainingRequirementIn
) -> Any:
    institution = _institution(request, institution_id)
    services_training.tutor_training_requirement_set(
        actor=request.user, institution=institution, **payload.dict()
    )
    return _requirement_out(institution)


def _cultivation(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.can_view_insurance(request.user, cultivation):
        raise PermissionDenied(
            _("Only the trainee and the coordinators of the home and the host see the insurance.")
        )
    return cultivation


@router.get(
    "/{cultivation_id}/insurance",
    response={200: list[InsuranceOut], **ERRORS},
    operation_id="cultivation_insurance_list",
)
def insurance_list(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = _cultivation(request, cultivation_id)
    return list(selectors_training.insurance_list_for(cultivation.trainee)[:200])


@router.post(
    "/{cultivation_id}/insurance",
    response={201: InsuranceOut, **ERRORS},
    operation_id="cultivation_insurance_create",
)
def insurance_create(request: HttpRequest, cultivation_id: int, payload: InsuranceIn) -> Any:
    cultivation = _cultivation(request, cultivation_id)
    insurance = services_training.trainee_insurance_record(
        actor=request.user, cultivation=cultivation, **payload.dict()
    )
    return Status(201, insurance)


def _planner(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.can_manage_cultivation(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host, or a consortium admin, can plan stays.")
        )
    return cultivation


@router.post(
    "/{cultivation_id}/stays",
    response={201: StayPlannedOut, **ERRORS},
    operation_id="cultivation_stay_add",
)
def stay_add(request: HttpRequest, cultivation_id: int, payload: StayIn) -> Any:
    """Add a stay; on an active record a host stay needs the insurance its agreement requires."""
    cultivation = _planner(request, cultivation_id)
    stay = services_stays.stay_add(
        actor=request.user,
        cultivation=cultivation,
        institution=payload.institution_id,
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
    )
    return Status(201, stay)


@router.put(
    "/{cultivation_id}/stays/{stay_id}",
    response={200: StayPlannedOut, **ERRORS},
    operation_id="cultivation_stay_change",
)
def stay_change(
    request: HttpRequest, cultivation_id: int, stay_id: int, payload: StayChangeIn
) -> Any:
    """New dates for a stay; the same checks as adding one."""
    cultivation = _planner(request, cultivation_id)
    stay = cultivation.stays.filter(pk=stay_id).first()
    if stay is None:
        raise Http404
    return services_stays.stay_change(
        actor=request.user,
        stay=stay,
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
    )
