"""Test data for debriefings, built on the fixed cast.

`debriefing(cast)`: cast.trainee's active joint cultivation (tutor_b experimental at B, tutor_a
theoretical at A) and a biweekly series organized by tutor_a at A with the trainee invited;
tutor_b, the second tutor, is not invited but follows the trainee's reports.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tandem.accounts import services_feed
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.tests.factories import cultivation_in, joint_trainee
from tandem.meetings import services, services_log
from tandem.meetings.models import (
    ActionItem,
    Meeting,
    MeetingSeries,
    MentoringContact,
    ProgressReport,
)


@dataclass
class Debriefing:
    cultivation: JointCultivation
    series: MeetingSeries
    past: Meeting
    upcoming: Meeting
    report: ProgressReport
    action: ActionItem
    contact: MentoringContact
    feed_token: str  # the trainee's calendar feed, debriefings only


def make_series(
    cast: Any,
    *,
    trainees: list | None = None,
    first_date: datetime.date | None = None,
    until_days: int = 84,
    **overrides: Any,
) -> MeetingSeries:
    # Every other week from 25 days ago: 11 days ago and in 3 days, never a meeting in progress
    # whatever the hour the tests run at.
    first = first_date or timezone.localdate() - datetime.timedelta(days=25)
    arguments = {
        "actor": cast.tutor_a,
        "institution": cast.inst_a,
        "title": "Oncology debriefing",
        "time_zone": "Asia/Shanghai",
        "first_date": first,
        "start_time": datetime.time(14, 0),
        "until": first + datetime.timedelta(days=until_days),
        "interval_weeks": 2,
        "mode": "onsite",
        "location": "Building 3, room 301",
        "trainees": trainees if trainees is not None else [cast.trainee],
    }
    arguments.update(overrides)
    return services.series_create(**arguments)


def report_for(meeting: Meeting, trainee: Any, **overrides: Any) -> ProgressReport:
    meeting.series = MeetingSeries.objects.prefetch_related("participants").get(
        pk=meeting.series_id
    )
    data = {
        "experimental_progress": "Western blots repeated; hypoxia model stable.",
        "dissertation_progress": "Chapter 2 drafted.",
        "problems": "Antibody batch varies.",
        "next_steps": "Order a new antibody lot.",
    }
    data.update(overrides)
    return services.report_submit(actor=trainee, meeting=meeting, **data)


def debriefing(cast: Any) -> Debriefing:
    """Everything the authorization matrix needs, built once per cast."""
    cached = getattr(cast, "_debriefing", None)
    if cached is not None:
        return cached
    cultivation = cultivation_in(cast, "active")
    series = make_series(cast)
    now = timezone.now()
    past = series.meetings.filter(starts_at__lt=now).order_by("-starts_at").first()
    upcoming = series.meetings.filter(starts_at__gt=now).order_by("starts_at").first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = report_for(
        past,
        cast.trainee,
        files=[SimpleUploadedFile("gel.txt", b"lane 1: control", content_type="text/plain")],
    )
    past.series = MeetingSeries.objects.prefetch_related("participants").get(pk=series.pk)
    action = services.action_create(
        actor=cast.tutor_a,
        meeting=past,
        title="Validate the antibody",
        owner=cast.trainee,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    contact = services_log.contact_log(
        actor=cast.tutor_a,
        cultivation=cultivation,
        kind="tutor_tutor",
        date=timezone.localdate(),
        channel="video",
        topic="Plan for the mid-term review",
    )
    _feed, feed_token = services_feed.calendar_feed_rotate(actor=cast.trainee, scopes=["meetings"])
    cast._debriefing = Debriefing(
        cultivation, series, past, upcoming, report, action, contact, feed_token
    )
    return cast._debriefing


__all__ = ["debriefing", "joint_trainee", "make_series", "report_for"]
