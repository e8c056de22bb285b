"""The teaching scale benchmark (docs/benchmarks.md): a bench hospital with `residents`
residents rotating through `departments` departments of one training base for `years` years
(one published schedule a year, 13 blocks of four weeks, resident i in department
(i + block) mod departments), and `per_week` teaching activities per department and week, each
with its audience — the residents the schedule places there that week — marked present (80 %),
excused (5 %) or not signed in, plus a walk-in now and then. The last year ends this week, so
the pages' default period (the last 90 days) holds data.

This is a fixture written in bulk, not a demo: the services are what the other tests check.
`build` makes the data; `pages` lists the teaching pages to measure, as the people who read
them; `measure` times them with their query counts. `manage.py bench_teaching` runs both;
`tandem/teaching/tests/test_bench.py` builds two sizes and asserts the same query counts.
"""

import datetime
import random
import statistics
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership, Role, TraineeKind, TraineeProfile, User
from tandem.institutions.models import Institution, InstitutionKind, Region, Unit, UnitKind
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
from tandem.teaching.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
)
from tandem.teaching.services import built_in_kinds_ensure

BLOCKS = 13
BATCH = 10_000
TEACHERS_PER_DEPARTMENT = 3
# Activities start at these hours (local time) on the working days, in turn.
HOURS = (8, 12, 16)


@dataclass
class Bench:
    code: str
    hospital: Institution
    base: Unit
    coordinator: User
    director: User
    teacher: User
    resident: User
    first_day: datetime.date
    last_day: datetime.date


def _user(username: str, full_name: str) -> User:
    return User.objects.create(username=username, full_name=full_name)


def find(code: str) -> Bench | None:
    """The bench of `code` if it was built before (the data is kept between runs)."""
    hospital = Institution.objects.filter(code=code).first()
    if hospital is None:
        return None
    base = Unit.objects.get(institution=hospital, kind=UnitKind.TRAINING_BASE)
    first = Block.objects.filter(calendar__institution=hospital).order_by("start_date").first()
    last = Block.objects.filter(calendar__institution=hospital).order_by("-end_date").first()
    assert first is not None and last is not None
    return Bench(
        code=code,
        hospital=hospital,
        base=base,
        coordinator=User.objects.get(username=f"{code}.coord"),
        director=User.objects.get(username=f"{code}.director"),
        teacher=User.objects.get(username=f"{code}.t0-0"),
        resident=User.objects.get(username=f"{code}.r00000"),
        first_day=first.start_date,
        last_day=last.end_date,
    )


@transaction.atomic
def build(
    code: str,
    *,
    residents: int = 300,
    years: int = 5,
    departments: int = 10,
    per_week: int = 3,
    seed: int = 13,
) -> Bench:
    rng = random.Random(seed)
    built_in_kinds_ensure()
    kinds = list(ActivityKind.objects.filter(base=None).order_by("position"))
    hospital = Institution.objects.create(
        code=code,
        name=f"Bench hospital {code}",
        kind=InstitutionKind.HOSPITAL,
        region=Region.EASTERN,
    )
    base = Unit.objects.create(
        institution=hospital,
        name=f"Internal medicine base {code}",
        kind=UnitKind.TRAINING_BASE,
        specialty="internal_medicine",
    )
    coordinator = _user(f"{code}.coord", f"Coordinator {code}")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, institution=hospital)
    director = _user(f"{code}.director", f"Director {code}")
    Membership.objects.create(
        user=director, role=Role.BASE_DIRECTOR, institution=hospital, unit=base
    )
    wards = [
        Department.objects.create(base=base, name=f"Ward {n:02d}", code=f"w{n}", max_per_block=999)
        for n in range(departments)
    ]
    teachers: list[list[User]] = []
    for d, ward in enumerate(wards):
        staff = [
            _user(f"{code}.t{d}-{k}", f"Teacher {d:02d}-{k}")
            for k in range(TEACHERS_PER_DEPARTMENT)
        ]
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.TEACHER, institution=hospital) for u in staff
        )
        ward.teachers.add(*staff)
        teachers.append(staff)
    program = Program.objects.create(
        institution=hospital, code=code[:16], name=f"Bench IM {code}", specialty="internal_medicine"
    )
    people = User.objects.bulk_create(
        User(username=f"{code}.r{n:05d}", full_name=f"Resident {code} {n:05d}")
        for n in range(residents)
    )
    Membership.objects.bulk_create(
        Membership(user=u, role=Role.TRAINEE, institution=hospital) for u in people
    )
    TraineeProfile.objects.bulk_create(
        TraineeProfile(user=u, kind=TraineeKind.RESIDENT, cohort=2022) for u in people
    )
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    # The last block ends on the Sunday of this week.
    first = this_monday - datetime.timedelta(weeks=52 * years - 1)
    for year in range(years):
        start = first + datetime.timedelta(weeks=52 * year)
        calendar = BlockCalendar.objects.create(
            institution=hospital,
            name=f"{code} year {year + 1}",
            training_year=start.year,
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
            institution=hospital, calendar=calendar, name=f"{code} cohort {year + 1}"
        )
        proposal = ScheduleProposal.objects.create(
            cohort=cohort, status="done", instance={}, solution={}, created_by=coordinator
        )
        schedule = PublishedSchedule.objects.create(
            cohort=cohort, proposal=proposal, instance={}, solution={}, published_by=coordinator
        )
        members = CohortMember.objects.bulk_create(
            CohortMember(cohort=cohort, resident=u, program=program) for u in people
        )
        Assignment.objects.bulk_create(
            (
                Assignment(
                    schedule=schedule,
                    member=m,
                    block=b,
                    department=wards[(i + b.index) % departments],
                )
                for i, m in enumerate(members)
                for b in blocks
            ),
            batch_size=BATCH,
        )
        for b in blocks:
            audience = {
                d: [m for i, m in enumerate(members) if (i + b.index) % departments == d]
                for d in range(departments)
            }
            _activities_of_block(rng, code, b, wards, teachers, kinds, audience, per_week, people)
    return find(code)  # type: ignore[return-value]


def _activities_of_block(
    rng: random.Random,
    code: str,
    block: Block,
    wards: list[Department],
    teachers: list[list[User]],
    kinds: list[ActivityKind],
    audience: dict[int, list[CohortMember]],
    per_week: int,
    people: list[User],
) -> None:
    activities: list[Activity] = []
    for week in range(4):
        monday = block.start_date + datetime.timedelta(weeks=week)
        for d, ward in enumerate(wards):
            for k in range(per_week):
                day = monday + datetime.timedelta(days=(k * 2 + d) % 5)
                starts = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(HOURS[k % len(HOURS)]))
                )
                activities.append(
                    Activity(
                        department=ward,
                        kind=kinds[(week + k + d) % len(kinds)],
                        teacher=teachers[d][k % TEACHERS_PER_DEPARTMENT],
                        topic=f"{code} topic {block.pk}-{week}-{k}",
                        place=f"{ward.name}, seminar room",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        created_by=teachers[d][0],
                    )
                )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    now = timezone.now()
    rows: list[Attendance] = []
    for activity in activities:
        d = wards.index(activity.department)
        held = activity.starts_at <= now
        seen = set()
        for member in audience[d]:
            roll = rng.random()
            if held and roll < 0.8:
                status, source = AttendanceStatus.PRESENT, AttendanceSource.CODE
            elif held and roll < 0.85:
                status, source = AttendanceStatus.EXCUSED, AttendanceSource.TEACHER
            else:
                status, source = AttendanceStatus.EXPECTED, AttendanceSource.AUDIENCE
            seen.add(member.resident_id)
            rows.append(
                Attendance(
                    activity=activity,
                    resident_id=member.resident_id,
                    member=member,
                    status=status,
                    source=source,
                    signed_in_at=activity.starts_at if source == AttendanceSource.CODE else None,
                    corrected_by_id=activity.teacher_id
                    if source == AttendanceSource.TEACHER
                    else None,
                    reason="On call" if source == AttendanceSource.TEACHER else "",
                )
            )
        if held and rng.random() < 0.1:
            walk_in = people[rng.randrange(len(people))]
            if walk_in.pk not in seen:
                rows.append(
                    Attendance(
                        activity=activity,
                        resident=walk_in,
                        in_audience=False,
                        status=AttendanceStatus.PRESENT,
                        source=AttendanceSource.CODE,
                        signed_in_at=activity.starts_at,
                    )
                )
    Attendance.objects.bulk_create(rows, batch_size=BATCH)


def pages(bench: Bench) -> list[tuple[str, User, str]]:
    """(label, reader, url) of the teaching pages at scale."""
    base_url = reverse("teaching:base_detail", args=[bench.base.pk])
    whole = f"?start={bench.first_day.isoformat()}&end={bench.last_day.isoformat()}"
    last_held = (
        Activity.objects.filter(department__base=bench.base, starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    assert last_held is not None
    stats_api = f"/api/v1/teaching/bases/{bench.base.pk}/stats"
    return [
        ("base statistics, last 90 days, as the training office", bench.coordinator, base_url),
        (
            "base statistics, the whole period, as the training office",
            bench.coordinator,
            base_url + whole,
        ),
        (
            "base statistics, the whole period, residents page 4",
            bench.director,
            base_url + whole + "&page=4",
        ),
        ("base statistics API, the whole period", bench.coordinator, stats_api + whole),
        (
            "a resident's teaching home (own attendance, every year)",
            bench.resident,
            reverse("teaching:home"),
        ),
        (
            "an activity's attendance, as its teacher",
            last_held.teacher,
            reverse("teaching:activity_detail", args=[last_held.pk]),
        ),
        (
            "attendance export (.xlsx), the whole period",
            bench.coordinator,
            reverse("teaching:attendance_xlsx", args=[bench.base.pk]) + whole,
        ),
    ]


@dataclass
class Measure:
    label: str
    queries: int
    median_ms: float
    slowest_ms: float


def analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum would in time: on
    PostgreSQL a table never analyzed gets row estimates far off (5 s instead of 0.2 s for the
    residents of the base page)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(bench: Bench, repeat: int = 5) -> list[Measure]:
    """Each page `repeat` times after a warm-up; the export, which grows with the rows by
    nature, once."""
    results = []
    for label, user, url in pages(bench):
        heavy = "export" in label
        client = Client()
        client.force_login(user)
        if not heavy:
            client.get(url)  # warm up the session and the content types
        times = []
        queries = 0
        for _n in range(1 if heavy else repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
            queries = len(captured)
        results.append(Measure(label, queries, statistics.median(times) * 1000, max(times) * 1000))
    return results


def counts(bench: Bench) -> dict[str, int]:
    return {m.label: m.queries for m in measure(bench, repeat=1)}
