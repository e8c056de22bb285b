"""Changing a debriefing series as a whole: its schedule and place, its end, and who takes part.

Meetings that have begun never change (their reports, attendance and minutes describe what took
place). Changes reach the scheduled meetings still ahead; moving the end date earlier cancels the
meetings after it (they stay, shown as cancelled, with whatever was already reported for them),
moving it later brings those back and adds meetings on the same rhythm. Every change raises the
series' iCalendar SEQUENCE so that calendar programs replace what they have.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.meetings import permissions
from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus, SeriesParticipant
from tandem.meetings.recurrence import (
    MEETING_DETAILS,
    meeting_details,
    occurrence_dates,
    series_occurrence,
    series_today,
    slot_date,
)
from tandem.meetings.services import series_validate

EDITABLE_FIELDS = (
    "title",
    "description",
    "mode",
    "location",
    "online_url",
    "duration_minutes",
    "start_time",
    "time_zone",
    "until",
)
# The fields of a meeting a change of the series may rewrite.
RESCHEDULED_FIELDS = (
    "starts_at",
    "ends_at",
    "status",
    "cancel_reason",
    "cancelled_with_series",
    "sequence",
    *MEETING_DETAILS,
)


def _locked(series: MeetingSeries) -> MeetingSeries:
    return (
        MeetingSeries.objects.select_for_update().prefetch_related("participants").get(pk=series.pk)
    )


def _state(series: MeetingSeries) -> dict[str, Any]:
    state = snapshot(series, EDITABLE_FIELDS)
    state["start_time"] = series.start_time.strftime("%H:%M") if series.start_time else None
    return state


def _next_sequence(series: MeetingSeries, meetings: Iterable[Meeting]) -> int:
    """Higher than anything a calendar program has seen of the series or its meetings."""
    return max([series.sequence, *(m.sequence for m in meetings)]) + 1


def _notify(users: Iterable[int], kind: str, series: MeetingSeries, **params: Any) -> None:
    """One notification per person, in their language, with a link to the series."""
    notification_send(
        users=users,
        kind=kind,
        params={"series": series.title, **params},
        url=reverse("meetings:series_detail", args=[series.pk]),
    )


def _everyone_but(series: MeetingSeries, actor: User) -> list[int]:
    people = {series.organizer_id} | {p.user_id for p in series.current_participants}
    return sorted(people - {actor.pk})


def _reschedule(
    series: MeetingSeries, by_day: dict[datetime.date, Meeting], now: datetime.datetime, reason: str
) -> dict[str, list[str]]:
    """Bring the meetings still ahead in line with the series; never touch one that began."""
    details = meeting_details(series)
    changed: list[Meeting] = []
    summary: dict[str, list[str]] = {
        "rescheduled": [],
        "cancelled": [],
        "restored": [],
        "added": [],
    }
    for day, meeting in sorted(by_day.items()):
        if meeting.starts_at <= now:
            continue
        restoring = (
            meeting.status == MeetingStatus.CANCELLED
            and meeting.cancelled_with_series
            and day <= series.until
        )
        if meeting.status == MeetingStatus.SCHEDULED and day > series.until:
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancelled_with_series = True
            meeting.cancel_reason = reason
            summary["cancelled"].append(day.isoformat())
        elif meeting.status == MeetingStatus.SCHEDULED or restoring:
            start, end = series_occurrence(series, day)
            wanted = {"starts_at": start, "ends_at": end, **details}
            if not restoring and all(getattr(meeting, f) == v for f, v in wanted.items()):
                continue
            for field, value in wanted.items():
                setattr(meeting, field, value)
            if restoring:
                meeting.status = MeetingStatus.SCHEDULED
                meeting.cancelled_with_series = False
                meeting.cancel_reason = ""
            summary["restored" if restoring else "rescheduled"].append(day.isoformat())
        else:
            continue
        meeting.sequence = series.sequence
        changed.append(meeting)
    Meeting.objects.bulk_update(changed, RESCHEDULED_FIELDS)
    new = []
    for day in occurrence_dates(
        first_date=series.first_date, interval_weeks=series.interval_weeks, until=series.until
    ):
        if day in by_day:
            continue
        start, end = series_occurrence(series, day)
        if start > now:
            new.append(
                Meeting(
                    series=series, starts_at=start, ends_at=end, sequence=series.sequence, **details
                )
            )
            summary["added"].append(day.isoformat())
    Meeting.objects.bulk_create(new)
    return {key: value for key, value in summary.items() if value}


@transaction.atomic
def series_update(
    *,
    actor: User,
    series: MeetingSeries,
    title: str | None = None,
    description: str | None = None,
    mode: str | None = None,
    location: str | None = None,
    online_url: str | None = None,
    duration_minutes: int | None = None,
    start_time: datetime.time | None = None,
    time_zone: str | None = None,
    until: datetime.date | None = None,
    reason: str = "",
) -> MeetingSeries:
    """The organizer or a coordinator changes a series (None leaves a field as it is). The
    scheduled meetings ahead follow; past ones keep their time, place and title."""
    series = _locked(series)
    if not permissions.can_edit_series(actor, series):
        raise PermissionDenied(_("Only the organizer or a coordinator can change the series."))
    if series.is_ended:
        raise ValidationError(_("This series has ended; schedule a new one."))
    reason = (reason or "").strip()
    before = _state(series)
    old_until = series.until
    today = series_today(series)
    meetings = list(Meeting.objects.select_for_update().filter(series=series))
    by_day = {slot_date(m, series): m for m in meetings}
    values: dict[str, Any] = {
        "title": title,
        "description": description,
        "mode": mode,
        "location": location,
        "online_url": online_url,
        "duration_minutes": duration_minutes,
        "start_time": start_time,
        "time_zone": time_zone,
        "until": until,
    }
    for field, value in values.items():
        if value is not None:
            setattr(series, field, value.strip() if isinstance(value, str) else value)
    extra: dict[str, list[str]] = {}
    if series.until and series.until < old_until and series.until < today:
        extra["until"] = [
            _("The end date cannot move before today: meetings that took place stay as they were.")
        ]
    series_validate(series, extra)
    changes = diff(before, _state(series))
    if not changes:
        return series
    now = timezone.now()
    series.sequence = _next_sequence(series, meetings)
    series.updated_at = now
    series.save()
    summary = _reschedule(series, by_day, now, reason)
    if summary:
        changes["meetings"] = [None, summary]
    audit_record(
        actor=actor, action="meeting_series.update", target=series, changes=changes, reason=reason
    )
    _notify(_everyone_but(series, actor), "series_changed", series)
    return series


@transaction.atomic
def series_end(
    *, actor: User, series: MeetingSeries, after: datetime.date, reason: str
) -> MeetingSeries:
    """No more meetings after `after`: the scheduled meetings after it are cancelled (they stay,
    shown as cancelled) and the series is marked ended."""
    series = _locked(series)
    if not permissions.can_edit_series(actor, series):
        raise PermissionDenied(_("Only the organizer or a coordinator can end the series."))
    if series.is_ended:
        raise ValidationError(_("This series has already ended."))
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the series ends.")]
    if after is None or after < series_today(series):
        errors["after"] = [_("Meetings that took place stay: choose today or a later date.")]
    if errors:
        raise ValidationError(errors)
    return end_locked_series(actor=actor, series=series, after=after, reason=reason)


def end_locked_series(
    *, actor: User, series: MeetingSeries, after: datetime.date, reason: str
) -> MeetingSeries:
    """The work of `series_end` once the series is locked and the request checked (also used by
    a termination of the joint cultivation, which has checked its own authority)."""
    now = timezone.now()
    meetings = list(Meeting.objects.select_for_update().filter(series=series))
    before = {"until": series.until.isoformat(), "ended_at": None}
    series.sequence = _next_sequence(series, meetings)
    series.until = min(series.until, max(after, series.first_date))
    series.ended_at = now
    series.end_reason = reason.strip()
    series.updated_at = now
    series.full_clean()
    series.save()
    cancelled = []
    for meeting in meetings:
        day = slot_date(meeting, series)
        if meeting.status == MeetingStatus.SCHEDULED and day > after:
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancelled_with_series = True
            meeting.cancel_reason = series.end_reason
            meeting.sequence = series.sequence
            cancelled.append(meeting)
    Meeting.objects.bulk_update(
        cancelled, ["status", "cancelled_with_series", "cancel_reason", "sequence"]
    )
    changes = diff(before, {"until": series.until.isoformat(), "ended_at": now.isoformat()})
    changes["cancelled_meetings"] = [
        None,
        sorted(slot_date(m, series).isoformat() for m in cancelled),
    ]
    audit_record(
        actor=actor,
        action="meeting_series.end",
        target=series,
        changes=changes,
        reason=series.end_reason,
    )
    _notify(_everyone_but(series, actor), "series_ended", series, after=after.isoformat())
    return series


@transaction.atomic
def participant_remove(
    *, actor: User, series: MeetingSeries, person: User, reason: str = ""
) -> SeriesParticipant:
    """Take someone off a series: from now on they are not invited and their calendar drops
    the meetings ahead; their reports and attendance so far stay."""
    series = _locked(series)
    if not permissions.can_remove_participant(actor, series):
        raise PermissionDenied(
            _("Only the tutors of the series or a coordinator can take people off it.")
        )
    if person.pk == series.organizer_id:
        raise field_error("person", _("The organizer cannot be taken off the series."))
    participant = (
        SeriesParticipant.objects.select_for_update()
        .filter(series=series, user=person, removed_at__isnull=True)
        .first()
    )
    if participant is None:
        raise field_error("person", _("This person is not invited to the series."))
    return remove_locked_participant(
        actor=actor, series=series, participant=participant, reason=reason
    )


def remove_locked_participant(
    *, actor: User, series: MeetingSeries, participant: SeriesParticipant, reason: str = ""
) -> SeriesParticipant:
    """The work of `participant_remove` once the series and the participant are locked and
    the request checked (also used by a termination of the joint cultivation)."""
    person = participant.user
    participant.removed_at = timezone.now()
    participant.full_clean()
    participant.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="meeting_series.remove",
        target=series,
        changes={"participant": [f"{person} ({participant.role})", None]},
        reason=(reason or "").strip(),
    )
    if person.pk != actor.pk:
        _notify([person.pk], "participant_removed", series)
    return participant
