"""Who may do what with debriefings and the mentoring log. Views and the API ask these; the
services ask again.

The tutors of a series are its organizer and the people invited as tutors. They run the
meetings (attendance, action items, minutes) together with the coordinators of the organizing
institution. Comments come from the series' tutors and from each trainee's pair of tutors, so the
second tutor can comment even when not invited. People taken off a series no longer count as its
tutors or trainees.

The series itself (its schedule, place and end) is changed by its organizer and the coordinators
of the organizing institution; the invited tutors, like the organizer, decide who takes part.
"""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.institutions.models import Institution
from tandem.meetings.models import (
    ActionItem,
    ActionStatus,
    ContactKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ParticipantRole,
    ProgressReport,
)


def _uid(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def series_tutor_ids(series: MeetingSeries) -> set[int]:
    """The organizer and the invited tutors (uses prefetched participants when present)."""
    ids = {series.organizer_id}
    ids |= {p.user_id for p in series.current_participants if p.role == ParticipantRole.TUTOR}
    return ids


def series_trainee_ids(series: MeetingSeries) -> set[int]:
    return {p.user_id for p in series.current_participants if p.role == ParticipantRole.TRAINEE}


def can_create_series(user: Any) -> bool:
    return (
        tenancy.is_consortium_admin(user)
        or bool(tenancy.coordinated_institution_ids(user))
        or Role.TUTOR in tenancy.roles(user)
    )


def can_organize_series_at(user: Any, institution: Institution) -> bool:
    """A tutor or a coordinator of the institution, or a consortium admin (the choice list is
    `institution_list_organizable_by`)."""
    if tenancy.is_consortium_admin(user):
        return True
    return institution.pk in tenancy.own_institution_ids(user, Role.TUTOR, Role.COORDINATOR)


def can_manage_series(user: Any, series: MeetingSeries) -> bool:
    if _uid(user) is None:
        return False
    if tenancy.is_consortium_admin(user) or _uid(user) in series_tutor_ids(series):
        return True
    return series.institution_id in tenancy.coordinated_institution_ids(user)


def can_edit_series(user: Any, series: MeetingSeries) -> bool:
    """Change the schedule, place or end of a series: the organizer or a coordinator of the
    organizing institution (and consortium admins)."""
    uid = _uid(user)
    if uid is None:
        return False
    if tenancy.is_consortium_admin(user) or uid == series.organizer_id:
        return True
    return series.institution_id in tenancy.coordinated_institution_ids(user)


def can_end_series(user: Any, series: MeetingSeries) -> bool:
    return not series.is_ended and can_edit_series(user, series)


def can_remove_participant(user: Any, series: MeetingSeries) -> bool:
    """Whoever may invite may take people off again."""
    return can_manage_series(user, series)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    return can_manage_series(user, meeting.series)


def can_cancel_meeting(user: Any, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.SCHEDULED and can_manage_meeting(user, meeting)


def can_submit_report(user: Any, meeting: Meeting) -> bool:
    return meeting.status != MeetingStatus.CANCELLED and _uid(user) in series_trainee_ids(
        meeting.series
    )


def can_comment_report(user: Any, report: ProgressReport, pair_trainee_ids: set[int]) -> bool:
    """The series' tutors and the trainee's current tutors; never the trainee."""
    uid = _uid(user)
    if uid is None or uid == report.trainee_id:
        return False
    return uid in series_tutor_ids(report.meeting.series) or report.trainee_id in pair_trainee_ids


def can_close_action(user: Any, action: ActionItem) -> bool:
    if action.status != ActionStatus.OPEN:
        return False
    return _uid(user) == action.owner_id or can_manage_series(user, action.series)


def can_log_contact(user: Any, kind: str, pair_tutor_ids: set[int], trainee_id: int) -> bool:
    """Tutor–tutor contacts by either current tutor; tutor–trainee ones also by the trainee."""
    uid = _uid(user)
    if uid is None:
        return False
    if kind == ContactKind.TUTOR_TUTOR:
        return uid in pair_tutor_ids
    return uid in pair_tutor_ids or uid == trainee_id
