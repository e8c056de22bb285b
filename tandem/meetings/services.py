"""Every write about debriefings: series, meetings, reports, comments, attendance and action
items. Changing and ending a series and taking people off it are in `services_series.py`; the
mentoring log in `services_log.py`.

Each service checks who may act, validates the whole input before writing, and records one
audit event in its own transaction.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Role, User
from tandem.accounts.selectors import (
    person_get_visible_or_none,
    person_list_with_role_in_reach,
)
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.core.lookups import not_found_message
from tandem.institutions.models import Institution
from tandem.meetings import permissions
from tandem.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingMode,
    MeetingSeries,
    MeetingStatus,
    ParticipantRole,
    ProgressReport,
    ReportAttachment,
    ReportComment,
    SeriesParticipant,
)
from tandem.meetings.recurrence import (
    MAX_SPAN_DAYS,
    meeting_details,
    series_occurrences,
    time_zone_names,
)
from tandem.meetings.selectors import open_cultivation_of, pair_trainee_ids

SERIES_FIELDS = (
    "title",
    "time_zone",
    "first_date",
    "start_time",
    "duration_minutes",
    "interval_weeks",
    "until",
    "mode",
    "location",
    "online_url",
    "description",
)
REPORT_FIELDS = ("experimental_progress", "dissertation_progress", "problems", "next_steps")
MAX_REPORT_FILES = 5


def _check_invitees(actor: User, people: list[User], role: str, field: str) -> None:
    """Invite only people of the actor's own or partner institutions, in the right role."""
    wanted = Role.TUTOR if role == ParticipantRole.TUTOR else Role.TRAINEE
    # The same selector as the form's choice list, so what is offered is what is accepted.
    allowed = set(
        person_list_with_role_in_reach(actor, wanted)
        .filter(pk__in=[person.pk for person in people])
        .values_list("pk", flat=True)
    )
    for person in people:
        if person.pk not in allowed:
            if person_get_visible_or_none(actor, person.pk) is None:
                # Never the name of someone the actor cannot see (issue 18).
                raise field_error(field, not_found_message())
            if role == ParticipantRole.TUTOR:
                message = _("%(name)s is not a tutor you can invite.")
            else:
                message = _("%(name)s is not a trainee you can invite.")
            raise field_error(field, message % {"name": person})


def series_validate(series: MeetingSeries, extra: dict[str, list[str]] | None = None) -> None:
    """Every rule a series must follow, all errors at once (creating and changing it)."""
    errors: dict[str, list[str]] = dict(extra or {})
    if series.time_zone not in time_zone_names():
        errors["time_zone"] = [_("Choose a time zone from the list, e.g. Asia/Shanghai.")]
    if getattr(series.start_time, "tzinfo", None) is not None:
        errors["start_time"] = [
            _(
                "Give the local time without a time zone offset; the "
                "series' time zone says where it is."
            )
        ]
    first_date, until = series.first_date, series.until
    if first_date and until and until < first_date:
        errors.setdefault("until", []).append(_("The end date is before the first meeting."))
    elif first_date and until and (until - first_date).days > MAX_SPAN_DAYS:
        errors.setdefault("until", []).append(_("A series runs for at most two years."))
    if series.mode in (MeetingMode.ONSITE, MeetingMode.HYBRID) and not series.location:
        errors["location"] = [_("Say where the meeting takes place.")]
    if series.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not series.online_url:
        errors["online_url"] = [_("Give the link of the online meeting.")]
    try:
        # The period constraint is checked above, with a message naming the field.
        series.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def series_create(
    *,
    actor: User,
    institution: Institution,
    title: str,
    time_zone: str,
    first_date: datetime.date,
    start_time: datetime.time,
    until: datetime.date,
    interval_weeks: int = 2,
    duration_minutes: int = 90,
    mode: str = MeetingMode.ONSITE,
    location: str = "",
    online_url: str = "",
    description: str = "",
    tutors: Sequence[User] = (),
    trainees: Sequence[User] = (),
) -> MeetingSeries:
    """A tutor or coordinator of `institution` schedules a recurring debriefing series and
    invites trainees and tutors; its meetings are created at once."""
    if not permissions.can_organize_series_at(actor, institution):
        raise PermissionDenied(
            _("Only a tutor or coordinator of the institution can schedule a series there.")
        )
    series = MeetingSeries(
        institution=institution,
        organizer=actor,
        title=(title or "").strip(),
        time_zone=time_zone,
        first_date=first_date,
        start_time=start_time,
        until=until,
        interval_weeks=interval_weeks,
        duration_minutes=duration_minutes,
        mode=mode,
        location=(location or "").strip(),
        online_url=(online_url or "").strip(),
        description=description or "",
    )
    series_validate(series)
    tutor_list = [t for t in dict.fromkeys(tutors) if t.pk != actor.pk]
    trainee_list = list(dict.fromkeys(trainees))
    if not trainee_list:
        raise field_error("trainees", _("Invite at least one trainee."))
    _check_invitees(actor, tutor_list, ParticipantRole.TUTOR, "tutors")
    _check_invitees(actor, trainee_list, ParticipantRole.TRAINEE, "trainees")
    series.save()
    for tutor in tutor_list:
        SeriesParticipant.objects.create(series=series, user=tutor, role=ParticipantRole.TUTOR)
    for trainee in trainee_list:
        SeriesParticipant.objects.create(
            series=series,
            user=trainee,
            role=ParticipantRole.TRAINEE,
            cultivation=open_cultivation_of(trainee),
        )
    details = meeting_details(series)
    Meeting.objects.bulk_create(
        [
            Meeting(series=series, starts_at=start, ends_at=end, **details)
            for start, end in series_occurrences(series)
        ]
    )
    state = snapshot(series, SERIES_FIELDS)
    state["start_time"] = series.start_time.strftime("%H:%M")
    state["tutors"] = [str(t) for t in tutor_list]
    state["trainees"] = [str(t) for t in trainee_list]
    audit_record(
        actor=actor, action="meeting_series.create", target=series, changes=diff({}, state)
    )
    return series


@transaction.atomic
def participant_add(
    *, actor: User, series: MeetingSeries, person: User, role: str
) -> SeriesParticipant:
    """Invite someone to every meeting from now on; someone taken off the series earlier is
    invited again."""
    if not permissions.can_manage_series(actor, series):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can invite."))
    if series.is_ended:
        raise field_error("person", _("This series has ended."))
    if role not in ParticipantRole.values:
        raise field_error("role", _("Choose tutor or trainee."))
    participant = series.participants.filter(user=person).first()
    if (participant is not None and participant.removed_at is None) or (
        person.pk == series.organizer_id
    ):
        raise field_error("person", _("This person is already invited."))
    _check_invitees(actor, [person], role, "person")
    if participant is None:
        participant = SeriesParticipant(series=series, user=person)
    participant.role = role
    participant.removed_at = None
    participant.cultivation = (
        open_cultivation_of(person) if role == ParticipantRole.TRAINEE else None
    )
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor,
        action="meeting_series.invite",
        target=series,
        changes={"participant": [None, f"{person} ({role})"]},
    )
    return participant


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can cancel."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise field_error("status", _("Only a scheduled meeting can be cancelled."))
    if not (reason or "").strip():
        raise field_error("reason", _("Say why the meeting is cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()
    # Calendar programs take the cancellation only with a higher SEQUENCE than they have.
    meeting.sequence = max(meeting.sequence, meeting.series.sequence) + 1
    meeting.full_clean()
    meeting.save(update_fields=["status", "cancel_reason", "sequence"])
    audit_record(
        actor=actor,
        action="meeting.cancel",
        target=meeting,
        changes={"status": ["scheduled", "cancelled"]},
        reason=reason.strip(),
    )
    return meeting


@transaction.atomic
def meeting_record_notes(*, actor: User, meeting: Meeting, notes: str) -> Meeting:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can do this."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise field_error("notes", _("The meeting was cancelled."))
    before = snapshot(meeting, ("notes",))
    meeting.notes = notes or ""
    meeting.full_clean()
    meeting.save(update_fields=["notes"])
    audit_record(
        actor=actor,
        action="meeting.notes",
        target=meeting,
        changes=diff(before, snapshot(meeting, ("notes",))),
    )
    return meeting


@transaction.atomic
def report_submit(
    *,
    actor: User,
    meeting: Meeting,
    experimental_progress: str,
    dissertation_progress: str,
    next_steps: str,
    problems: str = "",
    files: Sequence[UploadedFile] = (),
    submitted_at: datetime.datetime | None = None,
) -> ProgressReport:
    """The trainee submits, or revises, their report for a meeting.

    `submitted_at` is for a report written into the system after the fact (the demo's past
    meetings): when the trainee handed it in, not in the future, for a new report only. Pages
    and the API never pass it (decision 094)."""
    if not permissions.can_submit_report(actor, meeting):
        raise PermissionDenied(_("Only a trainee invited to this meeting can report for it."))
    now = timezone.now()
    if submitted_at is not None and submitted_at > now:
        raise field_error("submitted_at", _("A report cannot be submitted in the future."))
    report = ProgressReport.objects.filter(meeting=meeting, trainee=actor).first()
    created = report is None
    if report is None:
        report = ProgressReport(meeting=meeting, trainee=actor)
    before = {} if created else snapshot(report, REPORT_FIELDS)
    report.experimental_progress = (experimental_progress or "").strip()
    report.dissertation_progress = (dissertation_progress or "").strip()
    report.problems = (problems or "").strip()
    report.next_steps = (next_steps or "").strip()
    if submitted_at is not None and not created:
        raise field_error(
            "submitted_at", _("Only a new report can be given the time it was submitted.")
        )
    report.updated_at = submitted_at or now
    if created:
        report.submitted_at = report.updated_at
    report.full_clean(exclude=["meeting", "trainee"])
    existing = 0 if created else report.attachments.count()
    if existing + len(files) > MAX_REPORT_FILES:
        raise field_error("files", _("At most %(n)d files per report.") % {"n": MAX_REPORT_FILES})
    for upload in files:
        if upload.size and upload.size > settings.MAX_ATTACHMENT_BYTES:
            raise field_error("files", _("%(name)s is too large.") % {"name": upload.name})
    report.save()
    for upload in files:
        name = (upload.name or "file")[:200]
        ReportAttachment.objects.create(report=report, file=upload, name=name)
    changes = diff(before, snapshot(report, REPORT_FIELDS))
    if files:
        changes["files"] = [None, [f.name for f in files]]
    audit_record(
        actor=actor,
        action="progress_report.submit" if created else "progress_report.revise",
        target=report,
        changes=changes,
    )
    return report


@transaction.atomic
def comment_save(*, actor: User, report: ProgressReport, body: str) -> ReportComment:
    """A tutor writes, or rewrites, their own comment on a report."""
    if not permissions.can_comment_report(actor, report, pair_trainee_ids(actor)):
        raise PermissionDenied(_("Only the trainee's tutors can comment on this report."))
    comment = ReportComment.objects.filter(report=report, tutor=actor).first()
    created = comment is None
    if comment is None:
        comment = ReportComment(report=report, tutor=actor)
    before = {} if created else snapshot(comment, ("body",))
    comment.body = (body or "").strip()
    comment.updated_at = timezone.now()
    comment.full_clean(exclude=["report", "tutor"])
    comment.save()
    audit_record(
        actor=actor,
        action="report_comment.save",
        target=comment,
        changes=diff(before, snapshot(comment, ("body",))),
    )
    notification_send(
        users=[report.trainee_id],
        kind="report_commented",
        params={"tutor": str(actor), "meeting": str(report.meeting)},
        url=reverse("meetings:meeting_detail", args=[report.meeting_id]),
    )
    return comment


@transaction.atomic
def attendance_record(
    *, actor: User, meeting: Meeting, entries: Sequence[dict[str, Any]]
) -> list[Attendance]:
    """Record who attended (present, excused, absent) and from which site; the meeting is
    then held. Entries: {"person": User|id, "status": str, "site": Institution|id|None}."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied(
            _("Only the tutors of the series or a coordinator record attendance.")
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise field_error("status", _("The meeting was cancelled."))
    if meeting.starts_at > timezone.now() + datetime.timedelta(hours=12):
        raise field_error("status", _("Attendance is recorded on the day of the meeting."))
    invited = {p.user_id for p in meeting.series.participants.all() if p.is_invited_to(meeting)} | {
        meeting.series.organizer_id
    }
    rows = []
    for index, entry in enumerate(entries):
        person_id = getattr(entry.get("person"), "pk", entry.get("person"))
        site = entry.get("site")
        site_id = getattr(site, "pk", site) or None
        if person_id not in invited:
            raise field_error(f"entries.{index}.person", _("This person is not invited."))
        if entry.get("status") not in AttendanceStatus.values:
            raise field_error(f"entries.{index}.status", _("Choose present, excused or absent."))
        rows.append((person_id, entry["status"], site_id))
    before = {str(a.person_id): a.status for a in Attendance.objects.filter(meeting=meeting)}
    saved = []
    for person_id, status, site_id in rows:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            person_id=person_id,
            defaults={
                "status": status,
                "site_id": site_id,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        saved.append(row)
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    after = {str(person_id): status for person_id, status, _site in rows}
    audit_record(
        actor=actor,
        action="meeting.attendance",
        target=meeting,
        changes=diff(before, {**before, **after}),
    )
    return saved


@transaction.atomic
def action_create(
    *, actor: User, meeting: Meeting, title: str, owner: User, due_date: datetime.date
) -> ActionItem:
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator add actions."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise field_error("title", _("The meeting was cancelled."))
    series = meeting.series
    invited = {p.user_id for p in series.current_participants} | {series.organizer_id}
    if owner is None or owner.pk not in invited:
        raise field_error("owner", _("The owner must be invited to the series."))
    action = ActionItem(
        series=series,
        raised_in=meeting,
        title=(title or "").strip(),
        owner=owner,
        due_date=due_date,
        created_by=actor,
        cultivation=open_cultivation_of(owner),
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="action_item.create",
        target=action,
        changes=diff({}, snapshot(action, ("title", "owner", "due_date"))),
    )
    if owner.pk != actor.pk:
        notification_send(
            users=[owner.pk],
            kind="action_assigned",
            params={"title": action.title, "due": due_date.isoformat()},
            url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        )
    return action


@transaction.atomic
def action_close(
    *, actor: User, action: ActionItem, note: str = "", meeting: Meeting | None = None
) -> ActionItem:
    """Close an action item, in a meeting of its series (the minutes show it) or outside."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    action.series = MeetingSeries.objects.prefetch_related("participants").get(pk=action.series_id)
    if not permissions.can_close_action(actor, action):
        if action.status != ActionStatus.OPEN:
            raise field_error("status", _("This action item is already closed."))
        raise PermissionDenied(_("Only the owner, the tutors or a coordinator close actions."))
    if meeting is not None and meeting.series_id != action.series_id:
        raise field_error("meeting", _("The meeting belongs to another series."))
    action.status = ActionStatus.CLOSED
    action.closed_at = timezone.now()
    action.closed_by = actor
    action.closed_in = meeting
    action.close_note = (note or "").strip()
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="action_item.close",
        target=action,
        changes={"status": ["open", "closed"]},
        reason=action.close_note,
    )
    return action
