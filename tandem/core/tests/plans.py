"""What PostgreSQL plans to do with the queries of a page: the tables it would read whole.

`seq_scans(sql)` runs `EXPLAIN (FORMAT JSON)` and lists the tables of the plan's sequential
scans. The plan tests (`test_query_plans.py`) fill the tables that grow with the consortium to
scale-like sizes, run `ANALYZE`, capture the SQL a selector issues and fail if one of those
tables is read whole: the query needs an index, or a visibility rule written as a UNION of
indexed branches (decision 081).
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def seq_scans(sql: str) -> set[str]:
    """The tables a statement would read with a sequential scan."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    plans = json.loads(document) if isinstance(document, str) else document
    return {
        node["Relation Name"]
        for top in plans
        for node in _nodes(top["Plan"])
        if node["Node Type"] == "Seq Scan"
    }


@contextmanager
def captured_sql() -> Iterator[list[str]]:
    """The statements run inside the block (cursor declarations of `.iterator()` unwrapped)."""
    statements: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield statements
    for query in context.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE "):
            sql = sql.split(" FOR ", 1)[1]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(sql)


def scanned_tables(call: Callable[[], Any], tables: set[str]) -> dict[str, set[str]]:
    """Run `call` and return, per statement it issued, which of `tables` its plan reads whole."""
    with captured_sql() as statements:
        call()
    found = {}
    for sql in statements:
        whole = seq_scans(sql) & tables
        if whole:
            found[sql[:300]] = whole
    return found
