"""The joint cultivations as units of the consortium's benchmarking (tandem.portal.benchmarks).

Consortium-wide on purpose: the reports show aggregates of every institution, suppressed below
the consortium's threshold, never rows. Each unit carries `b_row` (the institution it is counted
for), `b_col` (its column), `b_person` (whom it describes) and `b_hit` (1 when it counts for a
rate's numerator).
"""

from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import ExtractYear

from tandem.cultivation.models import CultivationStatus, JointCultivation

# A proposal that neither institution approved yet is not a joint cultivation of the consortium.
COUNTED_STATUSES = [status for status in CultivationStatus.values if status != "proposed"]


def _counted() -> QuerySet[JointCultivation]:
    return JointCultivation.objects.filter(status__in=COUNTED_STATUSES).order_by()


def cultivations_by_start_year() -> QuerySet[JointCultivation]:
    """Joint cultivations by home institution and the year they (are planned to) start."""
    return _counted().annotate(
        b_row=F("home_id"),
        b_col=ExtractYear("planned_start"),
        b_person=F("trainee_id"),
        b_hit=Value(0, output_field=IntegerField()),
    )


def cultivation_flows() -> QuerySet[JointCultivation]:
    """Joint cultivations by home institution (who sends) and host institution (who hosts)."""
    return _counted().annotate(
        b_row=F("home_id"),
        b_col=F("host_id"),
        b_person=F("trainee_id"),
        b_hit=Value(0, output_field=IntegerField()),
    )
