"""Benchmark the result, completion and export pages of a round with ~2,000,000 answers.

    DATABASE_URL=postgres://… manage.py bench_evaluation_results --trainees 20000 --answers 2000000

Loads `seed_scale` when missing, makes one template per relationship (thirteen scored items and a
comment), opens a round for every joint trainee (timed: the pair generation of decision 090),
stores the answers in bulk (`benchdata.store_answers`: the rows `response_submit` writes), then
times each page and API operation as the consortium admin (wall time, the process's own CPU time —
the machine is shared, so the wall time includes waiting for a core —, the number of queries and
the slowest), and rolls everything back so that it can be run again."""

import datetime
import math
import statistics
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Membership, Role, User
from tandem.evaluations import benchdata, services
from tandem.evaluations.benchdata import vacuum
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationResponse,
    Relationship,
)
from tandem.institutions.models import Institution

SCALE = [{"value": v, "label": str(v)} for v in range(1, 6)]
EPA = [{"value": v, "label": str(v)} for v in range(1, 5)]
SECTIONS = [
    {
        "title": "Supervision",
        "items": [{"kind": "rating", "prompt": f"Rating {n}", "options": SCALE} for n in range(9)]
        + [
            {
                "kind": "entrustment",
                "prompt": f"Entrustment {n}",
                "options": EPA,
                "allows_not_observed": True,
            }
            for n in range(3)
        ]
        + [{"kind": "yes_no", "prompt": "Weekly meetings"}],
    },
    {"title": "Comments", "items": [{"kind": "narrative", "prompt": "Comments"}]},
]
ANSWERS_PER_RESPONSE = 13.3  # thirteen scored items, a comment in three responses out of ten
REPEAT = 3


class Command(BaseCommand):
    help = "Time result, completion and export pages of a round with ~2,000,000 answers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainees", type=int, default=20000)
        parser.add_argument("--answers", type=int, default=2_000_000)

    def handle(self, *args: Any, trainees: int, answers: int, **options: Any) -> None:
        call_command("seed_scale", trainees=trainees)
        vacuum()
        with transaction.atomic():
            self._run(answers)
            transaction.set_rollback(True)

    def _run(self, answers: int) -> None:
        out = self.stdout.write
        admin, _created = User.objects.get_or_create(
            username="bench-evaluations-admin", defaults={"full_name": "Bench admin"}
        )
        Membership.objects.get_or_create(user=admin, role=Role.CONSORTIUM_ADMIN)
        templates = {
            rel: services.template_create(
                actor=admin,
                institution=None,
                title=f"Bench results {rel}",
                relationship=rel,
                sections=SECTIONS,
                is_anonymous=rel != Relationship.SELF,
            )
            for rel in Relationship.values
        }
        started = time.monotonic()
        round_ = services.round_open(
            actor=admin,
            institution=Institution.objects.order_by("id").first(),
            title="Bench results round",
            population="consortium",
            opens_on=datetime.date(2026, 9, 1),
            due_on=datetime.date(2026, 12, 31),
            templates=templates,
        )
        opened = time.monotonic() - started
        pairs = list(EvaluationPair.objects.filter(round=round_).order_by("id"))
        out(f"{connection.vendor}: round opened, {len(pairs):,} pairs in {opened:.1f} s")
        wanted = math.ceil(answers / ANSWERS_PER_RESPONSE)
        per_pair = max(1, math.ceil(wanted / max(len(pairs), 1)))
        submitted = pairs[: math.ceil(wanted / per_pair)]
        started = time.monotonic()
        responses, written = benchdata.store_answers(submitted, per_pair=per_pair)
        out(
            f"stored {responses:,} responses, {written:,} answers in "
            f"{time.monotonic() - started:.1f} s ({len(submitted):,} pairs submitted)"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (EvaluationPair, EvaluationResponse, EvaluationAnswer):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        out(f"answers stored in the database: {EvaluationAnswer.objects.count():,}")
        # The target with the most responses (a tutor evaluated by several trainees).
        busiest = (
            EvaluationResponse.objects.filter(round=round_, target_user__isnull=False)
            .values("template_id", "target_user_id")
            .annotate(n=Count("id"))
            .order_by("-n", "target_user_id")
            .first()
        )
        assert busiest is not None
        target = [round_.pk, busiest["template_id"], "person", busiest["target_user_id"]]
        api = "/api/v1/evaluations/rounds"
        pages = [
            ("result page (one target)", reverse("evaluations:results", args=target)),
            ("comments page (one target)", reverse("evaluations:comment_hide", args=target)),
            ("completion page (round)", reverse("evaluations:round_detail", args=[round_.pk])),
            (
                "pairs page (all)",
                reverse("evaluations:manage_pairs", args=[round_.pk]) + "?status=all",
            ),
            ("Excel export (2,000 targets)", reverse("evaluations:round_export", args=[round_.pk])),
            (
                "API result (one target)",
                f"{api}/{round_.pk}/results/{target[1]}/person/{target[3]}",
            ),
            ("API completion by institution", f"{api}/{round_.pk}/completion/institutions"),
            ("API completion by evaluator", f"{api}/{round_.pk}/completion/evaluators"),
            ("API targets", f"{api}/{round_.pk}/targets"),
        ]
        client = Client()
        client.force_login(admin)
        out(f"target: {busiest['n']} responses; each page timed {REPEAT} times after one warm-up")
        out("| page | median | of which Python (CPU) | queries | slowest query |")
        out("| --- | --- | --- | --- | --- |")
        for label, url in pages:
            assert client.get(url).status_code == 200, url
            times, cpu = [], []
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as ctx:
                    begin, begin_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append(time.perf_counter() - begin)
                    cpu.append(time.process_time() - begin_cpu)
                assert response.status_code == 200, url
            slowest = max(float(q["time"]) for q in ctx.captured_queries)
            out(
                f"| {label} | {statistics.median(times) * 1000:,.0f} ms "
                f"| {statistics.median(cpu) * 1000:,.0f} ms | {len(ctx)} "
                f"| {slowest * 1000:,.0f} ms |"
            )
