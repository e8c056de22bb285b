"""The committed OpenAPI document (docs/openapi.json) matches the API.

Other systems are built against it: a change to the API must be a deliberate change of this
file too (`make openapi`).
"""

import json
import typing
from pathlib import Path

import pydantic
from django.conf import settings

from config.api import api

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_openapi_matches_the_committed_snapshot():
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == committed, "the API changed: run `make openapi` and review the diff"


def test_every_operation_has_an_id_and_a_response_schema():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method} {path} has no operation_id"
            responses = operation.get("responses", {})
            success = [code for code in responses if str(code).startswith("2")]
            assert success, f"{method} {path} documents no success response"


def _models_of(annotation, found):
    """Every pydantic model reachable from a type annotation (fields, lists, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_of(field.annotation, found)
    for argument in typing.get_args(annotation):
        _models_of(argument, found)


def schema_classes_by_name(ninja_api):
    found: set[type] = set()
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models_of(model, found)
    by_name: dict[str, set[type]] = {}
    for model in found:
        if model.__module__ == "abc":
            continue  # ninja's own wrappers (parameters, responses, pages), built per operation
        by_name.setdefault(model.__name__, set()).add(model)
    return by_name


def test_schema_names_are_unique_across_the_routers():
    # The document keys schemas by class name: two classes of one name become one schema, and
    # the responses of the other no longer match it.
    duplicates = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in schema_classes_by_name(api).items()
        if len(classes) > 1
    }
    assert not duplicates, f"schema classes sharing a name: {duplicates}"


def test_the_duplicate_name_check_catches_two_classes_of_one_name():
    from ninja import NinjaAPI, Router, Schema

    def make(field):
        namespace = {"__annotations__": {field: int}, "__module__": f"planted.{field}"}
        return type("SignatureOut", (Schema,), namespace)

    first, second = Router(), Router()
    first.get("/a", response=make("tutor_id"), operation_id="a")(lambda request: None)
    second.get("/b", response=list[make("institution_id")], operation_id="b")(lambda request: None)
    planted = NinjaAPI(urls_namespace="planted-duplicates")
    planted.add_router("/first/", first)
    planted.add_router("/second/", second)
    assert len(schema_classes_by_name(planted)["SignatureOut"]) == 2
