"""Benchmark opening an evaluation round for the whole scale consortium.

    manage.py bench_evaluations --trainees 20000 [--repeat 3]

Loads `seed_scale` when missing, makes one template per relationship, then opens a round for
every active joint trainee (each evaluates both tutors, the host, themselves and two peers;
each tutor evaluates each trainee) and rolls everything back, so it can be run again; `--repeat`
opens it that many times (one line each: the machine is shared, a single time is noisy). The
pairs are written as plain rows in bulk (decision 090); the queries counted include the COPYs.
Columns: database, pairs, time of `round_open`, of which writing the pairs, the foreign-key
checks PostgreSQL defers to the commit (run apart), queries, pairs per relationship.
The result pages at scale: `bench_evaluation_results`."""

import datetime
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Membership, Role, User
from tandem.evaluations import services
from tandem.evaluations.benchdata import vacuum
from tandem.evaluations.models import EvaluationPair, Relationship
from tandem.institutions.models import Institution

SECTIONS = [
    {
        "title": "Overall",
        "items": [
            {
                "kind": "rating",
                "prompt": "Overall",
                "options": [{"value": v, "label": str(v)} for v in range(1, 6)],
            },
            {"kind": "narrative", "prompt": "Comments", "is_required": False},
        ],
    }
]


class Command(BaseCommand):
    help = "Time the pair generation of a round for every joint trainee of `seed_scale`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainees", type=int, default=20000)
        parser.add_argument("--repeat", type=int, default=1)

    def handle(self, *args, trainees: int, repeat: int, **options) -> None:
        call_command("seed_scale", trainees=trainees)
        for _run in range(max(1, repeat)):
            vacuum()
            self._once()

    def _once(self) -> None:
        with transaction.atomic():
            admin, _created = User.objects.get_or_create(
                username="bench-evaluations-admin", defaults={"full_name": "Bench admin"}
            )
            Membership.objects.get_or_create(user=admin, role=Role.CONSORTIUM_ADMIN)
            templates = {
                rel: services.template_create(
                    actor=admin,
                    institution=None,
                    title=f"Bench {rel}",
                    relationship=rel,
                    sections=SECTIONS,
                    is_anonymous=rel != Relationship.SELF,
                )
                for rel in Relationship.values
            }
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                round_ = services.round_open(
                    actor=admin,
                    institution=Institution.objects.order_by("id").first(),
                    title="Bench round",
                    population="consortium",
                    opens_on=datetime.date(2026, 9, 1),
                    due_on=datetime.date(2026, 12, 31),
                    templates=templates,
                )
            elapsed = time.monotonic() - started
            writing = sum(
                float(q["time"])
                for q in queries.captured_queries
                if q["sql"].startswith("COPY") or " times: INSERT" in q["sql"]
            )
            # PostgreSQL checks Django's (deferred) foreign keys at COMMIT, which a rolled-back
            # run never reaches: run them now, timed apart, as the commit would.
            checks = "—"
            if connection.vendor == "postgresql":
                begin = time.monotonic()
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                checks = f"{time.monotonic() - begin:.1f} s"
            pairs = EvaluationPair.objects.filter(round=round_)
            by_kind = {rel: pairs.filter(relationship=rel).count() for rel in Relationship.values}
            self.stdout.write(
                f"| {connection.vendor} | {sum(by_kind.values()):,} | {elapsed:.1f} s | "
                f"{writing:.1f} s | {checks} | {len(queries)} | "
                + ", ".join(f"{k} {v:,}" for k, v in by_kind.items())
                + " |"
            )
            transaction.set_rollback(True)
