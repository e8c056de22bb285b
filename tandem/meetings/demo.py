"""Debriefings of the demo consortium, built through the services.

On top of `tandem.portal.demo` and `tandem.cultivation.demo`: Prof. Li (EMU) runs a biweekly
hybrid debriefing with Prof. Chen (WMU) for Zhang (and Yang, when present). Four meetings have
been held, with reports, both tutors' comments, attendance from both sites and action items (one
closed, one carried forward, one overdue); the mentoring log shows the tutors last talked ten
weeks ago. Each report carries its slides as a small PDF. Skipped when Zhang's joint
cultivation is absent.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tandem.accounts.demo import demo_pdf
from tandem.accounts.models import User
from tandem.cultivation.demo import demo_cultivation
from tandem.institutions.models import Institution
from tandem.meetings import services, services_log
from tandem.meetings.models import Meeting, MeetingSeries

SERIES_TITLE = "Tumour hypoxia group — progress debriefing"
REPORTS = [
    (
        "Hypoxia model established in two cell lines; HIF-1α knock-down confirmed by western blot.",
        "Literature review (chapter 1) drafted, 40 pages.",
        "Knock-down efficiency varies between passages.",
        "Repeat the knock-down with fresh siRNA and new controls.",
    ),
    (
        "Knock-down reproducible (3 biological replicates); radiotherapy response assay started.",
        "Chapter 1 revised after Prof. Chen's comments.",
        "Irradiator booked out for two weeks.",
        "Run the clonogenic assay; start the methods chapter.",
    ),
    (
        "Clonogenic assay: radio-resistance reduced after knock-down (p < 0.01).",
        "Methods chapter outline agreed.",
        "Need the imaging protocol from EMU for the animal study.",
        "Apply for the animal ethics approval; write the methods chapter.",
    ),
]


def _people(*usernames: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


def _with_participants(meeting: Meeting) -> Meeting:
    meeting.series = MeetingSeries.objects.prefetch_related("participants").get(
        pk=meeting.series_id
    )
    return meeting


@transaction.atomic
def load_demo() -> None:
    people = _people("tutor.li", "tutor.chen", "trainee.zhang", "trainee.yang")
    zhang = people.get("trainee.zhang")
    cultivation = demo_cultivation("trainee.zhang")
    if cultivation is None or cultivation.status != "active":
        return
    if "tutor.li" not in people or "tutor.chen" not in people:
        return
    if MeetingSeries.objects.filter(organizer=people["tutor.li"], title=SERIES_TITLE).exists():
        return
    li, chen = people["tutor.li"], people["tutor.chen"]
    today = timezone.localdate()
    first = today - datetime.timedelta(weeks=8) + datetime.timedelta(days=1)
    trainees = [zhang] + ([people["trainee.yang"]] if "trainee.yang" in people else [])
    series = services.series_create(
        actor=li,
        institution=Institution.objects.get(code="emu"),
        title=SERIES_TITLE,
        time_zone="Asia/Shanghai",
        first_date=first,
        start_time=datetime.time(15, 0),
        duration_minutes=90,
        interval_weeks=2,
        until=first + datetime.timedelta(days=182),
        mode="hybrid",
        location="EMU State Key Laboratory of Oncology, seminar room 2",
        online_url="https://meeting.emu.example.edu.cn/hypoxia",
        description="Each student reports experimental and dissertation progress, current "
        "problems and next steps.",
        tutors=[chen],
        trainees=trainees,
    )
    held = list(series.meetings.filter(starts_at__lt=timezone.now()).order_by("starts_at"))
    wmu = Institution.objects.get(code="wmu")
    emu = Institution.objects.get(code="emu")
    for index, meeting in enumerate(held):
        meeting = _with_participants(meeting)
        if index < len(REPORTS):
            experimental, dissertation, problems, steps = REPORTS[index]
            report = services.report_submit(
                actor=zhang,
                meeting=meeting,
                experimental_progress=experimental,
                dissertation_progress=dissertation,
                problems=problems,
                next_steps=steps,
                files=[
                    SimpleUploadedFile(
                        f"progress-{index + 1}.pdf",
                        demo_pdf(f"Zhang Xiaoming - progress report {index + 1}: {experimental}"),
                        content_type="application/pdf",
                    )
                ],
                # Handed in the day before the meeting, as the trainee would have.
                submitted_at=meeting.starts_at - datetime.timedelta(days=1),
            )
            report.meeting = meeting
            services.comment_save(
                actor=li,
                report=report,
                body="Good progress; keep the passage numbers in the lab notebook.",
            )
            services.comment_save(
                actor=chen,
                report=report,
                body="For the thesis, state the hypothesis at the start of each chapter.",
            )
        entries = [
            {"person": li, "status": "present", "site": emu},
            {"person": chen, "status": "present" if index != 1 else "excused", "site": wmu},
            {"person": zhang, "status": "present", "site": emu},
        ]
        if len(trainees) > 1:
            entries.append({"person": trainees[1], "status": "absent", "site": None})
        services.attendance_record(actor=li, meeting=meeting, entries=entries)
    if len(held) >= 3:
        first_meeting, second, third = (_with_participants(m) for m in held[:3])
        repeat = services.action_create(
            actor=li,
            meeting=first_meeting,
            owner=zhang,
            title="Repeat the knock-down with fresh siRNA and new controls",
            due_date=timezone.localdate(second.starts_at),
        )
        services.action_close(
            actor=li,
            action=repeat,
            meeting=second,
            note="Three biological replicates, reproducible.",
        )
        services.action_create(
            actor=chen,
            meeting=second,
            owner=zhang,
            title="Draft the methods chapter",
            due_date=today + datetime.timedelta(weeks=3),
        )
        services.action_create(
            actor=li,
            meeting=third,
            owner=li,
            title="Send the animal imaging protocol to Prof. Chen",
            due_date=today - datetime.timedelta(days=5),
        )
    for weeks, kind, actor, channel, topic, outcome in (
        (
            10,
            "tutor_tutor",
            chen,
            "video",
            "Division of the thesis guidance",
            "Prof. Chen reads the thesis chapters; Prof. Li the experiments.",
        ),
        (
            3,
            "tutor_trainee",
            li,
            "in_person",
            "Irradiator schedule",
            "Booked the irradiator for the clonogenic assay.",
        ),
        (1, "tutor_trainee", chen, "video", "Thesis outline", "Outline agreed."),
    ):
        services_log.contact_log(
            actor=actor,
            cultivation=cultivation,
            kind=kind,
            date=today - datetime.timedelta(weeks=weeks),
            channel=channel,
            topic=topic,
            outcome=outcome,
        )
