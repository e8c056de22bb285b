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


# --- running rounds and the target's own results (views_manage, api_manage) ------------------
# Opening is for coordinators (others 403); a coordinator of another institution names an
# institution they do not coordinate: a 400 naming `institution_id`. Everything about one
# round or pair is for those who run it (anyone else 404). A target's own result only after
# the release, and only their own (anyone else 404).


def _released_kwargs(cast):
    kwargs = _results_kwargs(cast)
    from tandem.evaluations import services_respond
    from tandem.evaluations.models import EvaluationRound

    services_respond.round_release(
        actor=cast.coord_a, round_=EvaluationRound.objects.get(pk=kwargs["pk"])
    )
    return kwargs


def _comment_id(cast):
    from tandem.evaluations import services_respond
    from tandem.evaluations.tests.factories import full_answers, narrative_item

    pair = _pair(cast)
    answers = full_answers(pair.template)
    answers[str(narrative_item(pair.template).pk)] = "Rude"
    services_respond.response_submit(actor=pair.evaluator, pair=pair, answers=answers)
    from tandem.evaluations.models import EvaluationAnswer

    return pair.round_id, EvaluationAnswer.objects.get(text="Rude").pk


def _open_body(cast):
    population(cast)
    template = make_template(cast)
    return {
        "title": "Spring",
        "institution_id": cast.inst_a.pk,
        "population": "agreement",
        "agreement_id": cast.agreement_ab.pk,
        "opens_on": "2026-01-01",
        "due_on": "2026-12-31",
        "templates": {template.relationship: template.pk},
        "dry_run": True,
    }


def _path(suffix):
    return lambda cast: f"{API}{suffix(cast)}"


def _result_path(prefix):
    def build(cast):
        k = _results_kwargs(cast) if prefix == "rounds" else _released_kwargs(cast)
        middle = "results/" if prefix == "rounds" else ""
        return f"{API}/{prefix}/{k['pk']}/{middle}{k['template_pk']}/person/{k['target_pk']}"

    return build


RUNNERS_ONLY = expect(ok=RUNNERS, hidden=everyone_else(RUNNERS))
RUNNERS_ONLY_API = expect(ok=RUNNERS, hidden=everyone_else(RUNNERS), anonymous=UNAUTHORIZED)
OPENERS_API = {
    **expect(ok=RUNNERS, forbidden=everyone_else(COORDINATORS), anonymous=UNAUTHORIZED),
    "coord_b": 400,
    "outsider": 400,
}

RULES |= {
    "evaluations:round_open": page(
        expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))
    ),
    "evaluations:manage_pairs": page(
        kwargs=lambda cast: {"pk": _round(cast).pk}, expect=RUNNERS_ONLY
    ),
    "evaluations:pair_extend": page(
        kwargs=lambda cast: {"pk": _pair(cast).pk}, expect=RUNNERS_ONLY
    ),
    "evaluations:pair_reassign": page(
        kwargs=lambda cast: {"pk": _pair(cast).pk}, expect=RUNNERS_ONLY
    ),
    "evaluations:pair_withdraw": page(
        kwargs=lambda cast: {"pk": _pair(cast).pk}, expect=RUNNERS_ONLY
    ),
    "evaluations:round_release": page(
        kwargs=lambda cast: {"pk": _round(cast).pk}, expect=RUNNERS_ONLY
    ),
    "evaluations:comment_hide": page(kwargs=_results_kwargs, expect=RUNNERS_ONLY),
    "evaluations:my_results": page(expect=expect(ok=everyone_else())),
    "evaluations:my_result": page(
        kwargs=_released_kwargs, expect=expect(ok=["tutor_a"], hidden=everyone_else(["tutor_a"]))
    ),
    "evaluations_round_list": api(
        "GET",
        _path(lambda cast: "/rounds"),
        expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS), anonymous=UNAUTHORIZED),
    ),
    "evaluations_round_get": api(
        "GET", _path(lambda cast: f"/rounds/{_round(cast).pk}"), RUNNERS_ONLY_API
    ),
    "evaluations_round_open": api(
        "POST", _path(lambda cast: "/rounds"), OPENERS_API, data=_open_body
    ),
    "evaluations_round_completion_institutions": api(
        "GET",
        _path(lambda cast: f"/rounds/{_round(cast).pk}/completion/institutions"),
        RUNNERS_ONLY_API,
    ),
    "evaluations_round_completion_evaluators": api(
        "GET",
        _path(lambda cast: f"/rounds/{_round(cast).pk}/completion/evaluators"),
        RUNNERS_ONLY_API,
    ),
    "evaluations_round_pairs": api(
        "GET", _path(lambda cast: f"/rounds/{_round(cast).pk}/pairs"), RUNNERS_ONLY_API
    ),
    "evaluations_round_targets": api(
        "GET", _path(lambda cast: f"/rounds/{_round(cast).pk}/targets"), RUNNERS_ONLY_API
    ),
    "evaluations_pair_extend": api(
        "POST",
        _path(lambda cast: f"/pairs/{_pair(cast).pk}/extend"),
        RUNNERS_ONLY_API,
        data=lambda cast: {"due_on": "2027-06-30", "reason": "Ill"},
    ),
    "evaluations_pair_reassign_choices": api(
        "GET", _path(lambda cast: f"/pairs/{_pair(cast).pk}/reassign-choices"), RUNNERS_ONLY_API
    ),
    "evaluations_pair_reassign": api(
        "POST",
        _path(lambda cast: f"/pairs/{_pair(cast).pk}/reassign"),
        RUNNERS_ONLY_API,
        data=lambda cast: {"evaluator_id": cast.coord_b.pk, "reason": "Left"},
    ),
    "evaluations_pair_withdraw": api(
        "POST",
        _path(lambda cast: f"/pairs/{_pair(cast).pk}/withdraw"),
        RUNNERS_ONLY_API,
        data=lambda cast: {"reason": "Left"},
    ),
    "evaluations_round_release": api(
        "POST", _path(lambda cast: f"/rounds/{_round(cast).pk}/release"), RUNNERS_ONLY_API
    ),
    "evaluations_target_result": api("GET", _result_path("rounds"), RUNNERS_ONLY_API),
    "evaluations_comment_hide": api(
        "POST",
        _path(lambda cast: "/rounds/{}/comments/{}/hide".format(*_comment_id(cast))),
        RUNNERS_ONLY_API,
        data=lambda cast: {"reason": "Abusive"},
    ),
    "evaluations_my_results": api(
        "GET", _path(lambda cast: "/mine"), expect(ok=everyone_else(), anonymous=UNAUTHORIZED)
    ),
    "evaluations_my_trend": api(
        "GET",
        _path(lambda cast: "/mine/trend"),
        expect(ok=everyone_else(), anonymous=UNAUTHORIZED),
    ),
    "evaluations_my_result": api(
        "GET",
        _result_path("mine"),
        expect(ok=["tutor_a"], hidden=everyone_else(["tutor_a"]), anonymous=UNAUTHORIZED),
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
