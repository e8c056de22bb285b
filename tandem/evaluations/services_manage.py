"""Opening a round, previewed: the same checks and the same generation as `round_open`, in a
savepoint that is rolled back, so a preview can never disagree with what opening makes."""

from typing import Any

from django.db import transaction
from django.db.models import Count

from tandem.evaluations import services


class _Preview(Exception):
    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__("preview")
        self.counts = counts


def round_preview(**kwargs: Any) -> dict[str, int]:
    """How many pairs `round_open(**kwargs)` would generate, per relationship. Raises what it
    would raise (PermissionDenied, ValidationError); writes nothing."""
    try:
        with transaction.atomic():
            round_ = services.round_open(**kwargs)
            counts = {
                row["relationship"]: row["n"]
                for row in round_.pairs.values("relationship").annotate(n=Count("id")).order_by()
            }
            raise _Preview(counts)
    except _Preview as preview:
        return preview.counts
