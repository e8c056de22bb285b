"""The demo's quality records, made through the services: both hospitals' bases with standards
(some met, some not), a supervisor at the radiation oncology base who observed a teaching round
and recorded two findings (one rectified and accepted, one open), and a self-assessment in
progress."""

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.quality import services
from tandem.quality.models import Standard
from tandem.residency.models import Department
from tandem.teaching.models import Activity, ActivityKind


def _kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(base__isnull=True, code=code)


def load_demo() -> None:
    if Standard.objects.exists():
        return
    ro = Department.objects.filter(code="ro-ward").select_related("base").first()
    cardio = Department.objects.filter(code="cardio").select_related("base").first()
    coord_ech = User.objects.filter(username="coord.ech").first()
    coord_wuh = User.objects.filter(username="coord.wuh").first()
    director = User.objects.filter(username="director.ech.ro").first()
    if not (ro and cardio and coord_ech and coord_wuh and director):
        return
    # Radiation oncology: weekly rounds are held (met); the small lecture is every other week
    # where the base asks for one every week (missed); orientations as they come.
    services.standard_add(
        actor=coord_ech,
        base=ro.base,
        kind="frequency",
        activity_kind=_kind("teaching_rounds"),
        count=1,
        period=1,
        unit="week",
    )
    services.standard_add(
        actor=coord_ech,
        base=ro.base,
        kind="frequency",
        activity_kind=_kind("small_lecture"),
        count=1,
        period=1,
        unit="week",
    )
    services.standard_add(actor=coord_ech, base=ro.base, kind="orientation", within_days=3)
    services.standard_add(actor=coord_ech, base=ro.base, kind="teacher_load", count=3)
    # Internal medicine: a round every two weeks (met) and at most three residents a teacher.
    services.standard_add(
        actor=coord_wuh,
        base=cardio.base,
        kind="frequency",
        activity_kind=_kind("teaching_rounds"),
        count=1,
        period=2,
        unit="week",
    )
    services.standard_add(actor=coord_wuh, base=cardio.base, kind="teacher_load", count=3)
    services.supervisor_designate(actor=coord_ech, base=ro.base, user=director)
    _observation(ro, director)
    assessment = services.self_assessment_create(
        actor=coord_ech, base=ro.base, title="Accreditation review 2026"
    )
    rows = list(assessment.indicator_list.indicators.all()[:4])
    services.self_assessment_save(
        actor=coord_ech,
        assessment=assessment,
        scores={row.pk: (str(row.max_score - 1), "See the base's annual report.") for row in rows},
    )


def _observation(department: Department, supervisor: User) -> None:
    activity = (
        Activity.objects.filter(
            department=department, kind__code="teaching_rounds", ends_at__lt=timezone.now()
        )
        .exclude(teacher=supervisor)
        .select_related("department__base", "teacher")
        .order_by("-starts_at")
        .first()
    )
    if activity is None:
        return
    observation = services.observation_start(actor=supervisor, activity=activity)
    today = timezone.localdate()
    done = services.rectification_add(
        actor=supervisor,
        observation=observation,
        finding="The residents were not asked to present the case before the discussion.",
        owner=activity.teacher,
        deadline=today + datetime.timedelta(days=7),
    )
    services.rectification_respond(
        actor=activity.teacher,
        item=done,
        response="Each round now opens with a resident presenting the case (rota on the board).",
    )
    services.rectification_decide(actor=supervisor, item=done, accept=True)
    services.rectification_add(
        actor=supervisor,
        observation=observation,
        finding="No summary of the learning points at the end of the round.",
        owner=activity.teacher,
        deadline=today + datetime.timedelta(days=14),
    )
