"""The milestones API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.milestones import permissions, selectors, services
from tandem.milestones.schemas import (
    MilestonesCommitteeOut,
    MilestonesFinaliseIn,
    MilestonesMemberIn,
    MilestonesRatedOut,
    MilestonesRatingIn,
    MilestonesResidentReviewOut,
    MilestonesReviewIn,
    MilestonesReviewOut,
    MilestonesSetDetailOut,
    MilestonesSetIn,
    MilestonesSetOut,
    MilestonesSummaryOut,
)
from tandem.residency.selectors import institution_list_managed_by

router = Router(tags=["milestones"])


@router.get(
    "/sets", response={200: list[MilestonesSetOut], **ERRORS}, operation_id="milestones_set_list"
)
@paginate(Pagination)
def set_list(request: HttpRequest) -> Any:
    services.builtin_set_ensure()
    return selectors.set_list_visible_to(request.user)


@router.post(
    "/sets", response={201: MilestonesSetOut, **ERRORS}, operation_id="milestones_set_create"
)
def set_create(request: HttpRequest, payload: MilestonesSetIn) -> Any:
    if not permissions.can_create_set(request.user):
        raise PermissionDenied(_("Only a training office keeps milestone sets."))
    institution = (
        institution_list_managed_by(request.user).filter(pk=payload.institution_id).first()
    )
    if institution is None:
        raise field_error("institution_id", _("Choose a hospital whose training office you are."))
    found = services.set_create(
        actor=request.user,
        institution=institution,
        specialty=payload.specialty,
        version=payload.version,
        name=payload.name,
        name_zh=payload.name_zh,
    )
    return Status(201, found)


@router.get(
    "/sets/{set_id}",
    response={200: MilestonesSetDetailOut, **ERRORS},
    operation_id="milestones_set_get",
)
def set_get(request: HttpRequest, set_id: int) -> Any:
    found = selectors.set_get_for_user_or_404(request.user, set_id)
    return {
        **MilestonesSetOut.model_validate(found).model_dump(),
        "subcompetencies": list(selectors.subcompetencies_of(found)),
        "epas": list(selectors.epas_of(found)),
    }


@router.get(
    "/committees",
    response={200: list[MilestonesCommitteeOut], **ERRORS},
    operation_id="milestones_committee_list",
)
@paginate(Pagination)
def committee_list(request: HttpRequest) -> Any:
    return selectors.committee_list_visible_to(request.user)


@router.get(
    "/committees/{committee_id}",
    response={200: MilestonesCommitteeOut, **ERRORS},
    operation_id="milestones_committee_get",
)
def committee_get(request: HttpRequest, committee_id: int) -> Any:
    return selectors.committee_get_for_user_or_404(request.user, committee_id)


def _faculty(committee: Any, user_id: int) -> Any:
    user = (
        selectors.faculty_of_institution(committee.program.institution_id)
        .filter(pk=user_id)
        .first()
    )
    if user is None:
        raise field_error("user_id", _("Choose a faculty member of the program's hospital."))
    return user


@router.post(
    "/committees/{committee_id}/members",
    response={200: MilestonesCommitteeOut, **ERRORS},
    operation_id="milestones_member_add",
)
def member_add(request: HttpRequest, committee_id: int, payload: MilestonesMemberIn) -> Any:
    committee = selectors.committee_get_for_user_or_404(request.user, committee_id)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    services.committee_member_add(
        actor=request.user, committee=committee, user=_faculty(committee, payload.user_id)
    )
    return selectors.committee_get_for_user_or_404(request.user, committee_id)


@router.delete(
    "/committees/{committee_id}/members/{user_id}",
    response={200: MilestonesCommitteeOut, **ERRORS},
    operation_id="milestones_member_remove",
)
def member_remove(request: HttpRequest, committee_id: int, user_id: int) -> Any:
    committee = selectors.committee_get_for_user_or_404(request.user, committee_id)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    services.committee_member_remove(
        actor=request.user, committee=committee, user=_faculty(committee, user_id)
    )
    return selectors.committee_get_for_user_or_404(request.user, committee_id)


@router.post(
    "/committees/{committee_id}/reviews",
    response={201: MilestonesReviewOut, **ERRORS},
    operation_id="milestones_review_open",
)
def review_open(request: HttpRequest, committee_id: int, payload: MilestonesReviewIn) -> Any:
    committee = selectors.committee_get_for_user_or_404(request.user, committee_id)
    if not permissions.can_open_review(request.user, committee):
        raise PermissionDenied(_("Only the committee and the program's training office do this."))
    milestone_set = (
        selectors.sets_for_program(request.user, committee.program)
        .filter(pk=payload.milestone_set_id)
        .first()
    )
    if milestone_set is None:
        raise field_error(
            "milestone_set_id", _("Choose a milestone set of the program's specialty.")
        )
    review = services.review_open(
        actor=request.user,
        committee=committee,
        milestone_set=milestone_set,
        label=payload.label,
        period_start=payload.period_start,
        period_end=payload.period_end,
        due_on=payload.due_on,
    )
    return Status(201, review)


@router.get(
    "/reviews/{review_id}",
    response={200: MilestonesReviewOut, **ERRORS},
    operation_id="milestones_review_get",
)
def review_get(request: HttpRequest, review_id: int) -> Any:
    return selectors.review_get_for_user_or_404(request.user, review_id)


@router.get(
    "/resident-reviews/{rr_id}",
    response={200: MilestonesResidentReviewOut, **ERRORS},
    operation_id="milestones_resident_review_get",
)
def resident_review_get(request: HttpRequest, rr_id: int) -> Any:
    return selectors.resident_review_get_for_user_or_404(request.user, rr_id)


def _ids(values: dict[str, Any], field: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for key, value in values.items():
        if not key.isdigit():
            raise field_error(field, _("Give the ids of the set's subcompetencies and EPAs."))
        found[int(key)] = value
    return found


@router.post(
    "/resident-reviews/{rr_id}/ratings",
    response={200: MilestonesRatedOut, **ERRORS},
    operation_id="milestones_ratings_save",
)
def ratings_save(request: HttpRequest, rr_id: int, payload: MilestonesRatingIn) -> Any:
    rr = selectors.resident_review_get_for_user_or_404(request.user, rr_id)
    written = services.ratings_save(
        actor=request.user,
        resident_review=rr,
        subcompetencies=_ids(payload.subcompetencies, "subcompetencies"),
        epas=_ids(payload.epas, "epas"),
        notes=_ids(payload.notes, "notes"),
    )
    return {"written": written}


@router.post(
    "/resident-reviews/{rr_id}/finalise",
    response={200: MilestonesSummaryOut, **ERRORS},
    operation_id="milestones_finalise",
)
def finalise(request: HttpRequest, rr_id: int, payload: MilestonesFinaliseIn) -> Any:
    rr = selectors.resident_review_get_for_user_or_404(request.user, rr_id)
    owner = None
    if payload.plan_owner_id is not None:
        owner = (
            selectors.faculty_of_institution(rr.review.committee.program.institution_id)
            .filter(pk=payload.plan_owner_id)
            .first()
        )
        if owner is None:
            raise field_error(
                "plan_owner_id", _("The plan's owner must be on the program's faculty.")
            )
    return services.resident_review_finalise(
        actor=request.user,
        resident_review=rr,
        decision=payload.decision,
        plan=payload.plan,
        plan_owner=owner,
        plan_due=payload.plan_due,
    )


@router.get(
    "/summaries",
    response={200: list[MilestonesSummaryOut], **ERRORS},
    operation_id="milestones_summary_mine",
)
@paginate(Pagination)
def summary_mine(request: HttpRequest) -> Any:
    """The caller's own finalised competency reviews, newest first."""
    return selectors.summary_list_of_resident(request.user)
