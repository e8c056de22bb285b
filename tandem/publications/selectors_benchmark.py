"""Publications as units of the consortium's benchmarking (see cultivation.selectors_benchmark):
how many keep the authorship rules."""

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from tandem.publications.models import Publication


def publications_by_year() -> QuerySet[Publication]:
    """Joint trainees' publications by the trainee's home institution and year; a hit when the
    paper is acceptable under the authorship policy (it meets it, or both sides waived)."""
    return Publication.objects.order_by().annotate(
        b_row=F("cultivation__home_id"),
        b_col=F("year"),
        b_person=F("cultivation__trainee_id"),
        b_hit=Case(
            When(compliant=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )
