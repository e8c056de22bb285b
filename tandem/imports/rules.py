"""Pure checks of the import jobs: when a file goes to the background, and errors as rows."""

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def runs_in_background(size: int, *, asked: bool = False) -> bool:
    """A file above IMPORT_BACKGROUND_BYTES (or any file, when the caller asks) is imported by a
    task; a smaller one is checked and saved while the person waits (docs/benchmarks.md)."""
    return asked or size > settings.IMPORT_BACKGROUND_BYTES


def _split_path(key: str) -> tuple[str | None, str]:
    """`plan.versions[1].courses[0].credits` → (`plan.versions[1].courses[0]`, `credits`):
    the record a JSON path points into is its row, the last name its column."""
    if key == NON_FIELD_ERRORS:
        return None, ""
    head, dot, tail = key.rpartition(".")
    return (head, tail) if dot else (None, key)


def error_rows(exc: ValidationError) -> list[dict[str, Any]]:
    """Every error of a refused import as {row, column, message}.

    Spreadsheet importers raise an error carrying `row_errors` (row number and column header);
    others raise a ValidationError keyed by field or JSON path."""
    row_errors = getattr(exc, "row_errors", None)
    if row_errors is not None:
        return [
            {"row": e.row, "column": str(e.column), "message": str(e.message)} for e in row_errors
        ]
    if hasattr(exc, "error_dict"):
        rows: list[dict[str, Any]] = []
        for key, messages in exc.message_dict.items():
            row, column = _split_path(key)
            rows.extend({"row": row, "column": column, "message": m} for m in messages)
        return rows
    return [{"row": None, "column": "", "message": m} for m in exc.messages]
