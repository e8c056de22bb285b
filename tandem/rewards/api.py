"""The rewards API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field names in `errors`; a body that does not fit the
schema 422; what the caller may not read 404; a step they may not take 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.rewards import (
    permissions,
    selectors,
    services,
    services_announce,
    services_committee,
)
from tandem.rewards.models import Nomination, Objection, RewardRound
from tandem.rewards.schemas import (
    RewardsAnnouncementOut,
    RewardsAnswerIn,
    RewardsEvidenceIn,
    RewardsEvidenceOut,
    RewardsMemberIn,
    RewardsNominationIn,
    RewardsNominationOut,
    RewardsObjectionIn,
    RewardsObjectionOut,
    RewardsReasonIn,
    RewardsRoundIn,
    RewardsRoundOut,
    RewardsRoundUpdateIn,
    RewardsVoteIn,
    RewardsVoteOut,
)

router = Router(tags=["rewards"])


def _round_data(round_: RewardRound) -> dict[str, Any]:
    fields = [name for name in RewardsRoundOut.model_fields if name != "member_ids"]
    data = {name: getattr(round_, name) for name in fields}
    data["member_ids"] = sorted(selectors.member_ids(round_))
    return data


def _nomination_data(nomination: Nomination) -> dict[str, Any]:
    return {
        "id": nomination.pk,
        "round_id": nomination.round_id,
        "nominee_ids": sorted(selectors.nominee_ids(nomination)),
        "nominated_by_id": nomination.nominated_by_id,
        "statement": nomination.statement,
        "status": selectors.status_on_read(nomination),
        "nominated_at": nomination.nominated_at,
        "votes_for": nomination.votes_for,
        "eligible": nomination.eligible,
        "final_on": nomination.final_on,
        "evidence": [_evidence_data(e) for e in nomination.evidence.all()],
    }


def _evidence_data(evidence: Any) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "description": evidence.description,
        "reference_kind": evidence.reference_kind,
        "reference_id": evidence.reference_id,
        "has_file": bool(evidence.file),
    }


def _objection_data(user: Any, objection: Objection) -> dict[str, Any]:
    see = permissions.can_see_objector(user, objection.nomination)
    return {
        "id": objection.pk,
        "nomination_id": objection.nomination_id,
        "grounds": objection.grounds,
        "lodged_at": objection.lodged_at,
        "answer": objection.answer,
        "upheld": objection.upheld,
        "answered_at": objection.answered_at,
        "objector_id": objection.objector_id if see else None,
    }


def _nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    return selectors.nomination_get_for_user_or_404(request.user, nomination_id)


# --- rounds --------------------------------------------------------------------------------


@router.get(
    "/rounds", response={200: list[RewardsRoundOut], **ERRORS}, operation_id="rewards_round_list"
)
@paginate(Pagination)
def round_list(request: HttpRequest) -> Any:
    """Every reward round of the consortium, newest first."""
    return [_round_data(r) for r in selectors.round_list_visible_to(request.user)]


@router.post(
    "/rounds", response={201: RewardsRoundOut, **ERRORS}, operation_id="rewards_round_create"
)
def round_create(request: HttpRequest, payload: RewardsRoundIn) -> Any:
    user = request.user
    if not permissions.can_create_round(user):
        raise PermissionDenied(
            _("Only a coordinator of the deciding institution or the consortium admin does this.")
        )
    institution = selectors.institutions_for_round(user).filter(pk=payload.institution_id).first()
    if institution is None:
        raise field_error("institution_id", _("No such institution whose rounds you manage."))
    candidates = selectors.member_candidates(RewardRound(institution=institution))
    members = list(candidates.filter(pk__in=payload.member_ids))
    if len(members) != len(set(payload.member_ids)):
        raise field_error(
            "member_ids",
            _("Committee members are staff of the deciding institution (not trainees)."),
        )
    data = payload.dict(exclude={"institution_id", "member_ids"})
    round_ = services.round_create(actor=user, institution=institution, members=members, **data)
    return Status(201, _round_data(round_))


@router.get(
    "/rounds/{round_id}",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_get",
)
def round_get(request: HttpRequest, round_id: int) -> Any:
    return _round_data(selectors.round_get_for_user_or_404(request.user, round_id))


@router.post(
    "/rounds/{round_id}/members",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_member_add",
)
def round_member_add(request: HttpRequest, round_id: int, payload: RewardsMemberIn) -> Any:
    round_ = selectors.round_get_for_user_or_404(request.user, round_id)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change its committee."))
    user = selectors.member_candidates(round_).filter(pk=payload.user_id).first()
    services.round_member_add(actor=request.user, round_=round_, user=user)
    return _round_data(round_)


def _managed_round(request: HttpRequest, round_id: int) -> RewardRound:
    round_ = selectors.round_get_for_user_or_404(request.user, round_id)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change the round and its committee."))
    return round_


@router.post(
    "/rounds/{round_id}/members/{user_id}/remove",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_member_remove",
)
def round_member_remove(
    request: HttpRequest, round_id: int, user_id: int, payload: RewardsReasonIn
) -> Any:
    """Remove a committee member, with a reason, while nothing is decided; not a member who
    has voted on a nomination under review."""
    round_ = _managed_round(request, round_id)
    user = selectors.members_of(round_).filter(pk=user_id).first()
    services_committee.round_member_remove(
        actor=request.user, round_=round_, user=user, reason=payload.reason
    )
    return _round_data(round_)


@router.patch(
    "/rounds/{round_id}",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_update",
)
def round_update(request: HttpRequest, round_id: int, payload: RewardsRoundUpdateIn) -> Any:
    """Change the titles, criteria, window or objection period while nothing is decided."""
    round_ = _managed_round(request, round_id)
    changed = services_committee.round_update(
        actor=request.user, round_=round_, **payload.dict(exclude_none=True)
    )
    return _round_data(changed)


@router.post(
    "/rounds/{round_id}/cancel",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_cancel",
)
def round_cancel(request: HttpRequest, round_id: int, payload: RewardsReasonIn) -> Any:
    """Cancel the round with a reason: its nominations under review close, everyone is told."""
    round_ = _managed_round(request, round_id)
    return _round_data(
        services_committee.round_cancel(actor=request.user, round_=round_, reason=payload.reason)
    )


@router.post(
    "/rounds/{round_id}/announce",
    response={200: RewardsRoundOut, **ERRORS},
    operation_id="rewards_round_announce",
)
def round_announce(request: HttpRequest, round_id: int) -> Any:
    round_ = selectors.round_get_for_user_or_404(request.user, round_id)
    if not permissions.can_announce(request.user, round_):
        raise PermissionDenied(_("Only the round's committee or managers announce its result."))
    return _round_data(services_announce.round_announce(actor=request.user, round_=round_))


@router.get(
    "/rounds/{round_id}/announcement",
    response={200: RewardsAnnouncementOut, **ERRORS},
    operation_id="rewards_announcement",
)
def announcement(request: HttpRequest, round_id: int) -> Any:
    """The announcement (公示), to every member of the consortium: the round's criteria and the
    awarded nominees with their objection counts; never statements, evidence, votes or who
    objected."""
    round_ = selectors.announced_round_get_or_404(request.user, round_id)
    awards = []
    for award in selectors.awards_of_round(round_):
        objections = list(award.objections.all())
        awards.append(
            {
                "nomination_id": award.pk,
                "nominees": [str(p) for p in award.nominees.all()],
                "status": selectors.status_on_read(award),
                "objections": len(objections),
                "unanswered": sum(1 for o in objections if not o.is_answered),
            }
        )
    return {
        "round_id": round_.pk,
        "institution_id": round_.institution_id,
        "title": str(round_),
        "kind": round_.kind,
        "criteria": round_.criteria,
        "criteria_zh": round_.criteria_zh,
        "announced_on": round_.announced_on,
        "objection_until": round_.objection_until,
        "awards": awards,
    }


@router.get(
    "/rounds/{round_id}/nominations",
    response={200: list[RewardsNominationOut], **ERRORS},
    operation_id="rewards_nomination_list",
)
@paginate(Pagination)
def nomination_list(request: HttpRequest, round_id: int) -> Any:
    """The round's nominations the caller may read."""
    round_ = selectors.round_get_for_user_or_404(request.user, round_id)
    return [_nomination_data(n) for n in selectors.nominations_of_round_for(request.user, round_)]


@router.post(
    "/rounds/{round_id}/nominations",
    response={201: RewardsNominationOut, **ERRORS},
    operation_id="rewards_nomination_create",
)
def nomination_create(request: HttpRequest, round_id: int, payload: RewardsNominationIn) -> Any:
    user = request.user
    round_ = selectors.round_get_for_user_or_404(user, round_id)
    if not permissions.can_nominate(user, round_):
        raise PermissionDenied(_("Tutors and coordinators nominate."))
    people = list(selectors.nominee_candidates(user, round_).filter(pk__in=payload.nominee_ids))
    if len(people) != len(set(payload.nominee_ids)):
        raise field_error(
            "nominee_ids",
            _(
                "You can nominate only people you tutor or coordinate, within the round and of "
                "the kind it rewards."
            ),
        )
    nomination = services.nomination_create(
        actor=user, round_=round_, nominees=people, statement=payload.statement
    )
    return Status(201, _nomination_data(nomination))


# --- nominations ---------------------------------------------------------------------------


@router.get(
    "/nominations/{nomination_id}",
    response={200: RewardsNominationOut, **ERRORS},
    operation_id="rewards_nomination_get",
)
def nomination_get(request: HttpRequest, nomination_id: int) -> Any:
    return _nomination_data(_nomination(request, nomination_id))


@router.post(
    "/nominations/{nomination_id}/evidence",
    response={201: RewardsEvidenceOut, **ERRORS},
    operation_id="rewards_evidence_add",
)
def evidence_add(request: HttpRequest, nomination_id: int, payload: RewardsEvidenceIn) -> Any:
    """A reference to a record in Tandem (files are attached on the nomination page)."""
    nomination = _nomination(request, nomination_id)
    if not permissions.can_add_evidence(request.user, nomination):
        raise PermissionDenied(_("Only the nominator adds evidence."))
    if not payload.reference_kind:
        raise field_error("reference_kind", _("Refer to a record in Tandem."))
    evidence = services.evidence_add(
        actor=request.user,
        nomination=nomination,
        description=payload.description,
        reference_kind=payload.reference_kind,
        reference_id=payload.reference_id,
    )
    return Status(201, _evidence_data(evidence))


@router.post(
    "/nominations/{nomination_id}/vote",
    response={200: RewardsVoteOut, **ERRORS},
    operation_id="rewards_vote",
)
def vote(request: HttpRequest, nomination_id: int, payload: RewardsVoteIn) -> Any:
    nomination = _nomination(request, nomination_id)
    if not permissions.is_member(request.user, nomination.round):
        raise PermissionDenied(_("Only the members of the round's committee vote."))
    cast = services.nomination_vote(
        actor=request.user, nomination=nomination, choice=payload.choice, comment=payload.comment
    )
    return {
        "nomination_id": nomination.pk,
        "choice": cast.choice,
        "comment": cast.comment,
        "cast_at": cast.cast_at,
    }


@router.get(
    "/nominations/{nomination_id}/objections",
    response={200: list[RewardsObjectionOut], **ERRORS},
    operation_id="rewards_objection_list",
)
def objection_list(request: HttpRequest, nomination_id: int) -> Any:
    """The objections to an award, for those who read the nomination; the objector is named
    to the committee only."""
    nomination = _nomination(request, nomination_id)
    return [_objection_data(request.user, o) for o in nomination.objections.all()]


@router.post(
    "/nominations/{nomination_id}/objections",
    response={201: RewardsObjectionOut, **ERRORS},
    operation_id="rewards_objection_lodge",
)
def objection_lodge(request: HttpRequest, nomination_id: int, payload: RewardsObjectionIn) -> Any:
    award = selectors.announced_award_get_or_404(request.user, nomination_id)
    if not permissions.can_object(request.user, award):
        raise PermissionDenied(
            _("The committee and the nominees do not lodge objections to this award.")
        )
    objection = services_announce.objection_lodge(
        actor=request.user, nomination=award, grounds=payload.grounds
    )
    return Status(201, _objection_data(request.user, objection))


@router.post(
    "/objections/{objection_id}/answer",
    response={200: RewardsObjectionOut, **ERRORS},
    operation_id="rewards_objection_answer",
)
def objection_answer(request: HttpRequest, objection_id: int, payload: RewardsAnswerIn) -> Any:
    objection = selectors.objection_get_for_user_or_404(request.user, objection_id)
    if not permissions.can_answer_objection(request.user, objection):
        raise PermissionDenied(
            _("Only a member of the committee who is not recused answers this objection.")
        )
    answered = services_announce.objection_answer(
        actor=request.user, objection=objection, answer=payload.answer, upheld=payload.upheld
    )
    return _objection_data(request.user, answered)


@router.post(
    "/nominations/{nomination_id}/finalise",
    response={200: RewardsNominationOut, **ERRORS},
    operation_id="rewards_award_finalise",
)
def award_finalise(request: HttpRequest, nomination_id: int) -> Any:
    nomination = _nomination(request, nomination_id)
    if not permissions.can_finalise(request.user, nomination):
        raise PermissionDenied(_("Only the round's committee or managers finalise an award."))
    return _nomination_data(
        services_announce.award_finalise(actor=request.user, nomination=nomination)
    )
