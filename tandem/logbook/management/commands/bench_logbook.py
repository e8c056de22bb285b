"""Benchmark the case-log pages at the issue's scale: 1,000 residents with three years of logs.

    createdb -h 127.0.0.1 -U postgres bench_logbook
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_logbook .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_logbook \
        .venv/bin/python manage.py bench_logbook --residents 1000 --years 3 --per-year 500

Creates (once; a second run reuses the data) a bench hospital with ten departments, one
published schedule per training year (13 blocks of four weeks), a catalogue with minimums, and
`per-year` entries per resident and year, written in bulk (this is a fixture, not a demo: the
services are what the tests check). Then times the resident, cohort, department and
verification pages, each a few times, with their query counts.
"""

import datetime
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from tandem.accounts.models import Membership, Role, TraineeKind, TraineeProfile, User
from tandem.institutions.models import Institution, InstitutionKind, Region, Unit, UnitKind
from tandem.logbook.hashing import patient_hash
from tandem.logbook.models import Catalogue, CatalogueItem, EntryStatus, LogEntry, Minimum
from tandem.residency.models import (
    Assignment,
    Block,
    BlockCalendar,
    CalendarKind,
    Cohort,
    CohortMember,
    Department,
    Program,
    PublishedSchedule,
    ScheduleProposal,
)

CODE = "bench-logbook"
DEPARTMENTS = 10
ITEMS = 30
BLOCKS = 13
BATCH = 10_000


class Command(BaseCommand):
    help = "Time the logbook pages with 1,000 residents and three years of logs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=1000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--per-year", type=int, default=500)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(
        self, *args: Any, residents: int, years: int, per_year: int, repeat: int, **options: Any
    ) -> None:
        if not Institution.objects.filter(code=CODE).exists():
            started = time.monotonic()
            self._create(residents, years, per_year)
            self.stdout.write(f"created in {time.monotonic() - started:.0f} s")
        count = User.objects.filter(username__startswith="bench.lb.r").count()
        self.stdout.write(
            f"{connection.vendor}: {count:,} residents, {LogEntry.objects.count():,} entries"
        )
        self._time_pages(repeat)

    # ----------------------------------------------------------------------- data

    @transaction.atomic
    def _create(self, residents: int, years: int, per_year: int) -> None:
        rng = random.Random(12)
        hospital = Institution.objects.create(
            code=CODE,
            name="Bench hospital",
            kind=InstitutionKind.HOSPITAL,
            region=Region.EASTERN,
        )
        base = Unit.objects.create(
            institution=hospital,
            name="Bench base",
            kind=UnitKind.TRAINING_BASE,
            specialty="internal_medicine",
        )
        coordinator = User.objects.create(username="bench.lb.coord", full_name="Bench Coord")
        Membership.objects.create(user=coordinator, role=Role.COORDINATOR, institution=hospital)
        teacher = User.objects.create(username="bench.lb.teacher", full_name="Bench Teacher")
        Membership.objects.create(user=teacher, role=Role.TEACHER, institution=hospital)
        departments = [
            Department.objects.create(base=base, name=f"Dept {n}", code=f"d{n}", max_per_block=999)
            for n in range(DEPARTMENTS)
        ]
        departments[0].teachers.add(teacher)
        program = Program.objects.create(
            institution=hospital, code="bench", name="Bench IM", specialty="internal_medicine"
        )
        catalogue = Catalogue.objects.create(
            institution=hospital, specialty="internal_medicine", name="Bench catalogue"
        )
        items = CatalogueItem.objects.bulk_create(
            CatalogueItem(catalogue=catalogue, code=f"I{n:02d}", name=f"Item {n}", kind="disease")
            for n in range(ITEMS)
        )
        Minimum.objects.bulk_create(
            Minimum(
                item=items[(d * 3 + k) % ITEMS], department=department, role=1 + k % 3, count=5 + k
            )
            for d, department in enumerate(departments)
            for k in range(3)
        )
        people = User.objects.bulk_create(
            User(username=f"bench.lb.r{n:05d}", full_name=f"Resident {n:05d}")
            for n in range(residents)
        )
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.TRAINEE, institution=hospital) for u in people
        )
        TraineeProfile.objects.bulk_create(
            TraineeProfile(user=u, kind=TraineeKind.RESIDENT, cohort=2023) for u in people
        )
        first = datetime.date(2023, 8, 28)
        for year in range(years):
            start = first + datetime.timedelta(weeks=52 * year)
            calendar = BlockCalendar.objects.create(
                institution=hospital,
                name=f"Bench {year}",
                training_year=2023 + year,
                kind=CalendarKind.FOUR_WEEKS,
                start_date=start,
                block_count=BLOCKS,
            )
            blocks = Block.objects.bulk_create(
                Block(
                    calendar=calendar,
                    index=b,
                    start_date=start + datetime.timedelta(weeks=4 * b),
                    end_date=start + datetime.timedelta(weeks=4 * b + 4, days=-1),
                )
                for b in range(BLOCKS)
            )
            cohort = Cohort.objects.create(
                institution=hospital, calendar=calendar, name=f"Bench cohort {year}"
            )
            proposal = ScheduleProposal.objects.create(
                cohort=cohort, status="done", instance={}, solution={}, created_by=coordinator
            )
            schedule = PublishedSchedule.objects.create(
                cohort=cohort,
                proposal=proposal,
                instance={},
                solution={},
                published_by=coordinator,
            )
            members = CohortMember.objects.bulk_create(
                CohortMember(cohort=cohort, resident=u, program=program) for u in people
            )
            assignments = [
                Assignment(
                    schedule=schedule,
                    member=m,
                    block=b,
                    department=departments[(i + b.index) % DEPARTMENTS],
                )
                for i, m in enumerate(members)
                for b in blocks
            ]
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)
            entries: list[LogEntry] = []
            per_block = max(1, per_year // BLOCKS)
            for a in assignments:
                for _k in range(per_block):
                    day = a.block.start_date + datetime.timedelta(days=rng.randrange(28))
                    verified = rng.random() < 0.8
                    entries.append(
                        LogEntry(
                            resident_id=a.member.resident_id,
                            member=a.member,
                            department=a.department,
                            item=items[rng.randrange(ITEMS)],
                            role=1 + rng.randrange(3),
                            date=day,
                            patient_hash=patient_hash(hospital.pk, f"{rng.randrange(10**7)}"),
                            status=EntryStatus.VERIFIED if verified else EntryStatus.PENDING,
                            reviewed_by=teacher if verified else None,
                        )
                    )
                if len(entries) >= BATCH:
                    LogEntry.objects.bulk_create(entries, batch_size=BATCH)
                    entries = []
            LogEntry.objects.bulk_create(entries, batch_size=BATCH)
            self.stdout.write(f"year {year + 1}: {LogEntry.objects.count():,} entries so far")

    # ----------------------------------------------------------------------- pages

    def _time_pages(self, repeat: int) -> None:
        setup_test_environment()
        coordinator = User.objects.get(username="bench.lb.coord")
        teacher = User.objects.get(username="bench.lb.teacher")
        resident = User.objects.filter(username__startswith="bench.lb.r").order_by("pk").first()
        cohort = Cohort.objects.filter(institution__code=CODE).order_by("-pk").first()
        department = Department.objects.get(base__institution__code=CODE, code="d0")
        assert resident is not None and cohort is not None
        pages = [
            ("resident (3 years)", resident, reverse("logbook:resident", args=[resident.pk])),
            (
                "resident, as the office",
                coordinator,
                reverse("logbook:resident", args=[resident.pk]),
            ),
            ("cohort, first page", coordinator, reverse("logbook:cohort", args=[cohort.pk])),
            (
                "department, first page",
                teacher,
                reverse("logbook:department", args=[department.pk]),
            ),
            ("verification, every waiting", teacher, reverse("logbook:review") + "?all=1"),
            ("resident's home", resident, reverse("logbook:home")),
        ]
        self.stdout.write("| page | queries | median | slowest |")
        self.stdout.write("| --- | --- | --- | --- |")
        for label, user, url in pages:
            client = Client()
            client.force_login(user)
            client.get(url)  # warm up
            times = []
            queries = 0
            for _n in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (label, response.status_code)
                queries = len(captured)
            self.stdout.write(
                f"| {label} | {queries} | {statistics.median(times) * 1000:.0f} ms | "
                f"{max(times) * 1000:.0f} ms |"
            )
