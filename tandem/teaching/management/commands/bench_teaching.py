"""Benchmark the teaching pages at scale: 300 residents, five years of activities and attendance.

    createdb -h 127.0.0.1 -U postgres bench_teaching
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_teaching \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_teaching \
        .venv/bin/python manage.py bench_teaching --residents 300 --years 5

Builds the bench hospital once (`tandem/teaching/bench.py`; a second run reuses it), then times
the teaching pages — base statistics (departments, teachers, residents), the statistics API,
a resident's own attendance, an activity's attendance and the export — with their queries.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import setup_test_environment

from tandem.teaching import bench
from tandem.teaching.models import Activity, Attendance


class Command(BaseCommand):
    help = "Time the teaching pages with 300 residents and five years of activities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", default="bench-teaching")
        parser.add_argument("--residents", type=int, default=300)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--departments", type=int, default=10)
        parser.add_argument("--per-week", type=int, default=3)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        setup_test_environment()
        found = bench.find(options["code"])
        if found is None:
            started = time.monotonic()
            found = bench.build(
                options["code"],
                residents=options["residents"],
                years=options["years"],
                departments=options["departments"],
                per_week=options["per_week"],
            )
            self.stdout.write(f"built in {time.monotonic() - started:.0f} s")
        bench.analyze()
        activities = Activity.objects.filter(department__base=found.base)
        attendances = Attendance.objects.filter(activity__department__base=found.base)
        self.stdout.write(
            f"{connection.vendor}: {activities.count():,} activities, "
            f"{attendances.count():,} attendance rows, "
            f"{found.first_day} – {found.last_day}"
        )
        self.stdout.write("| page | queries | median | slowest |")
        self.stdout.write("| --- | --- | --- | --- |")
        for m in bench.measure(found, options["repeat"]):
            self.stdout.write(
                f"| {m.label} | {m.queries} | {m.median_ms:.0f} ms | {m.slowest_ms:.0f} ms |"
            )
