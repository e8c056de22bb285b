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


# --- the template builder (decision 087) ------------------------------------------------------
# A template kept by A: its coordinators and the admin; the other coordinators do not see it
# (404); people who coordinate nothing are the wrong role (403) whatever the template.

KEEPERS = ["admin", "coord_a"]
OTHER_COORDINATORS = ["coord_b", "outsider"]
NOT_COORDINATORS = everyone_else(COORDINATORS)
TEMPLATES = f"{API}/templates"


def _template_a(cast):
    return make_template(cast, actor=cast.coord_a, institution=cast.inst_a)


def _template_kwargs(cast):
    return {"pk": _template_a(cast).pk}


def _keepers_only(ok_status=200, anonymous=302):
    return expect(
        ok=KEEPERS,
        hidden=OTHER_COORDINATORS,
        forbidden=NOT_COORDINATORS,
        ok_status=ok_status,
        anonymous=anonymous,
    )


RULES.update(
    {
        "evaluations:template_list": page(
            expect=expect(ok=COORDINATORS, forbidden=NOT_COORDINATORS)
        ),
        "evaluations:template_create": page(
            expect=expect(ok=COORDINATORS, forbidden=NOT_COORDINATORS)
        ),
        "evaluations:template_detail": page(kwargs=_template_kwargs, expect=_keepers_only()),
        "evaluations:template_edit": page(kwargs=_template_kwargs, expect=_keepers_only()),
        "evaluations:template_duplicate": page(kwargs=_template_kwargs, expect=_keepers_only()),
        "evaluations:template_retire": page(
            "POST",
            kwargs=_template_kwargs,
            data=lambda cast: {"action": "retire"},
            expect=_keepers_only(ok_status=302),
        ),
    }
)


def _template_json(cast):
    from tandem.evaluations.tests.factories import sections

    return {
        "title": "API template",
        "relationship": "self",
        "institution_id": cast.inst_a.pk,
        "sections": sections(),
    }


def _retired_template_path(cast):
    from tandem.evaluations import services

    template = _template_a(cast)
    services.template_retire(actor=cast.coord_a, template=template)
    return f"{TEMPLATES}/{template.pk}/restore"


def _keepers_api(ok_status=200):
    return _keepers_only(ok_status=ok_status, anonymous=UNAUTHORIZED)


RULES.update(
    {
        "evaluations_template_list": api(
            "GET",
            lambda cast: TEMPLATES,
            expect(ok=COORDINATORS, forbidden=NOT_COORDINATORS, anonymous=UNAUTHORIZED),
        ),
        # Any coordinator may create, but only for an institution they coordinate (A here):
        # the others are told which field is wrong.
        "evaluations_template_create": api(
            "POST",
            lambda cast: TEMPLATES,
            {
                **expect(
                    ok=KEEPERS,
                    forbidden=NOT_COORDINATORS,
                    ok_status=201,
                    anonymous=UNAUTHORIZED,
                ),
                "coord_b": 400,
                "outsider": 400,
            },
            data=_template_json,
        ),
        "evaluations_template_get": api(
            "GET", lambda cast: f"{TEMPLATES}/{_template_a(cast).pk}", _keepers_api()
        ),
        "evaluations_template_edit": api(
            "PUT",
            lambda cast: f"{TEMPLATES}/{_template_a(cast).pk}",
            _keepers_api(),
            data=_template_json,
        ),
        "evaluations_template_versions": api(
            "GET", lambda cast: f"{TEMPLATES}/{_template_a(cast).pk}/versions", _keepers_api()
        ),
        "evaluations_template_duplicate": api(
            "POST",
            lambda cast: f"{TEMPLATES}/{_template_a(cast).pk}/copy",
            _keepers_api(201),
            data=lambda cast: {"institution_id": cast.inst_a.pk},
        ),
        "evaluations_template_retire": api(
            "POST",
            lambda cast: f"{TEMPLATES}/{_template_a(cast).pk}/retire",
            _keepers_api(),
            data=lambda cast: {},
        ),
        "evaluations_template_restore": api(
            "POST", _retired_template_path, _keepers_api(), data=lambda cast: {}
        ),
    }
)
