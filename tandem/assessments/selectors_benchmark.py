"""Rotation-end assessments as units of the consortium's benchmarking (see
cultivation.selectors_benchmark)."""

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from tandem.assessments.models import Assessment, AssessmentStatus


def assessments_decided() -> QuerySet[Assessment]:
    """Decided rotation-end assessments, by the institution of the department and the year the
    rotation ended; a hit when passed."""
    return (
        Assessment.objects.filter(status__in=[AssessmentStatus.PASSED, AssessmentStatus.FAILED])
        .order_by()
        .annotate(
            b_row=F("department__base__institution_id"),
            b_col=ExtractYear("end"),
            b_person=F("resident_id"),
            b_hit=Case(
                When(status=AssessmentStatus.PASSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )
