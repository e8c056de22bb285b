"""The demo's teaching activities: in the departments with a teacher (teacher.guo on ECH's
radiation oncology ward, teacher.lu in WUH cardiology) a weekly teaching round from eight
weeks ago to four weeks ahead, a small lecture and a case discussion every two weeks, and one
activity on today whose sign-in is open for the next hours. Past ones have their attendance:
most residents signed in with the code, one stayed away, one was recorded by the teacher with
a reason. Both hospitals rate their activities with an anonymous form. Built through the
services only; a second run changes nothing.
"""

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.evaluations import services as evaluation_services
from tandem.evaluations.models import EvaluationTemplate, Relationship
from tandem.institutions.models import Institution
from tandem.residency.models import Department
from tandem.teaching import codes, services
from tandem.teaching.models import Activity, ActivityKind, AttendanceStatus

RATING_TITLE = "Rating of a teaching activity"
SCALE = [
    {"value": 1, "label": "Poor", "label_zh": "差"},
    {"value": 2, "label": "Fair", "label_zh": "一般"},
    {"value": 3, "label": "Good", "label_zh": "好"},
    {"value": 4, "label": "Very good", "label_zh": "很好"},
    {"value": 5, "label": "Excellent", "label_zh": "优秀"},
]
# department, teacher, kind, topic, place, weekday, hour, every weeks
SERIES = [
    (
        "ro-ward",
        "teacher.guo",
        "teaching_rounds",
        "Bedside teaching round",
        "RO ward office",
        1,
        8,
        1,
    ),
    (
        "ro-ward",
        "teacher.guo",
        "small_lecture",
        "Radiation dermatitis",
        "RO seminar room",
        3,
        16,
        2,
    ),
    (
        "cardio",
        "teacher.lu",
        "teaching_rounds",
        "Bedside teaching round",
        "Cardiology ward",
        2,
        8,
        1,
    ),
    (
        "cardio",
        "teacher.lu",
        "case_discussion",
        "Chest pain of unclear cause",
        "Cardiology seminar room",
        4,
        15,
        2,
    ),
]


def load_demo() -> None:
    if Activity.objects.exists():
        return
    services.built_in_kinds_ensure()
    _rating_forms()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for code, username, kind_code, topic, place, weekday, hour, every in SERIES:
        department = Department.objects.filter(code=code).select_related("base").first()
        teacher = User.objects.filter(username=username).first()
        if department is None or teacher is None:
            continue
        first = monday - datetime.timedelta(weeks=8) + datetime.timedelta(days=weekday)
        services.activity_schedule(
            actor=teacher,
            department=department,
            kind=ActivityKind.objects.get(base__isnull=True, code=kind_code),
            teacher=teacher,
            topic=topic,
            place=place,
            date=first,
            start_time=datetime.time(hour, 0),
            duration_minutes=60,
            repeat_weeks=every,
            until=monday + datetime.timedelta(weeks=4),
        )
    _today()
    _attendance()


def _rating_forms() -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    template = EvaluationTemplate.objects.filter(title=RATING_TITLE, is_current=True).first()
    if template is None:
        template = evaluation_services.template_create(
            actor=admin,
            institution=None,
            title=RATING_TITLE,
            title_zh="教学活动评价",
            relationship=Relationship.TRAINEE_TUTOR,
            is_anonymous=True,
            sections=[
                {
                    "title": "The activity",
                    "title_zh": "本次活动",
                    "items": [
                        {
                            "kind": "rating",
                            "prompt": "Clear and well prepared",
                            "prompt_zh": "内容清晰、准备充分",
                            "options": SCALE,
                        },
                        {
                            "kind": "rating",
                            "prompt": "Useful for my work on the ward",
                            "prompt_zh": "对临床工作有帮助",
                            "options": SCALE,
                        },
                        {
                            "kind": "rating",
                            "prompt": "I could ask and take part",
                            "prompt_zh": "有提问和参与的机会",
                            "options": SCALE,
                        },
                        {
                            "kind": "narrative",
                            "prompt": "What would make it better?",
                            "prompt_zh": "改进建议",
                            "is_required": False,
                        },
                    ],
                }
            ],
        )
    for code in ("ech", "wuh"):
        institution = Institution.objects.filter(code=code).first()
        coordinator = User.objects.filter(username=f"coord.{code}").first()
        if institution and coordinator:
            services.rating_form_set(
                actor=coordinator, institution=institution, template=template, due_days=7
            )


def _today() -> None:
    """An orientation on the radiation oncology ward that began a quarter of an hour ago and
    runs four hours: teacher.guo can show its code now."""
    department = Department.objects.filter(code="ro-ward").first()
    teacher = User.objects.filter(username="teacher.guo").first()
    if department is None or teacher is None:
        return
    start = timezone.localtime() - datetime.timedelta(minutes=15)
    start = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)
    services.activity_schedule(
        actor=teacher,
        department=department,
        kind=ActivityKind.objects.get(base__isnull=True, code="orientation"),
        teacher=teacher,
        topic="Welcome to the radiation oncology ward",
        place="RO seminar room",
        date=start.date(),
        start_time=start.time(),
        duration_minutes=240,
    )


def _attendance() -> None:
    """Past activities: everyone signs in five minutes after the start but the last of the
    audience, who is absent every third time; once in a while the teacher records one."""
    now = timezone.now()
    past = (
        Activity.objects.filter(ends_at__lt=now)
        .select_related("teacher", "department__base", "kind")
        .prefetch_related("attendances__resident")
        .order_by("starts_at", "id")
    )
    for n, activity in enumerate(past):
        rows = sorted(activity.attendances.all(), key=lambda a: a.resident.username)
        moment = activity.starts_at + datetime.timedelta(minutes=5)
        for index, attendance in enumerate(rows):
            last = index == len(rows) - 1 and len(rows) > 1
            if last and n % 3 == 0:
                continue
            if last and n % 5 == 1:
                services.attendance_correct(
                    actor=activity.teacher,
                    activity=activity,
                    resident=attendance.resident,
                    status=AttendanceStatus.PRESENT,
                    reason="Came from the clinic after the start; phone without signal.",
                )
                continue
            services.attendance_sign_in(
                actor=attendance.resident,
                activity=activity,
                code=codes.current_code(activity.secret, moment),
                moment=moment,
            )
