"""Run the early-warning evaluation (for cron, e.g. hourly). Idempotent; two runs at the same
time neither duplicate warnings nor notify twice."""

import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.alerts.evaluation import evaluate


class Command(BaseCommand):
    help = "Evaluate the early-warning rules for the whole consortium."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            result = evaluate()
        self.stdout.write(
            f"{result.causes} current causes, {result.raised} warnings raised, "
            f"{result.closed} closed automatically, {result.notified} notifications "
            f"({len(queries)} queries, {time.monotonic() - started:.2f} s)."
        )
