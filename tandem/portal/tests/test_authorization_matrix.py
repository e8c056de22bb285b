"""Every URL pattern and every API operation, against every actor of the cast.

A new endpoint without a rule in its app's `tests/authz_rules.py` fails this test.
"""

import importlib
import json
import pkgutil
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tandem
from config.api import api
from tandem.core.tests.authz import Rule
from tandem.core.tests.cast import ACTORS

# URL names outside the project's own apps, and what every actor gets there.
EXEMPT_NAMESPACES = {"admin"}  # covered by test_admin_is_for_consortium_admins_only


def _collect_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module_info in pkgutil.iter_modules(tandem.__path__):
        name = f"tandem.{module_info.name}.tests.authz_rules"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        for key, rule in module.RULES.items():
            assert key not in rules, f"two rules for {key}"
            rules[key] = rule
    return rules


RULES = _collect_rules()


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in EXEMPT_NAMESPACES:
                continue
            if namespace == "api-v1":
                continue  # the API is enumerated by operation below
            names |= _url_names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{prefix}{entry.name}")
    return names


def _api_operation_ids() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]
        for path_item in schema["paths"].values()
        for operation in path_item.values()
    }


PAGE_NAMES = sorted(_url_names())
API_OPERATIONS = sorted(_api_operation_ids())


def test_every_page_has_a_rule():
    missing = [name for name in PAGE_NAMES if name not in RULES]
    assert not missing, f"URL names without an authorization rule: {missing}"


def test_every_api_operation_has_a_rule():
    missing = [op for op in API_OPERATIONS if op not in RULES]
    assert not missing, f"API operations without an authorization rule: {missing}"


def test_no_rule_for_an_endpoint_that_does_not_exist():
    stale = sorted(set(RULES) - set(PAGE_NAMES) - set(API_OPERATIONS))
    assert not stale, f"rules for endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(RULES))
def test_rule_names_every_actor(key):
    missing = [a for a in ACTORS if a not in RULES[key].expect]
    assert not missing, f"{key}: the rule does not say what {missing} get"


def _call(client: Client, key: str, rule: Rule, cast: Any) -> Any:
    url = rule.path(cast) if rule.path is not None else reverse(key, kwargs=rule.kwargs(cast))
    if rule.query:
        url = f"{url}?{rule.query}"
    data = rule.data(cast) if rule.data else None
    method = rule.method.lower()
    if rule.is_api and data is not None:
        return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")
    if data is not None:
        return getattr(client, method)(url, data=data)
    return getattr(client, method)(url)


CASES = [(key, actor) for key in sorted(RULES) for actor in ACTORS]


@pytest.mark.parametrize(("key", "actor"), CASES, ids=[f"{k}-{a}" for k, a in CASES])
def test_authorization(key, actor, cast, client_for):
    rule = RULES[key]
    response = _call(client_for(actor), key, rule, cast)
    expected = rule.expect[actor]
    body = response.content[:300] if response.status_code != expected else b""
    assert response.status_code == expected, (
        f"{rule.method} {key} as {actor}: got {response.status_code}, expected {expected} {body!r}"
    )
    if expected == 302 and actor == "anonymous" and not rule.is_api and not rule.public:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("actor", ACTORS)
def test_admin_is_for_consortium_admins_only(actor, cast, client_for):
    response = client_for(actor).get(reverse("admin:index"))
    if actor == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
