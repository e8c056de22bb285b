"""Who may do what with a joint trainee's publications. Views and the API ask these; the
services ask again.

The trainee, their current tutors, the coordinators of the home and the host, and consortium
admins record and correct publications. Only the two coordinators waive a policy violation
(each for their side), and only the two current tutors confirm.
"""

from typing import Any

from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.publications.models import Publication


def _pk(user: Any) -> Any:
    return getattr(user, "pk", None)


def coordinated_sides(user: Any, cultivation: JointCultivation) -> set[int]:
    return tenancy.coordinated_institution_ids(user) & {cultivation.home_id, cultivation.host_id}


def can_record_publication(
    user: Any, cultivation: JointCultivation, pair: dict[str, TutorAssignment]
) -> bool:
    if tenancy.is_consortium_admin(user) or coordinated_sides(user, cultivation):
        return True
    if cultivation.trainee_id == _pk(user):
        return True
    return any(a.tutor_id == _pk(user) for a in pair.values())


def can_edit_publication(
    user: Any, publication: Publication, pair: dict[str, TutorAssignment]
) -> bool:
    return can_record_publication(user, publication.cultivation, pair)


def may_waive_as_side(user: Any, publication: Publication) -> bool:
    return bool(coordinated_sides(user, publication.cultivation))


def sides_user_may_waive(user: Any, publication: Publication) -> set[int]:
    """The sides (home/host) this coordinator may still waive the current violations for."""
    if not publication.violations or publication.compliant:
        return set()
    cultivation = publication.cultivation
    pending = set()
    current = set(publication.violations) <= set(publication.waived_codes)
    if not (current and publication.waiver_home_by_id):
        pending.add(cultivation.home_id)
    if not (current and publication.waiver_host_by_id):
        pending.add(cultivation.host_id)
    return coordinated_sides(user, cultivation) & pending


def confirming_role(
    user: Any, publication: Publication, pair: dict[str, TutorAssignment]
) -> str | None:
    """The role in which this current tutor may still confirm, or None."""
    confirmed = {c.tutor_id for c in publication.confirmations.all()}
    for role, assignment in pair.items():
        if assignment.tutor_id == _pk(user) and assignment.tutor_id not in confirmed:
            return role
    return None


def is_current_tutor(user: Any, pair: dict[str, TutorAssignment]) -> bool:
    return any(a.tutor_id == _pk(user) for a in pair.values())
