"""The demo's teachers: every teacher of a demo department gets a profile at its base, made by
the hospital's coordinator — teacher.guo (ECH radiation oncology) is key faculty whose
teacher-training certificate expires in 40 days, teacher.lu (WUH cardiology) a qualified
general teacher. Both have teacher-training records; teacher.guo has a development plan for
this year submitted for review, teacher.lu a reviewed one; teacher.guo is responsible for the
first resident rotating on the radiation oncology ward now. Built through the services only;
a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from tandem.accounts.models import User
from tandem.faculty import selectors, services
from tandem.faculty.models import TeacherProfile, Tier, Title
from tandem.residency.models import CohortMember, Department

# username: (tier, title, years as attending, days until the certificate expires)
PROFILES = {
    "teacher.guo": (Tier.KEY, Title.ASSOCIATE_CHIEF, 9, 40),
    "teacher.lu": (Tier.GENERAL, Title.ATTENDING, 5, 700),
}
TRAININGS = {
    "teacher.guo": [
        ("Provincial residency teacher training", "provincial", "24", 300),
        ("Teaching rounds workshop", "hospital", "6", 60),
    ],
    "teacher.lu": [("National key-faculty course", "national", "40", 200)],
}


def _coordinator(department: Department) -> User | None:
    code = department.base.institution.code
    return User.objects.filter(username=f"coord.{code}").first()


def load_demo() -> None:
    if TeacherProfile.objects.exists():
        return
    today = timezone.localdate()
    departments = Department.objects.filter(teachers__isnull=False).select_related(
        "base__institution"
    )
    made: dict[str, TeacherProfile] = {}
    for department in departments.distinct():
        coordinator = _coordinator(department)
        if coordinator is None:
            continue
        for teacher in department.teachers.all():
            if TeacherProfile.objects.filter(teacher=teacher, base=department.base).exists():
                continue
            tier, title, years, expires_in = PROFILES.get(
                teacher.username, (Tier.GENERAL, Title.ATTENDING, 4, 500)
            )
            expires = today + datetime.timedelta(days=expires_in)
            made[teacher.username] = services.profile_create(
                actor=coordinator,
                base=department.base,
                teacher=teacher,
                title=title,
                attending_since=today.replace(year=today.year - years, day=1),
                certificate_number=f"RT-{department.base.institution.code.upper()}-{teacher.pk:04d}",
                certificate_issued_on=expires.replace(year=expires.year - 4),
                certificate_expires_on=expires,
                tier=tier,
            )
    for username, rows in TRAININGS.items():
        profile = made.get(username)
        if profile is None:
            continue
        for course, level, hours, days_ago in rows:
            services.training_record(
                actor=profile.teacher,
                profile=profile,
                course=course,
                hours=Decimal(hours),
                level=level,
                date=today - datetime.timedelta(days=days_ago),
                certificate=f"{course[:12]}-{profile.pk}",
            )
    _plans(made, today.year)
    _responsible(made.get("teacher.guo"), today)


def _plans(made: dict[str, TeacherProfile], year: int) -> None:
    guo = made.get("teacher.guo")
    if guo is not None:
        plan = services.plan_start(actor=guo.teacher, profile=guo, year=year)
        services.goal_add(
            actor=guo.teacher, plan=plan, text="Give a small lecture every month", target="12"
        )
        services.goal_add(
            actor=guo.teacher,
            plan=plan,
            text="Renew the teacher-training certificate",
            target="Before it expires",
        )
        services.plan_submit(actor=guo.teacher, plan=plan)
    lu = made.get("teacher.lu")
    if lu is not None:
        plan = services.plan_start(actor=lu.teacher, profile=lu, year=year)
        goal = services.goal_add(
            actor=lu.teacher,
            plan=plan,
            text="Supervise the residents' case presentations",
            target="2 a month",
        )
        services.plan_submit(actor=lu.teacher, plan=plan)
        coordinator = _coordinator(Department.objects.filter(base=lu.base).first())
        if coordinator is not None:
            services.plan_review(
                actor=coordinator,
                plan=plan,
                note="A realistic plan; report the presentations in the logbook.",
                goals={goal.pk: ("in_progress", "On track.")},
            )


def _responsible(profile: TeacherProfile | None, today: datetime.date) -> None:
    """teacher.guo becomes responsible for the first resident on the radiation oncology ward
    today."""
    department = Department.objects.filter(code="ro-ward").select_related("base").first()
    if profile is None or department is None:
        return
    coordinator = _coordinator(department)
    for stint in sorted(
        selectors.stints_of_base(department.base, today), key=lambda s: s.member_id
    ):
        if stint.department_id == department.pk and stint.covers(today):
            member = CohortMember.objects.get(pk=stint.member_id)
            services.responsible_assign(
                actor=coordinator,
                member=member,
                department=department,
                teacher=profile.teacher,
            )
            return
