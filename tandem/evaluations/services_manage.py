"""Opening a round, previewed: the same checks and the same generation as `round_open`, in a
savepoint that is rolled back, so a preview can never disagree with what opening makes."""

from typing import Any

from django.db import transaction
from django.db.models import Count

from tandem.evaluations import services
from tandem.evaluations.models import EvaluationRound


class _Preview(Exception):
    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__("preview")
        self.counts = counts


def pair_counts(round_: EvaluationRound) -> dict[str, int]:
    """{relationship: pairs} of a round (one query)."""
    rows = round_.pairs.values("relationship").annotate(n=Count("id")).order_by()
    return {row["relationship"]: row["n"] for row in rows}


def round_preview(**kwargs: Any) -> dict[str, int]:
    """How many pairs `round_open(**kwargs)` would generate, per relationship. Raises what it
    would raise (PermissionDenied, ValidationError); writes nothing."""
    try:
        with transaction.atomic():
            round_ = services.round_open(**kwargs)
            raise _Preview(pair_counts(round_))
    except _Preview as preview:
        return preview.counts
