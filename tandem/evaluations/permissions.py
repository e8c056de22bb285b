"""Who may do what with evaluation templates, rounds and pairs. Pages and the API ask these;
the services ask again.

Templates: a consortium-wide template (no institution) is kept by the consortium admin, an
institution's by its coordinators. Rounds are run by the coordinators of the institution that
runs them (and the consortium admin); they watch completion and release results. An evaluator
answers only their own pairs, while the round is open and the pair still to do.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.core import tenancy
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    PairStatus,
)


def can_create_template(user: Any, institution_id: int | None) -> bool:
    if tenancy.is_consortium_admin(user):
        return True
    return institution_id is not None and institution_id in tenancy.coordinated_institution_ids(
        user
    )


def can_manage_template(user: Any, template: EvaluationTemplate) -> bool:
    return template.is_current and can_create_template(user, template.institution_id)


def can_open_round(user: Any, institution_id: int) -> bool:
    """A consortium admin, or a coordinator of the institution that will run the round."""
    return can_create_template(user, institution_id)


def can_manage_round(user: Any, round_: EvaluationRound) -> bool:
    return can_create_template(user, round_.institution_id)


def can_see_completion(user: Any, round_: EvaluationRound) -> bool:
    return can_manage_round(user, round_)


def can_release_round(user: Any, round_: EvaluationRound) -> bool:
    return can_manage_round(user, round_) and round_.released_at is None


def can_change_pair(user: Any, pair: EvaluationPair) -> bool:
    """Extend, reassign or withdraw: only a pair still to do."""
    return pair.status == PairStatus.PENDING and can_manage_round(user, pair.round)


def can_respond(user: Any, pair: EvaluationPair, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        getattr(user, "pk", None) == pair.evaluator_id
        and pair.status == PairStatus.PENDING
        and pair.round.opens_on <= today
    )
