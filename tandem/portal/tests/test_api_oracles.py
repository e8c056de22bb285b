"""No existence oracles and no names of invisible people in the API, generated from its OpenAPI
document like the authorization matrix.

For every operation, every id-valued field of its JSON body and every id in its path or query,
the outsider of the cast sends the body of the operation's matrix rule once with the
id as the rule has it (an object of institutions A and B, which exist but which the outsider
cannot see) and once with an id that names nothing. Both answers must be identical, status and
body: otherwise anyone could map which ids exist. And no answer to the outsider, for any
operation, may contain the name, e-mail or username of a person outside their reach.

A new operation is covered as soon as it has a rule in the matrix; a new id field as soon as it
is in the schema. Institutions are the only ids everyone may see (the directory is
consortium-wide, docs/decisions/003), so fields naming an institution are listed below.
"""

import copy
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from config.api import api
from tandem.accounts.models import User
from tandem.accounts.selectors import person_list_visible_to
from tandem.core.tests.authz import Rule
from tandem.portal.tests.test_authorization_matrix import RULES

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]
MISSING_ID = 987_654_321

# Body fields whose ids name institutions, which the directory shows to every member.
INSTITUTION_FIELDS = {
    "institution_id",
    "institution_ids",
    "home_id",
    "host_id",
    "partner_id",
    "from_institution_id",
    "to_institution_id",
    "site_id",
    "visiting_id",
}
# Fields naming objects shared by the whole consortium, per operation (`parent_id` is an
# institution on institutions, a unit on units).
VISIBLE_FIELDS_OF = {
    "institutions_institution_create": {"parent_id"},
    "institutions_institution_update": {"parent_id"},
    # the world of the residency rules uses a consortium calendar, which every hospital may use
    "residency_cohort_create": {"calendar_id"},
    "residency_capacity_set": {"calendar_id"},
    "residency_calendar_get": {"pk"},
    # a reward's announcement (公示) is published to the whole consortium (decision 110)
    "rewards_announcement": {"round_id"},
    "rewards_objection_lodge": {"nomination_id"},
}


def _awarded_nominees(cast: Any) -> set[int]:
    """Whom the announcements of reward rounds name: the awarded nominees, to everyone."""
    from tandem.rewards.models import AWARDED_STATUSES, Nomination

    return set(
        Nomination.objects.filter(
            status__in=AWARDED_STATUSES, round__announced_on__isnull=False
        ).values_list("nominees", flat=True)
    )


# People an operation or page publishes to every member of the consortium, per key.
PUBLISHED_PEOPLE_OF = {
    "rewards_announcement": _awarded_nominees,
    "rewards:announcement": _awarded_nominees,
}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _variants(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    if "anyOf" in schema:
        return [v for option in schema["anyOf"] for v in _variants(option)]
    return [schema]


def _is_id_valued(name: str, schema: dict[str, Any]) -> bool:
    if not (name.endswith("_id") or name.endswith("_ids")):
        return False
    for variant in _variants(schema):
        if variant.get("type") == "integer":
            return True
        if (
            variant.get("type") == "array"
            and _resolve(variant.get("items", {})).get("type") == "integer"
        ):
            return True
    return False


def id_fields(schema: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths to the id-valued fields of a body schema; "[]" stands for every item of a list."""
    found: list[tuple[str, ...]] = []
    for variant in _variants(schema):
        for name, prop in variant.get("properties", {}).items():
            if _is_id_valued(name, prop):
                found.append((*prefix, name))
                continue
            for inner in _variants(prop):
                if inner.get("type") == "array":
                    found += id_fields(inner.get("items", {}), (*prefix, name, "[]"))
                elif "properties" in inner:
                    found += id_fields(inner, (*prefix, name))
    return found


def _operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    ops = []
    for template, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            ops.append((operation["operationId"], method.upper(), template, operation))
    return sorted(ops)


OPERATIONS = _operations()


def _json_body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def _set(body: Any, path: tuple[str, ...], value: Any) -> bool:
    """Set every occurrence of `path` in `body`; False when the body holds none."""
    if not path:
        return False
    head, rest = path[0], path[1:]
    if head == "[]":
        if not isinstance(body, list):
            return False
        results = [_set(item, rest, value) for item in body]  # every item, no short cut
        return any(results)
    if not isinstance(body, dict) or head not in body:
        return False
    if not rest:
        if body[head] is None or body[head] == []:
            return False
        body[head] = [value] if isinstance(body[head], list) else value
        return True
    return _set(body[head], rest, value)


def _set_even_if_absent(body: Any, path: tuple[str, ...], value: int) -> bool:
    head, rest = path[0], path[1:]
    if head == "[]":
        if not isinstance(body, list):
            return False
        results = [_set_even_if_absent(item, rest, value) for item in body]
        return any(results)
    if not isinstance(body, dict):
        return False
    if not rest:
        body[head] = [value] if head.endswith("_ids") else value
        return True
    return head in body and _set_even_if_absent(body[head], rest, value)


def _foreign_cultivation(cast: Any) -> int:
    from tandem.cultivation.tests.factories import cultivation_in

    return cultivation_in(cast, "active").pk


def _foreign_fund(cast: Any) -> int:
    from tandem.funds.models import ResearchFund
    from tandem.funds.tests.factories import fund_at_b

    fund = ResearchFund.objects.exclude(institution=cast.inst_c).first()
    return (fund or fund_at_b(cast)).pk


def _foreign_meeting(cast: Any) -> int:
    from tandem.meetings.tests.factories import debriefing

    return debriefing(cast).past.pk


def _existing(model_path: str) -> Any:
    """The first row of a model the operation's rule has built (in institution A or B)."""

    def example(cast: Any) -> int | None:
        from django.apps import apps

        row = apps.get_model(model_path).objects.order_by("pk").first()
        return row.pk if row is not None else None

    return example


# Objects of institutions A and B for optional id fields that a matrix rule leaves out.
FOREIGN_EXAMPLES = {
    "initiating_tutor_id": lambda cast: cast.tutor_a.pk,
    "tutor_ids": lambda cast: cast.tutor_a.pk,
    "teacher_ids": lambda cast: cast.tutor_a.pk,
    "unit_id": lambda cast: cast.lab_a.pk,
    "parent_id": lambda cast: cast.lab_a.pk,
    "for_cultivation_id": _foreign_cultivation,
    "fund_id": _foreign_fund,
    "resulting_fund_id": _foreign_fund,
    "meeting_id": _foreign_meeting,
    "program_id": _existing("residency.Program"),
    "department_ids": _existing("residency.Department"),
    "previous_id": _existing("residency.ScheduleProposal"),
    "proposal_id": _existing("residency.ScheduleProposal"),
    "evaluator_ids": lambda cast: cast.tutor_a.pk,
    "appeal_body_id": _existing("conduct.Committee"),
    "visiting_base_id": lambda cast: cast.lab_a.pk,
    "participant_ids": lambda cast: cast.tutor_a.pk,
    "plan_owner_id": lambda cast: cast.tutor_a.pk,
    "department_id": _existing("residency.Department"),
    "global_template_id": _existing("evaluations.EvaluationTemplate"),
    "department_template_id": _existing("evaluations.EvaluationTemplate"),
    "teacher_template_id": _existing("evaluations.EvaluationTemplate"),
}


def _call(client: Client, method: str, url: str, body: Any) -> Any:
    if body is None:
        return getattr(client, method.lower())(url)
    return getattr(client, method.lower())(
        url, data=json.dumps(body), content_type="application/json"
    )


def _answer(response: Any) -> tuple[int, str]:
    return response.status_code, response.content.decode()


def _secrets_of_people_out_of_reach(viewer: User, published: set[int] | None = None) -> list[str]:
    """Names, e-mails and usernames of everyone the viewer cannot see (but those `published`
    to the whole consortium). The cast's usernames are words ("trainee", "admin") that answers
    hold anyway: they are made unmistakable first."""
    visible = set(person_list_visible_to(viewer).values_list("pk", flat=True)) | (
        published or set()
    )
    secrets: list[str] = []
    for person in User.objects.exclude(pk__in=visible):
        person.username = f"{person.username}-login-{person.pk}"
        User.objects.filter(pk=person.pk).update(username=person.username)
        secrets += [person.full_name, person.email, person.username]
    return [s for s in secrets if s]


def _assert_names_nobody_out_of_reach(response: Any, secrets: list[str], what: str) -> None:
    text = response.content.decode(errors="replace")
    leaked = [s for s in secrets if s in text]
    where = text.find(leaked[0]) if leaked else 0
    assert not leaked, (
        f"{what} answers the outsider with {leaked}: …{text[max(where - 300, 0) : where + 100]}"
    )


def _rule(operation_id: str) -> Rule:
    rule = RULES[operation_id]
    assert rule.path is not None, f"{operation_id}: its matrix rule has no API path"
    return rule


def _url_variants(template: str, url: str, operation_id: str, operation: dict[str, Any]):
    """(parameter, url with that parameter naming nothing) for each integer path parameter and
    each id-valued query parameter the url holds."""
    visible = INSTITUTION_FIELDS | VISIBLE_FIELDS_OF.get(operation_id, set())
    params = {
        (p["in"], p["name"])
        for p in operation.get("parameters", [])
        if p["name"] not in visible
        and any(v.get("type") == "integer" for v in _variants(p.get("schema", {})))
    }
    path, _, query = url.partition("?")
    template_parts = template.split("/")
    url_parts = path.split("/")
    assert len(template_parts) == len(url_parts), f"{operation_id}: {url} is not {template}"
    tail = f"?{query}" if query else ""
    for index, part in enumerate(template_parts):
        match = re.fullmatch(r"\{(\w+)\}", part)
        if match and ("path", match.group(1)) in params:
            parts = list(url_parts)
            parts[index] = str(MISSING_ID)
            yield match.group(1), "/".join(parts) + tail
    pairs = parse_qsl(query, keep_blank_values=True)
    for index, (name, _value) in enumerate(pairs):
        if ("query", name) in params and name.endswith("_id"):
            changed = list(pairs)
            changed[index] = (name, str(MISSING_ID))
            yield name, f"{path}?{urlencode(changed)}"


def _compare(
    client: Client, method: str, what: str, foreign: tuple, missing: tuple, secrets: list[str]
) -> None:
    foreign_answer = _call(client, method, *foreign)
    missing_answer = _call(client, method, *missing)
    _assert_names_nobody_out_of_reach(foreign_answer, secrets, what)
    assert _answer(foreign_answer) == _answer(missing_answer), (
        f"{what}: an id of another institution answers {_answer(foreign_answer)}, "
        f"one that does not exist {_answer(missing_answer)}"
    )


@pytest.mark.parametrize(
    ("operation_id", "method", "template", "operation"),
    OPERATIONS,
    ids=[op[0] for op in OPERATIONS],
)
def test_the_outsider_learns_nothing_of_other_institutions(
    operation_id, method, template, operation, cast, client_for
):
    """One cast per operation, three checks: the matrix call names nobody out of reach; every
    id of the JSON body; every id of the path and query."""
    rule = _rule(operation_id)
    url = rule.path(cast)
    if rule.query:
        url = f"{url}{'&' if '?' in url else '?'}{rule.query}"
    data = rule.data(cast) if rule.data is not None else None
    client = client_for("outsider")
    published = PUBLISHED_PEOPLE_OF.get(operation_id)
    secrets = _secrets_of_people_out_of_reach(cast.outsider, published(cast) if published else None)

    if data is not None and not isinstance(data, dict | list):
        response = getattr(client, method.lower())(url, data=data)
    else:
        response = _call(client, method, url, copy.deepcopy(data))
    _assert_names_nobody_out_of_reach(response, secrets, operation_id)

    schema = _json_body_schema(operation)
    body = data if schema is not None else None
    public = INSTITUTION_FIELDS | VISIBLE_FIELDS_OF.get(operation_id, set())
    fields = id_fields(schema) if schema and body is not None else []
    # The outsider acts for their own institution, so that a check of the institution cannot
    # answer first and hide what the other ids give away.
    for field in fields:
        if field[-1] in public:
            _set(body, field, cast.inst_c.pk)

    for field in fields:
        if field[-1] in public:
            continue
        missing_body = copy.deepcopy(body)
        if not _set(missing_body, field, MISSING_ID):
            example = FOREIGN_EXAMPLES.get(field[-1])
            assert example is not None, (
                f"{operation_id}: its matrix rule leaves {'.'.join(field)} out; add an object "
                "of another institution for it to FOREIGN_EXAMPLES"
            )
            foreign_id = example(cast)
            if foreign_id is None:
                continue  # nothing of that kind exists for this operation's rule
            body = copy.deepcopy(body)
            assert _set_even_if_absent(body, field, foreign_id), field
            missing_body = copy.deepcopy(body)
            _set(missing_body, field, MISSING_ID)
        _compare(
            client,
            method,
            f"{method} {template} ({'.'.join(field)})",
            (url, copy.deepcopy(body)),
            (url, missing_body),
            secrets,
        )

    for param, missing_url in _url_variants(template, url, operation_id, operation):
        _compare(
            client,
            method,
            f"{method} {template} ({{{param}}})",
            (url, copy.deepcopy(body)),
            (missing_url, copy.deepcopy(body)),
            secrets,
        )


def test_id_fields_are_found_in_nested_bodies():
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "owner_id": {"type": "integer"},
            "reviewer_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "tag_ids": {"type": "array", "items": {"type": "integer"}},
            "authors": {
                "type": "array",
                "items": {"type": "object", "properties": {"user_id": {"type": "integer"}}},
            },
        },
    }
    assert id_fields(schema) == [
        ("owner_id",),
        ("reviewer_id",),
        ("tag_ids",),
        ("authors", "[]", "user_id"),
    ]
