"""The committed OpenAPI document (docs/openapi.json) matches the API.

Other systems are built against it: a change to the API must be a deliberate change of this
file too (`make openapi`).
"""

import json
from pathlib import Path

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
