"""Feedback items and seminars of the demo consortium, built through the services.

On top of the cultivation demo: Zhang (a joint trainee) has raised items in every state —
open, acknowledged, in progress, resolved and waiting for Zhang, confirmed closed, and one
reopened — some anonymously; a seminar of Zhang's agreement was held last month (minutes,
attendance, two problems raised there) and the next one is in two weeks, its agenda headed by
the state of those items. Skipped when Zhang's active cultivation is absent or already done.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.cultivation.demo import demo_cultivation
from tandem.feedback import services
from tandem.feedback.models import AttendanceStatus, FeedbackItem, Seminar

SEMINAR_TITLE = "Joint trainees' seminar"


def _handler(item: FeedbackItem) -> Any:
    membership = (
        Membership.objects.filter(
            institution_id=item.institution_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else User.objects.get(username="admin")


def load_demo() -> None:
    cultivation = demo_cultivation("trainee.zhang")
    if cultivation is None or cultivation.status != "active":
        return
    if Seminar.objects.filter(
        agreement=cultivation.agreement, title__startswith=SEMINAR_TITLE
    ).exists():
        return
    zhang = cultivation.trainee
    organizer = (
        Membership.objects.filter(
            institution_id=cultivation.home_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if organizer is None:
        return
    coordinator = organizer.user
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def raise_item(category: str, title: str, text: str, anonymous: bool = False) -> FeedbackItem:
        return services.item_raise(
            actor=zhang,
            cultivation=cultivation,
            category=category,
            title=title,
            description=text,
            anonymous=anonymous,
        )

    raise_item(
        "resources",
        "Cell culture hood booked out for weeks",
        "The only class II hood on our floor is booked by another group every afternoon.",
    )
    acknowledged = raise_item(
        "teaching",
        "Statistics course clashes with lab rotation",
        "The required biostatistics course meets when I am at the host laboratory.",
    )
    services.item_acknowledge(actor=_handler(acknowledged), item=acknowledged)
    in_progress = raise_item(
        "funds",
        "Reimbursement of conference travel delayed",
        "My travel to the radiation oncology congress has not been reimbursed after two months.",
    )
    services.item_acknowledge(actor=_handler(in_progress), item=in_progress)
    services.item_start(actor=_handler(in_progress), item=in_progress)
    resolved = raise_item(
        "housing",
        "No hot water in the guest dormitory",
        "Building 3 of the guest dormitory has had no hot water for a week.",
        anonymous=True,
    )
    services.item_acknowledge(actor=_handler(resolved), item=resolved)
    services.item_resolve(
        actor=_handler(resolved),
        item=resolved,
        resolution="The boiler was repaired on Monday; the estate office checks it weekly.",
    )
    closed = raise_item(
        "other",
        "Library access card not working at the host",
        "My card does not open the host university's library gates.",
    )
    services.item_acknowledge(actor=_handler(closed), item=closed)
    services.item_resolve(
        actor=_handler(closed), item=closed, resolution="The card was registered at the host."
    )
    services.item_confirm(actor=zhang, item=closed)
    reopened = raise_item(
        "health",
        "No appointment with a counsellor in four weeks",
        "I asked for a counselling appointment at the host and have not been given one.",
        anonymous=True,
    )
    services.item_acknowledge(actor=_handler(reopened), item=reopened)
    services.item_resolve(
        actor=_handler(reopened), item=reopened, resolution="An appointment was offered."
    )
    services.item_reopen(
        actor=zhang, item=reopened, reason="The appointment offered is in six weeks' time."
    )

    held = services.seminar_create(
        actor=coordinator,
        agreement=cultivation.agreement,
        title=f"{SEMINAR_TITLE} — autumn",
        starts_at=now - datetime.timedelta(days=30),
        duration_minutes=120,
        place="WMU Graduate School, room 301",
        online_url="https://meeting.wmu.example.edu.cn/joint-seminar",
        agenda="1. Progress of each site\n2. Living conditions at the host\n3. Questions",
    )
    if not held.invitations.filter(person=zhang).exists():
        services.seminar_invite(
            actor=coordinator, seminar=held, person=zhang, site=cultivation.host
        )
    invitations = {i.person_id: i.pk for i in held.invitations.all()}
    services.seminar_record_attendance(
        actor=coordinator,
        seminar=held,
        attendance=dict.fromkeys(invitations.values(), AttendanceStatus.PRESENT),
    )
    services.seminar_raise_item(
        actor=zhang,
        seminar=held,
        category="resources",
        title="Shared freezer full",
        description="The −80 °C freezer shared by the joint trainees has no free rack.",
    )
    services.seminar_raise_item(
        actor=zhang,
        seminar=held,
        category="tutoring",
        title="Few meetings with the home tutor",
        description="Joint trainees at the host meet their home tutor less than once a term.",
        anonymous=True,
    )
    services.seminar_record_minutes(
        actor=coordinator,
        seminar=held,
        minutes="Both sites reported. Two problems were raised and sent as feedback items.",
    )
    services.seminar_create(
        actor=coordinator,
        agreement=cultivation.agreement,
        title=f"{SEMINAR_TITLE} — winter",
        starts_at=now + datetime.timedelta(days=14),
        duration_minutes=120,
        online_url="https://meeting.wmu.example.edu.cn/joint-seminar",
        agenda="1. The items raised at the autumn seminar\n2. Thesis timelines",
    )
