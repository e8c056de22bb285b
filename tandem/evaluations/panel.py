"""Assigned evaluators (decision 094): the experts of the institution running a round, people
holding its evaluator role, e.g. the members of a mid-term review panel, who each evaluate
every trainee of the round's population.

The coordinator picks them when opening the round, or leaves the choice empty for all the
institution's evaluators. A panel member does not evaluate a trainee they tutor (the tutors do
that as "tutor evaluates the trainee"), nor themselves.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.errors import field_error
from tandem.evaluations.models import Relationship
from tandem.evaluations.selectors_manage import institution_evaluators
from tandem.institutions.models import Institution

PairKey = tuple[int, int | None, int | None]  # evaluator, target person, target institution
FIELD = "evaluators"


def panel_for(
    *,
    institution: Institution,
    relationships: Iterable[str],
    evaluators: Iterable[Any] | None,
) -> list[int]:
    """The ids of the round's assigned evaluators; [] when the round has no such
    relationship. Refuses someone who is not an evaluator of the running institution."""
    chosen = {int(getattr(e, "pk", e)) for e in (evaluators or ())}
    if Relationship.EVALUATOR_TRAINEE not in set(relationships):
        if chosen:
            raise field_error(
                FIELD,
                _(
                    "Assigned evaluators need a template for “assigned evaluator evaluates "
                    "the trainee”; choose one or pick no evaluators."
                ),
            )
        return []
    eligible = list(institution_evaluators([institution.pk]).values_list("pk", flat=True))
    if not eligible:
        raise field_error(
            f"template_{Relationship.EVALUATOR_TRAINEE}",
            _(
                "%(institution)s has no one with the evaluator role; give the role to the "
                "panel members first."
            )
            % {"institution": institution},
        )
    if not chosen:
        return eligible
    strangers = chosen - set(eligible)
    if strangers:
        raise field_error(
            FIELD,
            _("Choose evaluators of %(institution)s, the institution running the round.")
            % {"institution": institution},
        )
    return [pk for pk in eligible if pk in chosen]


def panel_pairs(
    panel: list[int],
    institution_id: int,
    trainees: list[tuple[int, int, int]],
    tutors: list[tuple[int, int, int]],
) -> dict[PairKey, int]:
    """{(evaluator, trainee, None): running institution} for every panel member and trainee,
    except their own trainees and themselves."""
    tutored = {(tutor, trainee) for trainee, tutor, _inst in tutors}
    pairs: dict[PairKey, int] = {}
    for trainee, _home, _host in trainees:
        for evaluator in panel:
            if evaluator != trainee and (evaluator, trainee) not in tutored:
                pairs[(evaluator, trainee, None)] = institution_id
    return pairs
