"""Who gets what on every evaluations page and API operation (see tandem/core/tests/authz.py).

The round: run by A (coord_a) for agreement_ab's joint trainees — the cast's trainee, tutored by
tutor_b and tutor_a. The to-do list is everyone's own; a pair's form only its evaluator's (anyone
else: 404). Rounds are for coordinators (other roles 403); one round and its results only for
those who run it and the admin (anyone else: 404).
"""

from tandem.core.tests.authz import UNAUTHORIZED, api, everyone_else, expect, page
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.tests.factories import make_template, open_round, population

RUNNERS = ["admin", "coord_a"]
COORDINATORS = ["admin", "coord_a", "coord_b", "outsider"]
API = "/api/v1/evaluations"


def _round(cast):
    population(cast)
    return open_round(cast, [make_template(cast)])


def _pair(cast):
    return EvaluationPair.objects.get(round=_round(cast), target_user=cast.tutor_a)


def _results_kwargs(cast):
    pair = _pair(cast)
    return {
        "pk": pair.round_id,
        "template_pk": pair.template_id,
        "kind": "person",
        "target_pk": cast.tutor_a.pk,
    }


RULES = {
    "evaluations:todo": page(expect=expect(ok=everyone_else())),
    "evaluations:respond": page(
        kwargs=lambda cast: {"pk": _pair(cast).pk},
        expect=expect(ok=["trainee"], hidden=everyone_else(["trainee"])),
    ),
    "evaluations:round_list": page(
        expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))
    ),
    "evaluations:round_detail": page(
        kwargs=lambda cast: {"pk": _round(cast).pk},
        expect=expect(ok=RUNNERS, hidden=everyone_else(RUNNERS)),
    ),
    "evaluations:round_export": page(
        kwargs=lambda cast: {"pk": _round(cast).pk},
        expect=expect(ok=RUNNERS, hidden=everyone_else(RUNNERS)),
    ),
    "evaluations:results": page(
        kwargs=_results_kwargs, expect=expect(ok=RUNNERS, hidden=everyone_else(RUNNERS))
    ),
    "evaluations_todo_list": api(
        "GET", lambda cast: f"{API}/todo", expect(ok=everyone_else(), anonymous=UNAUTHORIZED)
    ),
    "evaluations_answer": api(
        "POST",
        lambda cast: f"{API}/{_pair(cast).pk}/answers",
        expect(ok=["trainee"], hidden=everyone_else(["trainee"]), anonymous=UNAUTHORIZED),
        data=lambda cast: {"answers": {}},
    ),
}
