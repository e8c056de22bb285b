"""Plain-row bulk writes for the large tables of evaluations (decision 090).

Opening a round for a province writes hundreds of thousands of pairs. `bulk_create` builds a
model instance per row and, on SQLite, splits the rows into hundreds of multi-row INSERTs under
the parameter cap; here the rows stay tuples and go to the database in one statement stream:
PostgreSQL's `COPY … FROM STDIN` (psycopg's `cursor.copy`), SQLite's `executemany` of one
prepared INSERT. Both run on the caller's connection, so inside the caller's transaction (and
savepoint: a round preview rolls them back). The database still checks every constraint and
index; the callers validate the rows before (`services.round_open`).

Only fields with no database-side default are written; every column the model defines with a
Python default is passed explicitly by the caller.
"""

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

# Values SQLite's driver stores as Django would; anything else (UUIDs, dates, times — also
# behind a foreign key) goes through the field's own conversion there. psycopg dumps them all.
_PLAIN = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    fields = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        fields.append(field)
    return fields


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    resolved = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(resolved, _PLAIN):
        return None
    if isinstance(resolved, models.UUIDField):
        # Django stores a UUID as its 32 hex digits where the database has no UUID type.
        return lambda value: value.hex if isinstance(value, uuid.UUID) else value
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        """The field's conversion, remembered for a repeated value (a round's due date is
        the same object on every row: converted once, not 160,000 times)."""
        if value is None:
            return None
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def _log(sql: str, started: float) -> None:
    """Keep the COPY in `connection.queries` (as Django does for its own statements), so that
    query counts in tests and benchmarks see it."""
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def write_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; the row count.
    Must be called inside a transaction (the services are atomic)."""
    table = connection.ops.quote_name(model._meta.db_table)
    model_fields = _fields(model, fields)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in model_fields)
    written = 0
    started = time.monotonic()
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as wrapper, wrapper.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        _log(sql, started)
        return written

    converters = [(i, c) for i, f in enumerate(model_fields) if (c := _converter(f)) is not None]

    def counted() -> Iterable[Sequence[Any]]:
        nonlocal written
        for row in rows:
            written += 1
            if converters:
                row = list(row)
                for index, convert in converters:
                    row[index] = convert(row[index])
            yield row

    placeholders = ", ".join(["%s"] * len(fields))
    # The table and columns come from the model (quoted), never from input; values are bound.
    insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        # A generator, so that 160,000 rows are never a list (Django's wrapper accepts one).
        cursor.executemany(insert, counted())  # type: ignore[arg-type]
    return written
