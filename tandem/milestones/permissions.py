"""Who may do what with milestones and the competency committee: one predicate per action.

- A hospital's training office (its coordinators) or a consortium admin keeps the hospital's
  milestone sets and its programs' committees (members, chair); the built-in set is read-only.
- Committee members open review periods, rate, decide and finalise; the program's coordinators
  see the reviews and may open a period, but do not rate or decide.
- The resident reads their own finalised summaries only; teachers who are not members see
  nothing of the committee's work.
"""

from typing import Any

from tandem.milestones.models import Committee, MilestoneSet, ResidentReview, ReviewStatus
from tandem.residency import permissions as residency_permissions


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def member_ids(committee: Committee) -> set[int]:
    cached = getattr(committee, "_member_ids", None)
    if cached is None:
        cached = {m.user_id for m in committee.members.all()}
        committee._member_ids = cached  # type: ignore[attr-defined]
    return cached


def is_member(user: Any, committee: Committee) -> bool:
    return _signed_in(user) and user.pk in member_ids(committee)


def can_create_set(user: Any) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_any(user)


def can_manage_set(user: Any, milestone_set: MilestoneSet) -> bool:
    return (
        _signed_in(user)
        and milestone_set.institution_id is not None
        and residency_permissions.can_manage_institution(user, milestone_set.institution_id)
    )


def can_manage_committee(user: Any, committee: Committee) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(
        user, committee.program.institution_id
    )


def can_create_committee(user: Any, program: Any) -> bool:
    return _signed_in(user) and residency_permissions.can_manage_institution(
        user, program.institution_id
    )


def can_view_reviews(user: Any, committee: Committee) -> bool:
    return is_member(user, committee) or can_manage_committee(user, committee)


def can_open_review(user: Any, committee: Committee) -> bool:
    return can_view_reviews(user, committee)


def can_rate(user: Any, resident_review: ResidentReview) -> bool:
    return resident_review.status == ReviewStatus.OPEN and is_member(
        user, resident_review.review.committee
    )


def can_finalise(user: Any, resident_review: ResidentReview) -> bool:
    return can_rate(user, resident_review)


def can_read_summary(user: Any, resident_review: ResidentReview) -> bool:
    if resident_review.status != ReviewStatus.FINALISED:
        return False
    return resident_review.resident_id == getattr(user, "pk", None) or can_view_reviews(
        user, resident_review.review.committee
    )
