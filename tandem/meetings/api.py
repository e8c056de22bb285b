"""The debriefings API: the same selectors, permissions and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.models import User
from tandem.accounts.selectors import person_list_visible_to
from tandem.core.api import ERRORS, LocalTime, Pagination
from tandem.core.lookups import IdResolver, resolve_one
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.institutions.selectors import institution_list_visible_to
from tandem.meetings import permissions, selectors, services, services_log, services_series
from tandem.meetings.models import ActionItem, Meeting, MeetingSeries, ProgressReport

router = Router(tags=["meetings"])


class MeetingsParticipantOut(Schema):
    user_id: int
    name: str
    role: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)


class MeetingsSeriesOut(Schema):
    id: int
    title: str
    institution_id: int
    organizer_id: int
    time_zone: str
    first_date: datetime.date
    start_time: LocalTime
    duration_minutes: int
    interval_weeks: int
    until: datetime.date
    mode: str
    location: str
    online_url: str
    description: str
    ended_at: datetime.datetime | None
    end_reason: str
    participants: list[MeetingsParticipantOut]

    @staticmethod
    def resolve_participants(obj: MeetingSeries) -> list:
        return obj.current_participants


class MeetingsSeriesIn(Schema):
    institution_id: int
    title: str
    time_zone: str = "Asia/Shanghai"
    first_date: datetime.date
    start_time: LocalTime
    until: datetime.date
    interval_weeks: int = 2
    duration_minutes: int = 90
    mode: str = "onsite"
    location: str = ""
    online_url: str = ""
    description: str = ""
    tutor_ids: list[int] = []
    trainee_ids: list[int]


class MeetingsSeriesPatchIn(Schema):
    """Only the fields sent change; the meetings ahead follow, past ones stay."""

    title: str | None = None
    description: str | None = None
    mode: str | None = None
    location: str | None = None
    online_url: str | None = None
    duration_minutes: int | None = None
    start_time: LocalTime | None = None
    time_zone: str | None = None
    until: datetime.date | None = None
    reason: str = ""


class MeetingsSeriesEndIn(Schema):
    after: datetime.date
    reason: str


class MeetingsMeetingOut(Schema):
    id: int
    series_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str
    notes: str
    title: str
    time_zone: str
    mode: str
    location: str
    online_url: str
    cancel_reason: str


class MeetingsActionOut(Schema):
    id: int
    series_id: int
    raised_in_id: int
    title: str
    owner_id: int
    due_date: datetime.date
    status: str
    closed_in_id: int | None
    closed_at: datetime.datetime | None
    close_note: str


class MeetingsMeetingDetailOut(MeetingsMeetingOut):
    agenda: list[MeetingsActionOut]


class MeetingsCommentOut(Schema):
    id: int
    tutor_id: int
    body: str
    updated_at: datetime.datetime


class MeetingsAttachmentOut(Schema):
    id: int
    name: str
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return reverse("meetings:attachment_download", args=[obj.report_id, obj.pk])


class MeetingsReportOut(Schema):
    id: int
    meeting_id: int
    trainee_id: int
    experimental_progress: str
    dissertation_progress: str
    problems: str
    next_steps: str
    submitted_at: datetime.datetime
    updated_at: datetime.datetime
    comments: list[MeetingsCommentOut]
    attachments: list[MeetingsAttachmentOut]

    @staticmethod
    def resolve_comments(obj: ProgressReport) -> list:
        return list(obj.comments.all())

    @staticmethod
    def resolve_attachments(obj: ProgressReport) -> list:
        return list(obj.attachments.all())


class MeetingsReportIn(Schema):
    experimental_progress: str
    dissertation_progress: str
    problems: str = ""
    next_steps: str


class MeetingsCommentIn(Schema):
    body: str


class MeetingsAttendanceEntryIn(Schema):
    person_id: int
    status: str
    site_id: int | None = None


class MeetingsAttendanceIn(Schema):
    entries: list[MeetingsAttendanceEntryIn]


class MeetingsAttendanceOut(Schema):
    person_id: int
    status: str
    site_id: int | None


class MeetingsActionIn(Schema):
    title: str
    owner_id: int
    due_date: datetime.date


class MeetingsCloseIn(Schema):
    note: str = ""
    meeting_id: int | None = None


class MeetingsContactIn(Schema):
    cultivation_id: int
    kind: str
    date: datetime.date
    channel: str
    topic: str
    outcome: str = ""


class MeetingsContactOut(Schema):
    id: int
    cultivation_id: int
    kind: str
    date: datetime.date
    channel: str
    topic: str
    outcome: str
    recorded_by_id: int


def _user(request: HttpRequest, user_id: int, field: str) -> User | None:
    # A person the caller cannot see is "Not found." like an id that names nobody: the
    # service's own messages, which name the person, are only for people the caller sees.
    return resolve_one(field, person_list_visible_to(request.user), user_id)


@router.get(
    "/series",
    response={200: list[MeetingsSeriesOut], **ERRORS},
    operation_id="meetings_series_list",
)
@paginate(Pagination)
def series_list(request: HttpRequest, q: str = "") -> Any:
    return selectors.series_list_for_page(request.user, search=q)


@router.post(
    "/series", response={201: MeetingsSeriesOut, **ERRORS}, operation_id="meetings_series_create"
)
def series_create(request: HttpRequest, payload: MeetingsSeriesIn) -> Any:
    if not permissions.can_create_series(request.user):
        raise PermissionDenied(_("Only tutors and coordinators schedule debriefings."))
    data = payload.dict()
    ids = IdResolver()
    institution = ids.one(
        "institution", institution_list_visible_to(request.user), data.pop("institution_id")
    )
    people = person_list_visible_to(request.user)
    tutors = ids.many("tutors", people, data.pop("tutor_ids"))
    trainees = ids.many("trainees", people, data.pop("trainee_ids"))
    ids.check()
    series = services.series_create(
        actor=request.user, institution=institution, tutors=tutors, trainees=trainees, **data
    )
    return Status(201, selectors.series_get_for_user_or_404(request.user, series.pk))


@router.get(
    "/series/{series_id}",
    response={200: MeetingsSeriesOut, **ERRORS},
    operation_id="meetings_series_get",
)
def series_get(request: HttpRequest, series_id: int) -> Any:
    return selectors.series_get_for_user_or_404(request.user, series_id)


def _editable_series(request: HttpRequest, series_id: int) -> MeetingSeries:
    series = selectors.series_get_for_user_or_404(request.user, series_id)
    if not permissions.can_edit_series(request.user, series):
        raise PermissionDenied(_("Only the organizer or a coordinator can change the series."))
    return series


@router.patch(
    "/series/{series_id}",
    response={200: MeetingsSeriesOut, **ERRORS},
    operation_id="meetings_series_update",
)
def series_update(request: HttpRequest, series_id: int, payload: MeetingsSeriesPatchIn) -> Any:
    series = _editable_series(request, series_id)
    services_series.series_update(
        actor=request.user, series=series, **payload.dict(exclude_unset=True)
    )
    return selectors.series_get_for_user_or_404(request.user, series.pk)


@router.post(
    "/series/{series_id}/end",
    response={200: MeetingsSeriesOut, **ERRORS},
    operation_id="meetings_series_end",
)
def series_end(request: HttpRequest, series_id: int, payload: MeetingsSeriesEndIn) -> Any:
    series = _editable_series(request, series_id)
    services_series.series_end(
        actor=request.user, series=series, after=payload.after, reason=payload.reason
    )
    return selectors.series_get_for_user_or_404(request.user, series.pk)


@router.delete(
    "/series/{series_id}/participants/{user_id}",
    response={204: None, **ERRORS},
    operation_id="meetings_participant_remove",
)
def participant_remove(request: HttpRequest, series_id: int, user_id: int) -> Any:
    """Take someone off the series: not invited from now on; their past stays."""
    series = selectors.series_get_for_user_or_404(request.user, series_id)
    if not permissions.can_remove_participant(request.user, series):
        raise PermissionDenied(
            _("Only the tutors of the series or a coordinator can take people off it.")
        )
    participant = next((p for p in series.current_participants if p.user_id == user_id), None)
    if participant is None and user_id != series.organizer_id:
        raise Http404
    person = participant.user if participant is not None else series.organizer
    services_series.participant_remove(actor=request.user, series=series, person=person)
    return Status(204, None)


@router.get(
    "/series/{series_id}/meetings",
    response={200: list[MeetingsMeetingOut], **ERRORS},
    operation_id="meetings_meeting_list",
)
@paginate(Pagination)
def meeting_list(request: HttpRequest, series_id: int) -> Any:
    series = selectors.series_get_for_user_or_404(request.user, series_id)
    return selectors.meeting_list_for(series)


def _detail(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    agenda = selectors.actions_visible_in_meeting(
        request.user, selectors.agenda_actions(meeting), meeting.series, can_manage
    )
    fields = MeetingsMeetingOut.model_fields
    return {**{f: getattr(meeting, f) for f in fields}, "agenda": agenda}


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingsMeetingDetailOut, **ERRORS},
    operation_id="meetings_meeting_get",
)
def meeting_get(request: HttpRequest, meeting_id: int) -> Any:
    return _detail(request, selectors.meeting_get_for_user_or_404(request.user, meeting_id))


@router.get(
    "/meetings/{meeting_id}/reports",
    response={200: list[MeetingsReportOut], **ERRORS},
    operation_id="meetings_report_list",
)
def report_list(request: HttpRequest, meeting_id: int) -> Any:
    meeting = selectors.meeting_get_for_user_or_404(request.user, meeting_id)
    return list(selectors.report_list_for_meeting(request.user, meeting))


@router.put(
    "/meetings/{meeting_id}/report",
    response={200: MeetingsReportOut, **ERRORS},
    operation_id="meetings_report_submit",
)
def report_submit(request: HttpRequest, meeting_id: int, payload: MeetingsReportIn) -> Any:
    meeting = selectors.meeting_get_for_user_or_404(request.user, meeting_id)
    if not permissions.can_submit_report(request.user, meeting):
        raise PermissionDenied(_("Only a trainee invited to this meeting can report for it."))
    report = services.report_submit(actor=request.user, meeting=meeting, **payload.dict())
    return selectors.report_get_for_user_or_404(request.user, report.pk)


@router.put(
    "/reports/{report_id}/comment",
    response={200: MeetingsCommentOut, **ERRORS},
    operation_id="meetings_comment_save",
)
def comment_save(request: HttpRequest, report_id: int, payload: MeetingsCommentIn) -> Any:
    report = selectors.report_get_for_user_or_404(request.user, report_id)
    report.meeting = selectors.meeting_get_for_user_or_404(request.user, report.meeting_id)
    if not permissions.can_comment_report(
        request.user, report, selectors.pair_trainee_ids(request.user)
    ):
        raise PermissionDenied(_("Only the trainee's tutors can comment on this report."))
    return services.comment_save(actor=request.user, report=report, body=payload.body)


def _managed_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get_for_user_or_404(request.user, meeting_id)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can do this."))
    return meeting


@router.put(
    "/meetings/{meeting_id}/attendance",
    response={200: list[MeetingsAttendanceOut], **ERRORS},
    operation_id="meetings_attendance_record",
)
def attendance_record(request: HttpRequest, meeting_id: int, payload: MeetingsAttendanceIn) -> Any:
    meeting = _managed_meeting(request, meeting_id)
    entries = [
        {"person": e.person_id, "status": e.status, "site": e.site_id} for e in payload.entries
    ]
    return services.attendance_record(actor=request.user, meeting=meeting, entries=entries)


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: MeetingsActionOut, **ERRORS},
    operation_id="meetings_action_create",
)
def action_create(request: HttpRequest, meeting_id: int, payload: MeetingsActionIn) -> Any:
    meeting = _managed_meeting(request, meeting_id)
    action = services.action_create(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        owner=_user(request, payload.owner_id, "owner"),
        due_date=payload.due_date,
    )
    return Status(201, action)


@router.post(
    "/actions/{action_id}/close",
    response={200: MeetingsActionOut, **ERRORS},
    operation_id="meetings_action_close",
)
def action_close(request: HttpRequest, action_id: int, payload: MeetingsCloseIn) -> Any:
    action: ActionItem = selectors.action_get_for_user_or_404(request.user, action_id)
    if not permissions.can_close_action(request.user, action):
        raise PermissionDenied(_("Only the owner, the tutors or a coordinator close actions."))
    meeting = None
    if payload.meeting_id is not None:
        meeting = selectors.meeting_get_for_user_or_404(request.user, payload.meeting_id)
    return services.action_close(
        actor=request.user, action=action, note=payload.note, meeting=meeting
    )


@router.get(
    "/contacts",
    response={200: list[MeetingsContactOut], **ERRORS},
    operation_id="meetings_contact_list",
)
@paginate(Pagination)
def contact_list(request: HttpRequest, kind: str = "", cultivation_id: int | None = None) -> Any:
    return selectors.contact_list_for_page(request.user, kind=kind, cultivation_id=cultivation_id)


@router.post(
    "/contacts",
    response={201: MeetingsContactOut, **ERRORS},
    operation_id="meetings_contact_create",
)
def contact_create(request: HttpRequest, payload: MeetingsContactIn) -> Any:
    data = payload.dict()
    cultivation = cultivation_get_for_user_or_404(request.user, data.pop("cultivation_id"))
    return Status(
        201, services_log.contact_log(actor=request.user, cultivation=cultivation, **data)
    )
