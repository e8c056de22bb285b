"""Milestones as units of the consortium's benchmarking (see cultivation.selectors_benchmark)."""

import datetime

from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from tandem.plans.models import MilestoneSubmission, PlanMilestone, ReviewOutcome


def milestones_due(today: datetime.date) -> QuerySet[PlanMilestone]:
    """Milestones whose window closed before `today`, by the trainee's home institution and the
    year the window closed; a hit when a submission made by the last day of the window passed."""
    passed_in_time = MilestoneSubmission.objects.filter(
        milestone_id=OuterRef("pk"),
        outcome=ReviewOutcome.PASSED,
        submitted_at__date__lte=OuterRef("latest"),
    )
    return (
        PlanMilestone.objects.filter(latest__lt=today)
        .order_by()
        .annotate(
            b_row=F("plan__cultivation__home_id"),
            b_col=ExtractYear("latest"),
            b_person=F("plan__cultivation__trainee_id"),
            b_hit=Case(
                When(Exists(passed_in_time), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )
