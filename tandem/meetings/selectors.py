"""Reads about debriefings and the mentoring log, always scoped to the asking user.

A series is visible to its organizer and participants, to the tutors of an invited trainee (so
the second tutor follows every meeting of their trainees), to the coordinators of the
organizing institution and of an invited trainee's home or host, and to consortium admins.

A progress report is visible to its trainee, the series' tutors, the trainee's current tutors,
those coordinators and admins: never to another trainee. The host of a terminated joint
cultivation reaches only what was created until its last day (`selectors_reach`, decision 098).

Someone taken off a series still sees it and what happened while they took part (read only),
but is no longer invited: their next meetings, calendar feed and reports to comment leave it.
"""

from typing import Any

import icalendar
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.core.unions import pk_in_any, union_of
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.cultivation.selectors_reach import (
    former_tutor_records_reached,
    trainee_records_reached,
)
from tandem.meetings.models import (
    ActionItem,
    ActionStatus,
    ContactKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MentoringContact,
    ParticipantRole,
    ProgressReport,
    ReportComment,
    SeriesParticipant,
)
from tandem.meetings.recurrence import series_events

OPEN_CULTIVATION = ("proposed", "approved", "active", "suspended")


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def pair_trainee_ids_query(user: Any) -> QuerySet[TutorAssignment, Any]:
    """The trainees of whom `user` is currently a tutor (a subquery)."""
    return TutorAssignment.objects.filter(tutor=user, ended_at__isnull=True).values(
        "cultivation__trainee_id"
    )


def pair_trainee_ids(user: Any) -> set[int]:
    if not _authenticated(user):
        return set()
    return set(pair_trainee_ids_query(user).values_list("cultivation__trainee_id", flat=True))


# --- Series and meetings -----------------------------------------------------------------------


def series_list_visible_to(user: Any) -> QuerySet[MeetingSeries]:
    queryset = MeetingSeries.objects.all()
    if not _authenticated(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    # One indexed branch per reason to see a series (see the module's docstring).
    branches = [
        MeetingSeries.objects.filter(organizer=user).values("pk"),
        SeriesParticipant.objects.filter(user=user).values("series_id"),
        SeriesParticipant.objects.filter(user_id__in=pair_trainee_ids_query(user)).values(
            "series_id"
        ),
    ]
    coordinated = tenancy.coordinated_institution_ids(user)
    if coordinated:
        branches += [
            MeetingSeries.objects.filter(institution_id__in=coordinated).values("pk"),
            SeriesParticipant.objects.filter(
                trainee_records_reached(
                    SeriesParticipant,
                    coordinated,
                    trainee_field="user_id",
                    created_field="series__created_at",
                )
            ).values("series_id"),
        ]
    return queryset.filter(pk_in_any(*branches))


def _participants_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=SeriesParticipant.objects.select_related("user", "cultivation").order_by(
            "role", "user__full_name", "id"
        ),
    )


def series_list_for_page(
    user: Any, *, search: str = "", institution_id: int | None = None
) -> QuerySet[MeetingSeries]:
    queryset = series_list_visible_to(user)
    if search:
        queryset = queryset.filter(title__icontains=search)
    if institution_id:
        queryset = queryset.filter(institution_id=institution_id)
    return queryset.select_related("institution", "organizer").prefetch_related(
        _participants_prefetch()
    )


def series_get_for_user_or_404(user: Any, pk: int) -> MeetingSeries:
    return get_object_or_404(
        series_list_visible_to(user)
        .select_related("institution", "organizer")
        .prefetch_related(_participants_prefetch()),
        pk=pk,
    )


def meeting_list_for(series: MeetingSeries) -> QuerySet[Meeting]:
    """The meetings of a series the caller has already fetched through a selector."""
    return series.meetings.order_by("starts_at", "id")


def meeting_list_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__in=series_list_visible_to(user))


def meeting_get_for_user_or_404(user: Any, pk: int) -> Meeting:
    meeting = get_object_or_404(meeting_list_visible_to(user).select_related("series"), pk=pk)
    meeting.series = series_get_for_user_or_404(user, meeting.series_id)
    return meeting


def _invited_to(meeting_starts_at: Any) -> Q:
    """The participant row still invites its person to a meeting starting then."""
    return Q(removed_at__isnull=True) | Q(removed_at__gt=meeting_starts_at)


def upcoming_meetings(user: Any, limit: int = 10) -> list[Meeting]:
    """The next meetings of the series the person takes part in or organizes."""
    if not _authenticated(user):
        return []
    mine = SeriesParticipant.objects.filter(
        _invited_to(OuterRef("starts_at")), series=OuterRef("series"), user=user
    )
    # The person's series first (a UNION of two indexed branches), then their meetings by the
    # (series, status, starts_at) index; the invitation is checked on those few rows only.
    own_series = pk_in_any(
        MeetingSeries.objects.filter(organizer=user).values("pk"),
        SeriesParticipant.objects.filter(user=user).values("series_id"),
    )
    return list(
        Meeting.objects.filter(
            Q(series__organizer=user) | Exists(mine),
            series__in=MeetingSeries.objects.filter(own_series),
            status=MeetingStatus.SCHEDULED,
            ends_at__gte=timezone.now(),
        )
        .select_related("series")
        .order_by("starts_at", "id")[:limit]
    )


# --- Reports ------------------------------------------------------------------------------------


def report_list_visible_to(user: Any) -> QuerySet[ProgressReport]:
    queryset = ProgressReport.objects.all()
    if not _authenticated(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    series_tutor = SeriesParticipant.objects.filter(
        _invited_to(OuterRef("meeting__starts_at")),
        series=OuterRef("meeting__series"),
        user=user,
        role=ParticipantRole.TUTOR,
    )
    condition: Q = (
        Q(trainee=user)
        | Q(trainee_id__in=pair_trainee_ids_query(user))
        | former_tutor_records_reached(
            ProgressReport, user, trainee_field="trainee_id", created_field="submitted_at"
        )
        | Q(meeting__series__organizer=user)
        | Q(Exists(series_tutor))
    )
    coordinated = tenancy.coordinated_institution_ids(user)
    if coordinated:
        # The host of a terminated cultivation no longer reaches reports submitted after it.
        condition |= Q(meeting__series__institution_id__in=coordinated) | trainee_records_reached(
            ProgressReport, coordinated, trainee_field="trainee_id", created_field="submitted_at"
        )
    return queryset.filter(condition)


def _report_related(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return queryset.select_related("trainee", "meeting__series").prefetch_related(
        Prefetch("comments", queryset=ReportComment.objects.select_related("tutor")),
        "attachments",
    )


def report_list_for_meeting(user: Any, meeting: Meeting) -> QuerySet[ProgressReport]:
    return _report_related(report_list_visible_to(user).filter(meeting=meeting)).order_by(
        "trainee__full_name", "id"
    )


def report_get_for_user_or_404(user: Any, pk: int) -> ProgressReport:
    return get_object_or_404(_report_related(report_list_visible_to(user)), pk=pk)


def own_report(user: Any, meeting: Meeting) -> ProgressReport | None:
    if not _authenticated(user):
        return None
    return (
        ProgressReport.objects.filter(meeting=meeting, trainee=user)
        .prefetch_related("attachments", "comments__tutor")
        .first()
    )


def _tutored_series_ids(user: Any) -> QuerySet[MeetingSeries, Any]:
    """The series a tutor organizes or is currently invited to as a tutor (a subquery): a
    UNION, so that each side follows its own index."""
    return union_of(
        MeetingSeries.objects.filter(organizer=user).values("pk"),
        SeriesParticipant.objects.filter(
            user=user, role=ParticipantRole.TUTOR, removed_at__isnull=True
        ).values("series_id"),
    )


def reports_to_comment(user: Any, limit: int = 10) -> list[ProgressReport]:
    """Reports of the tutor's trainees or series that the tutor has not commented yet.

    Two queries that each follow an index (the reports of the tutor's current trainees, by
    trainee; the reports in the tutor's series, by meeting), merged here: one OR over both
    made PostgreSQL scan and sort every report of the consortium."""
    if not _authenticated(user):
        return []
    commented = ReportComment.objects.filter(report=OuterRef("pk"), tutor=user)
    uncommented = (
        ProgressReport.objects.exclude(trainee=user)
        .exclude(Exists(commented))
        .select_related("trainee", "meeting__series")
        .order_by("-submitted_at", "-id")
    )
    of_pairs = uncommented.filter(trainee_id__in=pair_trainee_ids_query(user))[:limit]
    in_series = uncommented.filter(meeting__series_id__in=_tutored_series_ids(user))[:limit]
    merged = {report.pk: report for report in [*of_pairs, *in_series]}
    newest_first = sorted(merged.values(), key=lambda r: (r.submitted_at, r.pk), reverse=True)
    return newest_first[:limit]


# --- Action items -------------------------------------------------------------------------------


def agenda_actions(meeting: Meeting) -> QuerySet[ActionItem]:
    """The action items on a meeting's agenda: those raised earlier in the series that are
    still open, or that were closed in this meeting. Open items carry forward by this query."""
    return (
        ActionItem.objects.filter(
            series_id=meeting.series_id, raised_in__starts_at__lt=meeting.starts_at
        )
        .filter(Q(status=ActionStatus.OPEN) | Q(closed_in=meeting))
        .select_related("owner", "raised_in", "closed_by")
        .order_by("due_date", "id")
    )


def raised_actions(meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.raised_actions.select_related("owner", "closed_by").order_by("due_date", "id")


def action_list_visible_to(user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(series__in=series_list_visible_to(user))


def action_get_for_user_or_404(user: Any, pk: int) -> ActionItem:
    action = get_object_or_404(
        action_list_visible_to(user).select_related("owner", "raised_in"), pk=pk
    )
    action.series = series_get_for_user_or_404(user, action.series_id)
    return action


def actions_visible_in_meeting(
    user: Any, actions: QuerySet[ActionItem], series: MeetingSeries, can_manage: bool
) -> list[ActionItem]:
    """Trainees see the items they own; the people who run the series see all."""
    if can_manage:
        return list(actions)
    return [a for a in actions if a.owner_id == getattr(user, "pk", None)]


# --- Mentoring log ------------------------------------------------------------------------------


def contact_list_visible_to(user: Any) -> QuerySet[MentoringContact]:
    """Both tutors of the pair (current or past), the coordinators of home and host, admins;
    the trainee sees the tutor–trainee entries of their own cultivation."""
    queryset = MentoringContact.objects.all()
    if not _authenticated(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    coordinated = tenancy.coordinated_institution_ids(user)
    # Indexed branches (cultivation -> contacts), not one OR with an EXISTS per contact.
    whole_log = pk_in_any(
        JointCultivation.objects.filter(
            Q(home_id__in=coordinated) | Q(host_id__in=coordinated)
        ).values("pk"),
        TutorAssignment.objects.filter(tutor=user).values("cultivation_id"),
    )
    return queryset.filter(
        pk_in_any(
            MentoringContact.objects.filter(
                cultivation__in=JointCultivation.objects.filter(whole_log)
            ).values("pk"),
            MentoringContact.objects.filter(
                cultivation__trainee=user, kind=ContactKind.TUTOR_TRAINEE
            ).values("pk"),
        )
    )


def contact_list_for_page(
    user: Any, *, cultivation_id: int | None = None, kind: str = ""
) -> QuerySet[MentoringContact]:
    queryset = contact_list_visible_to(user)
    if cultivation_id:
        queryset = queryset.filter(cultivation_id=cultivation_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("cultivation__trainee", "recorded_by").order_by("-date", "-id")


def loggable_cultivations(user: Any) -> QuerySet[JointCultivation]:
    """Open cultivations where the person is a current tutor or the trainee."""
    if not _authenticated(user):
        return JointCultivation.objects.none()
    return (
        JointCultivation.objects.filter(status__in=OPEN_CULTIVATION)
        .filter(
            pk_in_any(
                TutorAssignment.objects.filter(tutor=user, ended_at__isnull=True).values(
                    "cultivation_id"
                ),
                JointCultivation.objects.filter(trainee=user).values("pk"),
            )
        )
        .select_related("trainee")
        .order_by("trainee__full_name", "id")
    )


def current_pair_tutor_ids(cultivation: JointCultivation) -> set[int]:
    return set(
        TutorAssignment.objects.filter(cultivation=cultivation, ended_at__isnull=True).values_list(
            "tutor_id", flat=True
        )
    )


def open_cultivation_of(trainee: User) -> JointCultivation | None:
    return JointCultivation.objects.filter(trainee=trainee, status__in=OPEN_CULTIVATION).first()


# --- Calendar feed ------------------------------------------------------------------------------


def feed_series(user: User) -> list[MeetingSeries]:
    """The series a person organizes or is invited to, with their meetings; `visible_before`
    is set when the person was taken off the series (the feed stops there)."""
    mine = SeriesParticipant.objects.filter(series=OuterRef("pk"), user=user)
    return list(
        MeetingSeries.objects.filter(Q(organizer=user) | Exists(mine))
        .annotate(visible_before=Subquery(mine.values("removed_at")[:1]))
        .prefetch_related(Prefetch("meetings", to_attr="all_meetings"))
        .order_by("id")
    )


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The person's debriefings for their calendar feed: one recurring event per series they
    organize or are invited to, an override per meeting moved, changed or cancelled (see
    `recurrence`); a series they were taken off stops there."""
    if not _authenticated(user):
        return []
    events: list[icalendar.Event] = []
    for series in feed_series(user):
        meetings = getattr(series, "all_meetings", [])
        events += series_events(series, meetings, getattr(series, "visible_before", None))
    return events


# --- Dashboard ----------------------------------------------------------------------------------


def meetings_dashboard(user: Any) -> dict[str, Any]:
    """A trainee's next meeting and whether its report is pending; a tutor's reports to comment.
    A fixed number of queries."""
    upcoming = upcoming_meetings(user, limit=3)
    next_meeting = upcoming[0] if upcoming else None
    pending_report = False
    if next_meeting is not None and _authenticated(user):
        is_trainee = SeriesParticipant.objects.filter(
            series_id=next_meeting.series_id,
            user=user,
            role=ParticipantRole.TRAINEE,
            removed_at__isnull=True,
        ).exists()
        pending_report = (
            is_trainee
            and not ProgressReport.objects.filter(meeting=next_meeting, trainee=user).exists()
        )
    to_comment = reports_to_comment(user, limit=5)
    open_actions = (
        ActionItem.objects.filter(owner=user, status=ActionStatus.OPEN).count()
        if _authenticated(user)
        else 0
    )
    return {
        "next_meeting": next_meeting,
        "upcoming": upcoming,
        "pending_report": pending_report,
        "to_comment": to_comment,
        "open_actions": open_actions,
    }


def last_reports_for(trainee_ids: list[int]) -> dict[int, ProgressReport]:
    """Each trainee's most recent progress report, for many trainees in one query."""
    latest = (
        ProgressReport.objects.filter(trainee_id=OuterRef("trainee_id"))
        .order_by("-submitted_at", "-id")
        .values("id")[:1]
    )
    reports = ProgressReport.objects.filter(
        trainee_id__in=trainee_ids, id=Subquery(latest)
    ).select_related("meeting")
    return {report.trainee_id: report for report in reports}


PERSON_RESULTS = 20  # a search answers with a few names, never the whole consortium


def person_search(people: QuerySet[User], query: str) -> QuerySet[User]:
    """The first matches of `query` (name, login or e-mail) among `people`, a queryset the
    caller built from a visible-to selector; nothing for an empty query."""
    query = (query or "").strip()
    if not query:
        return people.none()
    return people.filter(
        Q(full_name__icontains=query) | Q(username__icontains=query) | Q(email__iexact=query)
    ).order_by("full_name", "username")[:PERSON_RESULTS]
