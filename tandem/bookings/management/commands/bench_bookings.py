"""Benchmark: booking throughput and the availability week on a resource with a long history.

    .venv/bin/python manage.py bench_bookings [--past 100000] [--sequential 200] [--threads 8]

Creates its own institution, resource, rules and bookers (named "bench-…"), bulk-creates the
past bookings, measures, then deletes everything it made (unless --keep). Run it against a
scratch database: DATABASE_URL=postgres://… for PostgreSQL, or a copy of db.sqlite3.
"""

import datetime
import platform
import statistics
import threading
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import connection, connections, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.bookings import calendar, services
from tandem.bookings.models import Booking, BookingRules, BookingStatus
from tandem.institutions.models import Institution
from tandem.resources.models import SharedResource

ALL_DAY = {str(day): ["00:00", "23:30"] for day in range(1, 8)}


class Command(BaseCommand):
    help = "Measure booking throughput and the week view on a resource with many past bookings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--past", type=int, default=100_000)
        parser.add_argument("--sequential", type=int, default=200)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--per-thread", type=int, default=50)
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = f"{int(time.time())}"
        institution = Institution.objects.create(
            code=f"bench-{stamp}",
            name=f"bench-{stamp} institute",
            kind="research_institute",
            region="central",
        )
        resource = SharedResource.objects.create(
            institution=institution, name=f"bench-{stamp} microscope", kind="instrument"
        )
        coordinator = self._person(f"bench-{stamp}-coord", Role.COORDINATOR, institution)
        bookers = [
            self._person(f"bench-{stamp}-{i}", Role.TRAINEE, institution)
            for i in range(max(options["threads"], 1))
        ]
        BookingRules.objects.create(
            resource=resource,
            opening_hours=ALL_DAY,
            slot_minutes=30,
            max_booking_minutes=60,
            min_notice_hours=0,
            max_advance_days=3650,
            approval_required=False,
        )
        try:
            self._run(options, resource, coordinator, bookers)
        finally:
            if not options["keep"]:
                Booking.objects.filter(resource=resource).delete()
                resource.delete()
                User.objects.filter(username__startswith=f"bench-{stamp}").delete()
                institution.delete()

    def _person(self, username: str, role: str, institution: Institution) -> User:
        user = User.objects.create(username=username, full_name=username)
        Membership.objects.create(user=user, role=role, institution=institution)
        return user

    def _run(
        self, options: Any, resource: SharedResource, coordinator: User, bookers: list[User]
    ) -> None:
        out = self.stdout.write
        machine = platform.processor() or platform.machine()
        out(
            f"# {timezone.localtime():%Y-%m-%d %H:%M %Z} · {platform.node()} · {machine} · "
            f"{connection.vendor} · Python {platform.python_version()}"
        )
        # 1. History: N past hourly bookings, bulk-created.
        started = time.perf_counter()
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        batch = []
        for i in range(options["past"]):
            start = now - datetime.timedelta(hours=i + 24)
            batch.append(
                Booking(
                    resource=resource,
                    booked_by=bookers[0],
                    institution=resource.institution,
                    start=start,
                    end=start + datetime.timedelta(hours=1),
                    status=BookingStatus.COMPLETED,
                )
            )
            if len(batch) == 5000:
                Booking.objects.bulk_create(batch)
                batch = []
        Booking.objects.bulk_create(batch)
        out(f"past bookings created: {options['past']} in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE bookings_booking")

        # 2. The week view: selector and the whole page, this week and a week deep in history.
        client = Client()
        client.force_login(coordinator)
        url = reverse("bookings:calendar", args=[resource.pk])
        for label, week in (
            ("this week", timezone.localdate()),
            ("a full past week", timezone.localdate() - datetime.timedelta(days=30)),
        ):
            monday = calendar.week_start_of(week)
            times, pages = [], []
            for _ in range(20):
                begin = time.perf_counter()
                calendar.week_bookings(resource, monday)
                times.append(time.perf_counter() - begin)
            client.get(f"{url}?week={monday}")
            for _ in range(10):
                with CaptureQueriesContext(connection) as ctx:
                    begin = time.perf_counter()
                    response = client.get(f"{url}?week={monday}")
                    pages.append(time.perf_counter() - begin)
                assert response.status_code == 200
            out(
                f"week view ({label}): bookings query median "
                f"{statistics.median(times) * 1000:.2f} ms; page median "
                f"{statistics.median(pages) * 1000:.1f} ms, {len(ctx.captured_queries)} queries"
            )
        reset_queries()

        # 3. Throughput through the service, one after another (distinct free slots).
        future = timezone.make_aware(
            datetime.datetime.combine(
                timezone.localdate() + datetime.timedelta(days=2), datetime.time(0)
            )
        )
        count = options["sequential"]
        begin = time.perf_counter()
        for i in range(count):
            start = future + datetime.timedelta(days=i // 46, minutes=30 * (i % 46))
            services.booking_request(
                actor=bookers[0],
                resource=resource,
                start=start,
                end=start + datetime.timedelta(minutes=30),
            )
        elapsed = time.perf_counter() - begin
        out(f"sequential: {count} bookings in {elapsed:.2f} s = {count / elapsed:.0f} bookings/s")

        # 4. Parallel (PostgreSQL): threads book distinct slots, plus contention on one slot.
        if connection.vendor != "postgresql" or options["threads"] < 2:
            out("parallel: skipped (needs PostgreSQL)")
            return
        base = future + datetime.timedelta(days=30)
        per = options["per_thread"]
        done: list[int] = []

        def work(t: int) -> None:
            made = 0
            try:
                for i in range(per):
                    start = base + datetime.timedelta(days=t * 10 + i // 46, minutes=30 * (i % 46))
                    services.booking_request(
                        actor=bookers[t],
                        resource=resource,
                        start=start,
                        end=start + datetime.timedelta(minutes=30),
                    )
                    made += 1
            finally:
                connections.close_all()
                done.append(made)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(options["threads"])]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - begin
        total = sum(done)
        out(
            f"parallel: {options['threads']} threads, {total} bookings in {elapsed:.2f} s = "
            f"{total / elapsed:.0f} bookings/s"
        )

        contested = base + datetime.timedelta(days=200)
        outcomes: list[str] = []
        barrier = threading.Barrier(options["threads"])

        def contend(t: int) -> None:
            try:
                barrier.wait()
                services.booking_request(
                    actor=bookers[t],
                    resource=resource,
                    start=contested,
                    end=contested + datetime.timedelta(minutes=30),
                )
                outcomes.append("ok")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=contend, args=(t,)) for t in range(options["threads"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        out(
            f"one contested slot, {options['threads']} threads: {outcomes.count('ok')} booked, "
            f"{outcomes.count('refused')} refused"
        )
