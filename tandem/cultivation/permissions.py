"""Who may do what with a joint cultivation. Views and the API ask these; the services ask again.

The two sides of a joint cultivation are its home institution (where the trainee is enrolled)
and its host (where the research is done). Their coordinators decide; a consortium admin may
decide too, except where an institution gives its own approval (approving a proposal or a tutor
change), which only that institution's coordinator can do.
"""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.cultivation.models import (
    ChangeRequestStatus,
    CultivationStatus,
    DecisionKind,
    EndingRequest,
    EndingStatus,
    JointCultivation,
    ResponsibilitySignature,
    TutorAssignment,
    TutorChangeRequest,
)

OPEN_STATUSES = (
    CultivationStatus.PROPOSED,
    CultivationStatus.APPROVED,
    CultivationStatus.ACTIVE,
    CultivationStatus.SUSPENDED,
)

# action: (statuses it may start from, status it leads to, decision kind)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "activate": ((CultivationStatus.APPROVED,), CultivationStatus.ACTIVE),
    "suspend": ((CultivationStatus.ACTIVE,), CultivationStatus.SUSPENDED),
    "resume": ((CultivationStatus.SUSPENDED,), CultivationStatus.ACTIVE),
    "complete": ((CultivationStatus.ACTIVE,), CultivationStatus.COMPLETED),
    "terminate": (OPEN_STATUSES, CultivationStatus.TERMINATED),
}
ACTIONS_NEEDING_REASON = ("suspend", "terminate")
# Decisions one side asks and the other confirms (decision 086).
TWO_SIDED = ("suspend", "complete", "terminate")


def is_two_sided(action: str, cultivation: JointCultivation) -> bool:
    """Refusing a proposal (terminate while proposed) stays one side's decision."""
    if action == "terminate" and cultivation.status == CultivationStatus.PROPOSED:
        return False
    return action in TWO_SIDED


def side_ids(cultivation: JointCultivation) -> set[int]:
    return {cultivation.home_id, cultivation.host_id}


def coordinated_sides(user: Any, cultivation: JointCultivation) -> set[int]:
    return tenancy.coordinated_institution_ids(user) & side_ids(cultivation)


def can_propose_cultivation(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_propose_cultivation_between(user: Any, institution_ids: set[int]) -> bool:
    """A consortium admin, or a coordinator of one of the named home and host institutions."""
    return tenancy.is_consortium_admin(user) or bool(
        tenancy.coordinated_institution_ids(user) & institution_ids
    )


def can_manage_cultivation(user: Any, cultivation: JointCultivation) -> bool:
    return tenancy.is_consortium_admin(user) or bool(coordinated_sides(user, cultivation))


def can_plan_stays(user: Any, cultivation: JointCultivation) -> bool:
    """Add a stay or change one's dates: who manages the record, while it is not finished."""
    return can_manage_cultivation(user, cultivation) and cultivation.status in OPEN_STATUSES


def approved_institution_ids(cultivation: JointCultivation) -> set[int]:
    return {
        d.institution_id
        for d in cultivation.decisions.all()
        if d.kind == DecisionKind.APPROVE and d.institution_id is not None
    }


def institutions_user_may_approve_for(user: Any, cultivation: JointCultivation) -> set[int]:
    if cultivation.status != CultivationStatus.PROPOSED:
        return set()
    return coordinated_sides(user, cultivation) - approved_institution_ids(cultivation)


def may_approve_as_side(user: Any, cultivation: JointCultivation) -> bool:
    """A coordinator of the home or the host: the only kind of person who approves."""
    return bool(coordinated_sides(user, cultivation))


def can_decide_cultivation(user: Any, cultivation: JointCultivation, action: str) -> bool:
    if action not in TRANSITIONS:
        return False
    starts, _target = TRANSITIONS[action]
    if cultivation.status not in starts:
        return False
    if is_two_sided(action, cultivation):
        return can_request_ending(user, cultivation)
    return can_manage_cultivation(user, cultivation)


def can_request_ending(user: Any, cultivation: JointCultivation) -> bool:
    """A coordinator of the home or the host (an institution asks, the other confirms), while
    no other ending request is open."""
    return bool(coordinated_sides(user, cultivation)) and not any(
        r.status == EndingStatus.REQUESTED for r in cultivation.ending_requests.all()
    )


def can_answer_ending(user: Any, ending: EndingRequest) -> bool:
    """A coordinator of the side that did not ask, while the request is open."""
    return ending.is_open and ending.other_side_id() in coordinated_sides(user, ending.cultivation)


def is_open(cultivation: JointCultivation) -> bool:
    return cultivation.status in OPEN_STATUSES


def can_terminate_cultivation(user: Any, cultivation: JointCultivation) -> bool:
    """Carrying out a termination decided elsewhere (both sides agreeing, or a sanction): a
    coordinator of the home or the host, or a consortium admin, while it is open (decision 098)."""
    return is_open(cultivation) and can_manage_cultivation(user, cultivation)


def can_preview_termination(user: Any, ending: EndingRequest) -> bool:
    """The coordinators of both sides see what confirming a termination request would change."""
    return (
        ending.is_open
        and ending.kind == "terminate"
        and bool(coordinated_sides(user, ending.cultivation))
    )


def can_assign_tutor(user: Any, cultivation: JointCultivation) -> bool:
    return is_open(cultivation) and can_manage_cultivation(user, cultivation)


def sides_user_may_approve_change_for(user: Any, change: TutorChangeRequest) -> set[int]:
    if change.status != ChangeRequestStatus.REQUESTED:
        return set()
    cultivation = change.cultivation
    pending = set()
    if change.home_approved_by_id is None:
        pending.add(cultivation.home_id)
    if change.host_approved_by_id is None:
        pending.add(cultivation.host_id)
    return coordinated_sides(user, cultivation) & pending


def current_assignment_of(user: Any, pair: dict[str, TutorAssignment]) -> TutorAssignment | None:
    for assignment in pair.values():
        if assignment.tutor_id == getattr(user, "pk", None):
            return assignment
    return None


def can_edit_responsibilities(
    user: Any, cultivation: JointCultivation, pair: dict[str, TutorAssignment]
) -> bool:
    if not is_open(cultivation):
        return False
    if can_manage_cultivation(user, cultivation):
        return True
    return current_assignment_of(user, pair) is not None


def can_sign_responsibilities(
    user: Any, cultivation: JointCultivation, pair: dict[str, TutorAssignment]
) -> bool:
    """A current tutor who has not signed the division as it stands."""
    if not is_open(cultivation):
        return False
    assignment = current_assignment_of(user, pair)
    return (
        assignment is not None
        and not ResponsibilitySignature.objects.filter(assignment=assignment).exists()
    )


def can_edit_template(user: Any, party_ids: set[int]) -> bool:
    return tenancy.is_consortium_admin(user) or bool(
        tenancy.coordinated_institution_ids(user) & party_ids
    )


def can_view_tutor_development(user: Any, tutor: Any, tutor_institution_ids: set[int]) -> bool:
    """The tutor, the admin, and coordinators of the tutor's or partner institutions."""
    if getattr(user, "pk", None) == tutor.pk or tenancy.is_consortium_admin(user):
        return True
    coordinated = tenancy.coordinated_institution_ids(user)
    return bool(coordinated & tutor_institution_ids) or bool(
        coordinated and tenancy.reach_institution_ids(user) & tutor_institution_ids
    )


def can_record_training(user: Any, tutor: Any, tutor_institution_ids: set[int]) -> bool:
    """The tutor themself, a coordinator of one of the tutor's institutions, or the admin."""
    if getattr(user, "pk", None) == tutor.pk or tenancy.is_consortium_admin(user):
        return True
    return bool(tenancy.coordinated_institution_ids(user) & tutor_institution_ids)


def can_use_workspace(user: Any) -> bool:
    return Role.TUTOR in tenancy.roles(user)


def can_set_training_requirement(user: Any, institution_id: int) -> bool:
    """A coordinator of the institution, or the consortium admin (decision 092)."""
    return tenancy.is_consortium_admin(user) or institution_id in (
        tenancy.coordinated_institution_ids(user)
    )


def can_view_training_requirement(user: Any, institution_id: int) -> bool:
    """The requirement page lists the tutors short of it: the people who set it see it."""
    return can_set_training_requirement(user, institution_id)


def can_record_insurance(user: Any, cultivation: JointCultivation) -> bool:
    """The trainee, a coordinator of the home or the host, or the consortium admin."""
    if getattr(user, "pk", None) == cultivation.trainee_id:
        return True
    return can_manage_cultivation(user, cultivation)


def can_view_insurance(user: Any, cultivation: JointCultivation) -> bool:
    """A trainee's policies are theirs and the coordinators' to see, not their tutors'."""
    return can_record_insurance(user, cultivation)
