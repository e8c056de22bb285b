"""The teaching pages of the scale benchmark (docs/benchmarks.md) issue the same number of
queries at two sizes of the bench data: base statistics (per department, teacher and resident)
for 90 days and the whole period, the statistics API, a resident's own attendance, an
activity's attendance and the export."""

import pytest

from tandem.teaching import bench

pytestmark = pytest.mark.django_db


def test_teaching_pages_issue_a_fixed_number_of_queries_at_two_sizes():
    small = bench.build("bench-s", residents=4, years=1, departments=2, per_week=1)
    large = bench.build("bench-l", residents=70, years=2, departments=3, per_week=2)
    assert bench.counts(small) == bench.counts(large)


def test_the_bench_data_is_what_it_says():
    made = bench.build("bench-x", residents=6, years=1, departments=3, per_week=2)
    from tandem.teaching.models import Activity, Attendance

    activities = Activity.objects.filter(department__base=made.base)
    assert activities.count() == 13 * 4 * 3 * 2  # blocks × weeks × departments × per week
    audience = Attendance.objects.filter(activity__in=activities, in_audience=True)
    assert audience.count() == activities.count() * 2  # 6 residents over 3 departments
    assert bench.find("bench-x").first_day == made.first_day
