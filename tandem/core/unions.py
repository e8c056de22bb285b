"""Visibility written so that PostgreSQL can use its indexes.

A visible-to rule is naturally an OR: "the organizer, or a participant, or a coordinator of
the institution". Written as one WHERE, an OR that mixes columns of several tables (or an
EXISTS) leaves the planner one choice at scale: read the whole table and test each row. The
same rule as a UNION of branches lets each branch follow its own index, and the outer query
joins the (few) ids it found by primary key. Decision 081.
"""

from typing import Any

from django.db.models import Q, QuerySet


def union_of(*branches: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """`branch UNION branch ...` as a subquery; each branch is a queryset of one id column
    (`.values("pk")` or `.values("series_id")`), written to use an index."""
    first, *rest = (branch.order_by() for branch in branches)
    return first.union(*rest) if rest else first


def pk_in_any(*branches: QuerySet[Any, Any]) -> Q:
    """`pk IN (branch UNION branch ...)`, see `union_of`."""
    if not branches:
        return Q(pk__in=[])
    return Q(pk__in=union_of(*branches))
