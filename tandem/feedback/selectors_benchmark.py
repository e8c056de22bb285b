"""Feedback items as units of the consortium's benchmarking (see
cultivation.selectors_benchmark): how long items take to be confirmed closed."""

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear

from tandem.feedback.models import FeedbackItem, ItemStatus


def feedback_closed() -> QuerySet[FeedbackItem]:
    """Items the trainee confirmed closed, by the institution they were routed to and the year
    they were closed; the value is the days it took. An anonymous item counts as a person of its
    own (its raiser is not stored), so it is never merged with a named raiser."""
    return (
        FeedbackItem.objects.filter(status=ItemStatus.CLOSED, days_to_close__isnull=False)
        .order_by()
        .annotate(
            b_row=F("institution_id"),
            b_col=ExtractYear("closed_at"),
            b_person=Coalesce(F("raised_by_id"), Value(0) - F("pk")),
            b_hit=Value(0, output_field=IntegerField()),
            b_value=F("days_to_close"),
        )
    )
