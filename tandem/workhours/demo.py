"""The demo's work hours: ECH keeps its own limits (the Chinese base rule set), WUH follows
ACGME; ECH's radiation oncology ward has a rota pattern with a 24-hour call every fourth day.
The demo residents have logged their last four weeks and this week so far: most keep within the
limits, resident.tang (ECH) does not — 24-hour calls with a long handover, a night shift soon
after, no free day. Built through the services only, dated relative to today; a second run
changes nothing.
"""

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.institutions.models import Institution
from tandem.residency.models import CohortMember, Department
from tandem.workhours import services
from tandem.workhours.models import RotaPattern, RuleSet, Shift

RULE_SETS = [("ech", "china"), ("wuh", "acgme")]
HEAVY = "resident.tang"
EXTRA_PER_COHORT = 3

# (weekday, start hour:minute, hours, kind) per week
STEADY = [(d, (8, 0), 10, "duty") for d in range(5)] + [(5, (8, 0), 4, "duty")]
HEAVY_WEEK = [
    (0, (7, 30), 12, "duty"),
    (1, (7, 30), 12, "duty"),
    (2, (7, 30), 12, "duty"),
    (3, (7, 30), 24, "on_call"),
    (4, (7, 30), 4, "handover"),
    (4, (20, 0), 10, "duty"),
    (6, (8, 0), 10, "duty"),
]


def load_demo() -> None:
    for code, regulator in RULE_SETS:
        institution = Institution.objects.filter(code=code).first()
        coordinator = User.objects.filter(username=f"coord.{code}").first()
        if institution is None or coordinator is None:
            continue
        if not RuleSet.objects.filter(institution=institution, program=None).exists():
            services.ruleset_save(
                actor=coordinator,
                institution=institution,
                regulator=regulator,
                time_zone="Asia/Shanghai",
            )
    ward = Department.objects.filter(base__institution__code="ech", code="ro-ward").first()
    coordinator = User.objects.filter(username="coord.ech").first()
    if (
        ward is not None
        and coordinator
        and not RotaPattern.objects.filter(department=ward).exists()
    ):
        services.pattern_set(
            actor=coordinator,
            department=ward,
            weekdays=[0, 1, 2, 3, 4],
            day_start=datetime.time(8, 0),
            day_end=datetime.time(17, 30),
            call_every=4,
            call_hours=24,
            handover_hours=2,
        )
    if not Shift.objects.exists():
        _shifts(timezone.localdate())


def _residents() -> list[User]:
    """The named demo residents and the first few others of each published cohort."""
    chosen: list[User] = []
    seen_cohorts: dict[int, int] = {}
    members = (
        CohortMember.objects.filter(cohort__schedule__isnull=False)
        .select_related("resident")
        .order_by("cohort_id", "resident__username")
    )
    for member in members:
        named = member.resident.username in ("resident.tang", "resident.deng", "resident.xie")
        taken = seen_cohorts.get(member.cohort_id, 0)
        if named or taken < EXTRA_PER_COHORT:
            if member.resident not in chosen:
                chosen.append(member.resident)
            seen_cohorts[member.cohort_id] = taken + 1
    return chosen


def _shifts(today: datetime.date) -> None:
    tz = timezone.get_current_timezone()
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [this_monday - datetime.timedelta(weeks=w) for w in range(4, -1, -1)]
    for resident in _residents():
        week = HEAVY_WEEK if resident.username == HEAVY else STEADY
        for monday in mondays:
            for weekday, (hour, minute), hours, kind in week:
                day = monday + datetime.timedelta(days=weekday)
                start = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
                end = start + datetime.timedelta(hours=hours)
                if end.date() >= today:
                    continue
                services.shift_log(actor=resident, start=start, end=end, kind=kind)
