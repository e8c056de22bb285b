"""Benchmark the early-warning evaluation on the scale consortium.

    manage.py bench_warnings --trainees 20000

Loads `seed_scale` and the debriefing/alert scale data when missing, then times three
evaluations: the first raises every warning, the second finds nothing new (idempotent), the
third after 1 % of the open causes went away (auto-closing)."""

import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tandem.alerts import scale as alerts_scale
from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification, Rule
from tandem.meetings import scale as meetings_scale
from tandem.meetings.models import MentoringContact, ProgressReport


class Command(BaseCommand):
    help = "Time the early-warning evaluation on `seed_scale` data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainees", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)

    def _timed(self, label: str) -> None:
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            result = evaluate()
        elapsed = time.monotonic() - started
        reads = len([q for q in queries.captured_queries if not q["sql"].startswith("INSERT")])
        self.stdout.write(
            f"| {label} | {elapsed:.2f} s | {len(queries)} ({reads} not INSERT) | "
            f"{result.causes} | {result.raised} | {result.closed} | {result.notified} |"
        )

    def handle(self, *args, trainees: int, seed: int, **options) -> None:
        call_command("seed_scale", trainees=trainees, seed=seed)
        rng = random.Random(seed)
        started = time.monotonic()
        meetings_scale.load_scale(rng)
        alerts_scale.load_scale(rng)
        self.stdout.write(
            f"Scale debriefing data ready in {time.monotonic() - started:.1f} s: "
            f"{ProgressReport.objects.count()} progress reports."
        )
        with transaction.atomic():
            EarlyWarning.objects.all().delete()
        self.stdout.write(f"database: {connection.vendor}")
        self.stdout.write("| run | time | queries | causes | raised | closed | notifications |")
        self.stdout.write("| --- | --- | --- | --- | --- | --- | --- |")
        self._timed("first (raises everything)")
        self._timed("second (nothing changed)")
        silent = list(
            EarlyWarning.objects.filter(rule=Rule.TUTORS_SILENT, status="open").values_list(
                "cultivation_id", "cultivation__tutor_assignments__tutor_id"
            )[: max(1, EarlyWarning.objects.count() // 100)]
        )
        from django.utils import timezone

        MentoringContact.objects.bulk_create(
            [
                MentoringContact(
                    cultivation_id=cid,
                    kind="tutor_tutor",
                    date=timezone.localdate(),
                    channel="phone",
                    topic="Catch-up",
                    recorded_by_id=tid,
                )
                for cid, tid in silent
                if tid
            ]
        )
        self._timed("third (some causes gone)")
        self.stdout.write(f"{Notification.objects.count()} notifications in total.")
