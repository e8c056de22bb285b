"""Who may do what with a training plan. Views and the API ask these; the services ask again.

Every predicate assumes the caller already reached the cultivation through
`cultivation_get_for_user_or_404` (so "may see" is settled).
"""

from typing import Any

from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation
from tandem.plans.models import PlanMilestone, PlanVersion


def _current_tutor_ids(cultivation: JointCultivation) -> set[int]:
    cached = getattr(cultivation, "_plans_current_tutor_ids", None)
    if cached is None:
        cached = set(
            cultivation.tutor_assignments.filter(ended_at__isnull=True).values_list(
                "tutor_id", flat=True
            )
        )
        cultivation._plans_current_tutor_ids = cached  # type: ignore[attr-defined]
    return cached


def forget(cultivation: JointCultivation) -> None:
    if hasattr(cultivation, "_plans_current_tutor_ids"):
        del cultivation._plans_current_tutor_ids


def is_current_tutor(user: Any, cultivation: JointCultivation) -> bool:
    return getattr(user, "pk", None) in _current_tutor_ids(cultivation)


def is_trainee(user: Any, cultivation: JointCultivation) -> bool:
    return getattr(user, "pk", None) == cultivation.trainee_id


def is_site_coordinator(user: Any, cultivation: JointCultivation) -> bool:
    """A coordinator of the home or the host institution."""
    return bool(
        tenancy.coordinated_institution_ids(user) & {cultivation.home_id, cultivation.host_id}
    )


def can_write_plan(user: Any, cultivation: JointCultivation) -> bool:
    """The two current tutors and the trainee write the plan."""
    return is_current_tutor(user, cultivation) or is_trainee(user, cultivation)


def can_edit_version(user: Any, version: PlanVersion | None) -> bool:
    return (
        version is not None and version.is_open and can_write_plan(user, version.plan.cultivation)
    )


def tutor_roles_of(user: Any, cultivation: JointCultivation) -> set[str]:
    """The places in the current pair (experimental, theoretical) that the user holds."""
    return set(
        cultivation.tutor_assignments.filter(
            ended_at__isnull=True, tutor_id=getattr(user, "pk", None)
        ).values_list("role", flat=True)
    )


def roles_user_may_sign_for(user: Any, version: PlanVersion | None) -> set[str]:
    """The user's places in the pair that have not signed this open version yet."""
    if version is None or not version.is_open:
        return set()
    signed = set(version.signatures.values_list("role", flat=True))
    return tutor_roles_of(user, version.plan.cultivation) - signed


def can_sign_version(user: Any, version: PlanVersion | None) -> bool:
    """A current tutor, while their place in the pair has not signed this open version."""
    return bool(roles_user_may_sign_for(user, version))


def can_read_confidential(user: Any, cultivation: JointCultivation) -> bool:
    """Only the coordinators of home and host, the two current tutors, and the trainee (whose
    own health it is). Consortium admins only when they also coordinate home or host."""
    return (
        is_site_coordinator(user, cultivation)
        or is_current_tutor(user, cultivation)
        or is_trainee(user, cultivation)
    )


def can_submit_milestone(user: Any, milestone: PlanMilestone) -> bool:
    return milestone.status in ("planned", "needs_revision") and can_write_plan(
        user, milestone.plan.cultivation
    )


def may_review(user: Any, cultivation: JointCultivation) -> bool:
    return is_current_tutor(user, cultivation) or is_site_coordinator(user, cultivation)


def can_review_milestone(user: Any, milestone: PlanMilestone) -> bool:
    return milestone.status == "submitted" and may_review(user, milestone.plan.cultivation)


def can_import_record(user: Any) -> bool:
    return tenancy.is_consortium_admin(user)
