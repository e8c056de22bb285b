"""The no-overlap rule as a PostgreSQL exclusion constraint that SQLite simply skips.

Declared on the model (so migrations and `makemigrations --check` are identical on both
databases), but it emits DDL and validates only on PostgreSQL. On SQLite the booking service
checks for overlaps inside the IMMEDIATE transaction that serializes every writer
(decision 060).
"""

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that exists only where the database is PostgreSQL."""

    @staticmethod
    def _is_postgres(connection: Any) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        if not self._is_postgres(schema_editor.connection):
            return None  # left out of CREATE TABLE (also when SQLite remakes a table)
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        if not self._is_postgres(schema_editor.connection):
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        if not self._is_postgres(schema_editor.connection):
            return None
        return super().remove_sql(model, schema_editor)

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        if self._is_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)
