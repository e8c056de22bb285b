"""Who gets what on every conduct page (see tandem/core/tests/authz.py).

The case is cast.trainee's, under A's regulation, opened by coord_b (host). Before the
decision it is read by the trainee and the coordinators of A and B (coord_a also sits on A's
committee); once decided the two tutors read it too. Everyone else — the resident (another
trainee), the consortium admin, the outsider (a third institution) — gets 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.conduct import services
from tandem.conduct.tests.factories import case_in, rules
from tandem.core.tests.authz import REDIRECT, Rule, api, everyone_else, expect, page

BEFORE = ["trainee", "coord_a", "coord_b"]
AFTER = [*BEFORE, "tutor_a", "tutor_b"]
COORDINATORS = ["coord_a", "coord_b", "outsider"]
REACH_A = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee", "resident"]


def _evidence(cast):
    case = case_in(cast, "open")
    existing = case.evidence.first()
    if existing is not None:
        return existing
    return services.evidence_add(
        actor=cast.coord_b,
        case=case,
        description="Lab notebook",
        file=SimpleUploadedFile("notebook.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )


def _case(state: str):
    return lambda cast: {"pk": case_in(cast, state).pk}


def _step(state: str, ok: list[str], readers: list[str]) -> dict[str, int]:
    return expect(
        ok=ok,
        forbidden=[a for a in readers if a not in ok],
        hidden=everyone_else(readers),
        ok_status=REDIRECT,
    )


RULES: dict[str, Rule] = {
    "conduct:case_list": page(expect=expect(ok=everyone_else())),
    "conduct:case_new": page(expect=expect(ok=COORDINATORS, forbidden=everyone_else(COORDINATORS))),
    "conduct:counts": page(
        expect=expect(
            ok=["admin", *COORDINATORS], forbidden=everyone_else(["admin", *COORDINATORS])
        )
    ),
    "conduct:case_detail": page(
        kwargs=_case("open"), expect=expect(ok=BEFORE, hidden=everyone_else(BEFORE))
    ),
    "conduct:case_respond": page(
        "POST",
        kwargs=_case("open"),
        data=lambda c: {"response": "It was a mistake."},
        expect=_step("open", ["trainee"], BEFORE),
    ),
    "conduct:case_evidence": page(
        "POST",
        kwargs=_case("open"),
        data=lambda c: {"description": "Lab notebook", "reference_kind": "publication"},
        expect=_step("open", ["coord_a", "coord_b"], BEFORE),
    ),
    "conduct:case_hearing": page(
        "POST",
        kwargs=_case("open"),
        data=lambda c: {"hearing_at": "", "place": ""},
        expect=_step("open", ["coord_a"], BEFORE),
    ),
    "conduct:case_comment": page(
        "POST",
        kwargs=_case("open"),
        data=lambda c: {"comment": "The host supports the case."},
        expect=_step("open", ["coord_b"], BEFORE),
    ),
    "conduct:case_vote": page(
        "POST",
        kwargs=_case("responded"),
        data=lambda c: {"level": "warning"},
        expect=_step("responded", ["coord_a"], BEFORE),
    ),
    "conduct:case_decide": page(
        "POST",
        kwargs=_case("responded"),
        data=lambda c: {"outcome": "warning", "reasons": "Proven."},
        expect=_step("responded", ["coord_a"], BEFORE),
    ),
    "conduct:case_appeal": page(
        "POST",
        kwargs=_case("decided"),
        data=lambda c: {"grounds": "A witness was not heard."},
        expect=_step("decided", ["trainee"], AFTER),
    ),
    "conduct:appeal_decide": page(
        "POST",
        kwargs=_case("appealed"),
        data=lambda c: {"outcome": "upheld", "reasons": "Proven."},
        expect=_step("appealed", [], AFTER),
        note="The appeal body's members are no actors of the cast; test_cases covers them.",
    ),
    "conduct:case_lift": page(
        "POST",
        kwargs=_case("in_force"),
        data=lambda c: {"reasons": "Good conduct.", "early": "1"},
        expect=_step("in_force", ["coord_a"], AFTER),
    ),
    "conduct:case_home_outcome": page(
        "POST",
        kwargs=_case("decided"),
        data=lambda c: {"text": "Nothing further decided."},
        expect=_step("decided", ["coord_a"], AFTER),
    ),
    "conduct:evidence_file": page(
        kwargs=lambda cast: {"pk": case_in(cast, "open").pk, "evidence_pk": _evidence(cast).pk},
        expect=expect(ok=BEFORE, hidden=everyone_else(BEFORE)),
    ),
    "conduct:case_letter": page(
        kwargs=_case("decided"), expect=expect(ok=AFTER, hidden=everyone_else(AFTER))
    ),
    "conduct:regulation_list": page(
        kwargs=lambda cast: (rules(cast), {})[1], expect=expect(ok=everyone_else())
    ),
    "conduct:regulation_detail": page(
        kwargs=lambda cast: {"pk": rules(cast)["regulation"].pk},
        expect=expect(ok=REACH_A, hidden=everyone_else(REACH_A)),
    ),
    "conduct:committee_detail": page(
        kwargs=lambda cast: {"pk": rules(cast)["committee"].pk},
        expect=expect(ok=REACH_A, hidden=everyone_else(REACH_A)),
    ),
}


def _api_step(ok: list[str], readers: list[str], ok_status: int = 200) -> dict[str, int]:
    return expect(
        ok=ok,
        forbidden=[a for a in readers if a not in ok],
        hidden=everyone_else(readers),
        ok_status=ok_status,
        anonymous=401,
    )


def _case_path(state: str, tail: str = ""):
    return lambda cast: f"/api/v1/conduct/cases/{case_in(cast, state).pk}{tail}"


def _open_body(cast):
    r = rules(cast)
    return {
        "cultivation_id": r["cultivation"].pk,
        "article_id": r["art12"].pk,
        "committee_id": r["committee"].pk,
        "conduct_date": "2026-01-05",
        "facts": "Data altered.",
        "proposed_level": "warning",
    }


API_RULES: dict[str, Rule] = {
    "conduct_case_list": api(
        "GET", lambda cast: "/api/v1/conduct/cases", expect(ok=everyone_else(), anonymous=401)
    ),
    "conduct_case_open": api(
        "POST",
        lambda cast: (rules(cast), "/api/v1/conduct/cases")[1],
        expect(
            ok=["coord_a", "coord_b"],
            forbidden=everyone_else(["coord_a", "coord_b", "outsider"]),
            ok_status=201,
            anonymous=401,
        )
        | {"outsider": 400},
        data=_open_body,
        note="The outsider coordinates no cultivation of the trainee: a 400 naming the field.",
    ),
    "conduct_case_get": api(
        "GET", _case_path("open"), expect(ok=BEFORE, hidden=everyone_else(BEFORE), anonymous=401)
    ),
    "conduct_case_respond": api(
        "POST",
        _case_path("open", "/respond"),
        _api_step(["trainee"], BEFORE),
        data=lambda c: {"response": "It was a mistake."},
    ),
    "conduct_case_comment": api(
        "POST",
        _case_path("open", "/comment"),
        _api_step(["coord_b"], BEFORE),
        data=lambda c: {"text": "The host agrees."},
    ),
    "conduct_case_vote": api(
        "POST",
        _case_path("responded", "/vote"),
        _api_step(["coord_a"], BEFORE),
        data=lambda c: {"level": "warning"},
    ),
    "conduct_case_decide": api(
        "POST",
        _case_path("responded", "/decide"),
        _api_step([], BEFORE) | {"coord_a": 400},
        data=lambda c: {"outcome": "warning", "reasons": "Proven."},
        note="coord_a is a member, but no majority has voted yet: a 400 naming the field.",
    ),
    "conduct_case_appeal": api(
        "POST",
        _case_path("decided", "/appeal"),
        _api_step(["trainee"], AFTER),
        data=lambda c: {"text": "A witness was not heard."},
    ),
    "conduct_appeal_decide": api(
        "POST",
        _case_path("appealed", "/appeal/decide"),
        _api_step([], AFTER),
        data=lambda c: {"outcome": "upheld", "reasons": "Proven."},
    ),
    "conduct_case_lift": api(
        "POST",
        _case_path("in_force", "/lift"),
        _api_step(["coord_a"], AFTER),
        data=lambda c: {"reasons": "Good conduct.", "early": True},
    ),
    "conduct_regulation_list": api(
        "GET",
        lambda cast: "/api/v1/conduct/regulations",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "conduct_counts": api(
        "GET",
        lambda cast: "/api/v1/conduct/counts",
        expect(
            ok=["admin", *COORDINATORS],
            forbidden=everyone_else(["admin", *COORDINATORS]),
            anonymous=401,
        ),
    ),
}
RULES.update(API_RULES)
