"""No existence oracles in the pages' forms either, generated from the authorization matrix.

For every page written with POST whose matrix rule sends a form, every field that some form of
the project declares as a choice of objects (`ModelChoiceField`) is sent by the outsider once
with the rule's value (an object of institutions A or B) and once with an id that names nothing:
status, redirect, form errors and messages must be the same, and the page must not name anyone
out of the outsider's reach. Institutions are shown to every member (docs/decisions/003), so
fields choosing an institution are the outsider's own institution instead.
"""

import importlib
import pkgutil
import re
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse

import tandem
from tandem.institutions.models import Institution
from tandem.portal.tests.test_api_oracles import (
    MISSING_ID,
    PUBLISHED_PEOPLE_OF,
    _assert_names_nobody_out_of_reach,
    _secrets_of_people_out_of_reach,
)
from tandem.portal.tests.test_authorization_matrix import RULES

INSTITUTION_NAMES = {
    "institution",
    "institutions",
    "home",
    "host",
    "partner",
    "site",
    "from_institution",
    "to_institution",
}

# Choices of objects the whole consortium shares, per page.
VISIBLE_FIELDS_OF = {
    # the residency rules' world uses a consortium calendar, which every hospital may use
    "residency:cohort_create": {"calendar"},
}


def _form_modules() -> list[Any]:
    modules = []
    for app in pkgutil.iter_modules(tandem.__path__):
        package = importlib.import_module(f"tandem.{app.name}")
        for sub in pkgutil.iter_modules(package.__path__):
            if "forms" in sub.name:
                modules.append(importlib.import_module(f"tandem.{app.name}.{sub.name}"))
    return modules


def _object_choice_fields() -> dict[str, bool]:
    """Every field name that some form declares as a choice of objects -> whether it only ever
    chooses institutions."""
    only_institutions: dict[str, bool] = {}
    for module in _form_modules():
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            for name, field in getattr(value, "base_fields", {}).items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                queryset = field.queryset
                is_institution = name in INSTITUTION_NAMES or (
                    queryset is not None and queryset.model is Institution
                )
                only_institutions[name] = only_institutions.get(name, True) and is_institution
    return only_institutions


OBJECT_FIELDS = _object_choice_fields()
PAGE_WRITES = sorted(
    key for key, rule in RULES.items() if not rule.is_api and rule.method == "POST" and rule.data
)


def _forms_in(response: Any) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm):
                found.append(value)
            elif isinstance(value, forms.BaseFormSet):
                found += list(value.forms)
    return found


def _signature(response: Any, sent: Any) -> tuple:
    """What the page answers, with the id sent replaced: "Select a valid choice. 12 is not one
    of the available choices." says nothing more for 12 than for any other id."""
    sent_ids = [str(v) for v in (sent if isinstance(sent, list | tuple) else [sent])]

    def plain(text: str) -> str:
        for value in sent_ids:
            text = re.sub(rf"\b{re.escape(value)}\b", "<id>", text)
        return text

    errors = sorted(
        (type(form).__name__, form.prefix or "", plain(str(form.errors.get_json_data())))
        for form in _forms_in(response)
        if form.is_bound
    )
    shown = [plain(str(m)) for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location", ""), tuple(errors), tuple(shown)


def _with(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = dict(data)
    changed[key] = [value] if isinstance(data[key], list | tuple) else value
    return changed


def _ids_in(value: Any) -> bool:
    items = value if isinstance(value, list | tuple) else [value]
    return bool(items) and all(
        isinstance(v, int) or (isinstance(v, str) and v.isdigit()) for v in items
    )


def test_object_choice_fields_are_found_in_the_forms():
    assert OBJECT_FIELDS["trainee"] is False
    assert OBJECT_FIELDS["home"] is True


@pytest.mark.parametrize("key", PAGE_WRITES)
def test_a_form_answers_a_foreign_id_like_a_missing_one(key, cast, client_for):
    rule = RULES[key]
    url = reverse(key, kwargs=rule.kwargs(cast))
    if rule.query:
        url = f"{url}?{rule.query}"
    data = rule.data(cast)
    if not isinstance(data, dict):
        return
    fields = [k for k in data if k in OBJECT_FIELDS and _ids_in(data[k])]
    for name in fields:
        if OBJECT_FIELDS[name]:
            data = _with(data, name, cast.inst_c.pk)
    visible = VISIBLE_FIELDS_OF.get(key, set())
    private = [name for name in fields if not OBJECT_FIELDS[name] and name not in visible]
    if not private:
        return
    client = client_for("outsider")
    secrets = _secrets_of_people_out_of_reach(cast.outsider)
    for name in private:
        foreign = client.post(url, data=data)
        missing = client.post(url, data=_with(data, name, MISSING_ID))
        _assert_names_nobody_out_of_reach(foreign, secrets, f"{key} ({name})")
        foreign_answer = _signature(foreign, data[name])
        missing_answer = _signature(missing, MISSING_ID)
        assert foreign_answer == missing_answer, (
            f"POST {key}: {name} of another institution answers {foreign_answer}, "
            f"one that does not exist {missing_answer}"
        )


PAGES = sorted(key for key, rule in RULES.items() if not rule.is_api)


@pytest.mark.parametrize("key", PAGES)
def test_no_page_names_a_person_out_of_the_outsiders_reach(key, cast, client_for):
    rule = RULES[key]
    url = reverse(key, kwargs=rule.kwargs(cast))
    if rule.query:
        url = f"{url}?{rule.query}"
    client = client_for("outsider")
    data = rule.data(cast) if rule.data else None
    published = PUBLISHED_PEOPLE_OF.get(key)
    secrets = _secrets_of_people_out_of_reach(cast.outsider, published(cast) if published else None)
    method = getattr(client, rule.method.lower())
    response = method(url, data=data) if data is not None else method(url)
    _assert_names_nobody_out_of_reach(response, secrets, key)
