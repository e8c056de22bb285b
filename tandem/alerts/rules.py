"""The early-warning rules: each finds, in one query for the whole consortium, the current
causes of one kind of warning.

Thresholds differ per institution. Rather than one query per institution, each rule builds one
condition: for each distinct threshold value, "institution in (those using it) and the cause
holds with it", OR-ed together (a handful of values in practice).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.alerts.models import DEFAULT_THRESHOLDS, Rule, SubjectType, WarningThresholds
from tandem.assessments import warnings as assessment_warnings
from tandem.assessments import warnings_completion
from tandem.cultivation import selectors_training
from tandem.cultivation.models import JointCultivation, TutorAssignment, TutorRole
from tandem.faculty import warnings as faculty_warnings
from tandem.feedback import selectors as feedback_selectors
from tandem.funds.models import AllocationStatus, FundAllocation
from tandem.logbook import pace as logbook_pace
from tandem.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    ContactKind,
    MentoringContact,
    ParticipantRole,
    ProgressReport,
    SeriesParticipant,
)
from tandem.milestones import warnings as milestone_warnings
from tandem.plans.models import MilestoneStatus, PlanMilestone
from tandem.quality import warnings as quality_warnings
from tandem.visits.selectors import overdue_actions as visit_overdue_actions
from tandem.workhours import alerting as workhours_alerting

ACTIVE = "active"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Cause:
    rule: str
    subject_type: str
    subject_id: int
    cause: str
    institution_id: int
    cultivation_id: int | None = None
    trainee_id: int | None = None
    urgent: bool = False
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # People told besides the pair and the coordinators (an action item's owner, organizer).
    extra_recipient_ids: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.rule, self.subject_type, self.subject_id)


class Thresholds:
    """Every institution's thresholds, loaded in one query."""

    def __init__(self, rows: dict[int, dict[str, int]]) -> None:
        self.rows = rows

    @classmethod
    def load(cls) -> "Thresholds":
        fields = list(DEFAULT_THRESHOLDS)
        return cls(
            {
                row["institution_id"]: {f: row[f] for f in fields}
                for row in WarningThresholds.objects.values("institution_id", *fields)
            }
        )

    def for_institution(self, institution_id: int | None, name: str) -> int:
        row = self.rows.get(institution_id) if institution_id is not None else None
        return row[name] if row else DEFAULT_THRESHOLDS[name]

    def condition(self, name: str, institution_field: str, make: Callable[[int], Q]) -> Q:
        """OR over the distinct values of threshold `name`: institutions using the value and
        `make(value)`; institutions without a row use the default."""
        by_value: dict[int, set[int]] = {}
        for institution_id, row in self.rows.items():
            by_value.setdefault(row[name], set()).add(institution_id)
        default = DEFAULT_THRESHOLDS[name]
        custom = set(self.rows)
        condition = ~Q(**{f"{institution_field}__in": custom}) & make(default)
        for value, ids in by_value.items():
            condition |= Q(**{f"{institution_field}__in": ids}) & make(value)
        return condition


def _name(first: str | None, second: str | None) -> str:
    return first or second or ""


def no_report(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Active joint trainees without a progress report for N weeks (counted from the start of
    the cultivation when they never reported)."""
    latest = (
        ProgressReport.objects.filter(trainee=OuterRef("trainee"))
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )

    def holds(weeks: int) -> Q:
        cutoff = now - datetime.timedelta(weeks=weeks)
        return Q(last_report__lt=cutoff) | Q(
            last_report__isnull=True, planned_start__lt=timezone.localdate(cutoff)
        )

    rows = (
        JointCultivation.objects.filter(status=ACTIVE)
        .annotate(last_report=Subquery(latest))
        .filter(thresholds.condition("no_report_weeks", "home_id", holds))
        .values(
            "id", "home_id", "trainee_id", "trainee__full_name", "trainee__username", "last_report"
        )
    )
    causes = []
    for row in rows:
        since = timezone.localdate(row["last_report"]) if row["last_report"] else None
        causes.append(
            Cause(
                rule=Rule.NO_REPORT,
                subject_type=SubjectType.CULTIVATION,
                subject_id=row["id"],
                cause=f"since:{since.isoformat() if since else 'none'}",
                institution_id=row["home_id"],
                cultivation_id=row["id"],
                trainee_id=row["trainee_id"],
                detail={
                    "trainee": _name(row["trainee__full_name"], row["trainee__username"]),
                    "since": since.isoformat() if since else None,
                },
            )
        )
    return causes


def milestones(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Milestones of active cultivations not yet submitted or passed whose window closes
    within N days (or has closed: overdue, urgent)."""

    today = timezone.localdate(now)

    def holds(days: int) -> Q:
        return Q(latest__lte=today + datetime.timedelta(days=days))

    rows = (
        PlanMilestone.objects.filter(
            status__in=[MilestoneStatus.PLANNED, MilestoneStatus.NEEDS_REVISION],
            latest__isnull=False,
            plan__cultivation__status=ACTIVE,
        )
        .filter(thresholds.condition("milestone_days", "plan__cultivation__home_id", holds))
        .values(
            "id",
            "custom_title",
            "kind",
            "latest",
            "plan__cultivation_id",
            "plan__cultivation__home_id",
            "plan__cultivation__trainee_id",
            "plan__cultivation__trainee__full_name",
            "plan__cultivation__trainee__username",
        )
    )
    causes = []
    for row in rows:
        overdue = row["latest"] < today
        causes.append(
            Cause(
                rule=Rule.MILESTONE,
                subject_type=SubjectType.MILESTONE,
                subject_id=row["id"],
                cause=f"{'overdue' if overdue else 'due'}:{row['latest'].isoformat()}",
                institution_id=row["plan__cultivation__home_id"],
                cultivation_id=row["plan__cultivation_id"],
                trainee_id=row["plan__cultivation__trainee_id"],
                urgent=overdue,
                detail={
                    "trainee": _name(
                        row["plan__cultivation__trainee__full_name"],
                        row["plan__cultivation__trainee__username"],
                    ),
                    "milestone": row["custom_title"],
                    "kind": row["kind"],
                    "due": row["latest"].isoformat(),
                    "overdue": overdue,
                },
            )
        )
    return causes


def tutors_silent(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Active cultivations with a full pair whose tutors logged no contact for N weeks."""
    today = timezone.localdate(now)
    last_contact = (
        MentoringContact.objects.filter(cultivation=OuterRef("pk"), kind=ContactKind.TUTOR_TUTOR)
        .order_by("-date")
        .values("date")[:1]
    )

    def tutor(role: str) -> Exists:
        return Exists(
            TutorAssignment.objects.filter(
                cultivation=OuterRef("pk"), role=role, ended_at__isnull=True
            )
        )

    def holds(weeks: int) -> Q:
        cutoff = today - datetime.timedelta(weeks=weeks)
        return Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True, planned_start__lt=cutoff)

    rows = (
        JointCultivation.objects.filter(status=ACTIVE)
        .filter(tutor(TutorRole.EXPERIMENTAL), tutor(TutorRole.THEORETICAL))
        .annotate(last_contact=Subquery(last_contact))
        .filter(thresholds.condition("tutor_silence_weeks", "home_id", holds))
        .values(
            "id", "home_id", "trainee_id", "trainee__full_name", "trainee__username", "last_contact"
        )
    )
    return [
        Cause(
            rule=Rule.TUTORS_SILENT,
            subject_type=SubjectType.CULTIVATION,
            subject_id=row["id"],
            cause=f"since:{row['last_contact'].isoformat() if row['last_contact'] else 'none'}",
            institution_id=row["home_id"],
            cultivation_id=row["id"],
            trainee_id=row["trainee_id"],
            detail={
                "trainee": _name(row["trainee__full_name"], row["trainee__username"]),
                "since": row["last_contact"].isoformat() if row["last_contact"] else None,
            },
        )
        for row in rows
    ]


def actions_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Open action items past their due date by more than N days (the series' institution)."""
    today = timezone.localdate(now)

    def holds(days: int) -> Q:
        return Q(due_date__lt=today - datetime.timedelta(days=days))

    rows = (
        ActionItem.objects.filter(status=ActionStatus.OPEN)
        .filter(thresholds.condition("action_overdue_days", "series__institution_id", holds))
        .values(
            "id",
            "title",
            "due_date",
            "owner_id",
            "owner__full_name",
            "owner__username",
            "series_id",
            "series__title",
            "series__organizer_id",
            "series__institution_id",
            "cultivation_id",
            "cultivation__trainee_id",
        )
    )
    return [
        Cause(
            rule=Rule.ACTION_OVERDUE,
            subject_type=SubjectType.ACTION_ITEM,
            subject_id=row["id"],
            cause=f"due:{row['due_date'].isoformat()}",
            institution_id=row["series__institution_id"],
            cultivation_id=row["cultivation_id"],
            trainee_id=row["cultivation__trainee_id"],
            detail={
                "title": row["title"],
                "due": row["due_date"].isoformat(),
                "owner": _name(row["owner__full_name"], row["owner__username"]),
                "series": row["series__title"],
                "series_id": row["series_id"],
            },
            extra_recipient_ids=(row["owner_id"], row["series__organizer_id"]),
        )
        for row in rows
    ]


def absences(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Trainees absent from the last N meetings of a series in a row (since the last meeting
    they attended or were excused from)."""
    attended = (
        Attendance.objects.filter(meeting__series=OuterRef("series"), person=OuterRef("user"))
        .exclude(status=AttendanceStatus.ABSENT)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    streak = (
        Attendance.objects.filter(
            meeting__series=OuterRef("series"),
            person=OuterRef("user"),
            status=AttendanceStatus.ABSENT,
            meeting__starts_at__gt=OuterRef("last_ok"),
        )
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )

    # Only people absent at least once are worth the correlated subqueries (one semi-join).
    ever_absent = Attendance.objects.filter(status=AttendanceStatus.ABSENT).values("person_id")
    rows = (
        SeriesParticipant.objects.filter(
            role=ParticipantRole.TRAINEE, user_id__in=ever_absent, removed_at__isnull=True
        )
        .annotate(last_ok=Coalesce(Subquery(attended), Value(EPOCH), output_field=DateTimeField()))
        .annotate(streak=Coalesce(Subquery(streak), 0))
        .filter(streak__gt=0)
        .order_by()
        .values(
            "id",
            "series_id",
            "series__title",
            "series__institution_id",
            "series__organizer_id",
            "user_id",
            "user__full_name",
            "user__username",
            "cultivation_id",
            "last_ok",
            "streak",
        )
    )
    causes = []
    for row in rows:
        # Compared here rather than in SQL: PostgreSQL would evaluate the streak subquery once
        # per OR-ed threshold; the rows are only those with a streak at all.
        limit = thresholds.for_institution(row["series__institution_id"], "absences_in_row")
        if row["streak"] < limit:
            continue
        last_ok = row["last_ok"]
        after = "none" if last_ok is None or last_ok <= EPOCH else last_ok.isoformat()
        causes.append(
            Cause(
                rule=Rule.ABSENCES,
                subject_type=SubjectType.PARTICIPANT,
                subject_id=row["id"],
                cause=f"after:{after}"[:64],
                institution_id=row["series__institution_id"],
                cultivation_id=row["cultivation_id"],
                trainee_id=row["user_id"],
                detail={
                    "trainee": _name(row["user__full_name"], row["user__username"]),
                    "series": row["series__title"],
                    "series_id": row["series_id"],
                    "count": row["streak"],
                },
                extra_recipient_ids=(row["series__organizer_id"],),
            )
        )
    return causes


def low_funds(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Approved allocations whose remainder fell below their own warning level."""
    rows = (
        FundAllocation.objects.filter(status=AllocationStatus.APPROVED, warn_below__gt=0)
        .annotate(remaining=F("amount") - F("spent"))
        .filter(remaining__lt=F("warn_below"))
        .values(
            "id",
            "fund__code",
            "remaining",
            "warn_below",
            "cultivation_id",
            "cultivation__home_id",
            "cultivation__trainee_id",
            "cultivation__trainee__full_name",
            "cultivation__trainee__username",
            "fund__principal_investigator_id",
        )
    )
    return [
        Cause(
            rule=Rule.LOW_FUNDS,
            subject_type=SubjectType.ALLOCATION,
            subject_id=row["id"],
            cause="below",
            institution_id=row["cultivation__home_id"],
            cultivation_id=row["cultivation_id"],
            trainee_id=row["cultivation__trainee_id"],
            urgent=True,
            detail={
                "trainee": _name(
                    row["cultivation__trainee__full_name"], row["cultivation__trainee__username"]
                ),
                "fund": row["fund__code"],
                "remaining": f"{Decimal(row['remaining']):.2f}",
                "warn_below": f"{Decimal(row['warn_below']):.2f}",
            },
            extra_recipient_ids=(row["fund__principal_investigator_id"],),
        )
        for row in rows
    ]


def feedback_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Feedback items past their deadline to acknowledge or to resolve: to the coordinators
    of the institution they were routed to and the people responsible there; still overdue
    ESCALATE_TO_ADMIN_AFTER_DAYS later, to the consortium admins as well (urgent). Never the
    raiser's name or id: an item may be anonymous."""
    rows = feedback_selectors.overdue_items(timezone.localdate(now))
    handlers = feedback_selectors.handler_ids(
        {(row["institution_id"], row["handler_role"]) for row in rows}
    )
    admins = tuple(feedback_selectors.consortium_admin_ids()) if rows else ()
    causes = []
    for row in rows:
        people = tuple(sorted(handlers.get((row["institution_id"], row["handler_role"]), ())))
        level = 2 if row["to_admin"] else 1
        causes.append(
            Cause(
                rule=Rule.FEEDBACK_OVERDUE,
                subject_type=SubjectType.FEEDBACK_ITEM,
                subject_id=row["id"],
                cause=f"{row['stage']}:{level}:{row['due'].isoformat()}",
                institution_id=row["institution_id"],
                urgent=level == 2,
                detail={
                    "title": row["title"],
                    "item_id": row["id"],
                    "stage": row["stage"],
                    "due": row["due"].isoformat(),
                    "level": level,
                },
                extra_recipient_ids=people + (admins if level == 2 else ()),
            )
        )
    return causes


# How far ahead a host stay without the insurance its agreement requires is flagged.
STAY_INSURANCE_NOTICE_DAYS = 14


def stays_uninsured(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Host stays starting soon (or begun: urgent) without the insurance their agreement
    requires on file (decision 094); the trainee, who can record it, is told too."""
    today = timezone.localdate(now)
    causes = []
    for row in selectors_training.host_stays_uninsured(today, STAY_INSURANCE_NOTICE_DAYS):
        begun, trainee = row["start"] <= today, row["cultivation__trainee_id"]
        name = _name(row["cultivation__trainee__full_name"], row["cultivation__trainee__username"])
        causes.append(
            Cause(
                rule=Rule.STAY_UNINSURED,
                subject_type=SubjectType.STAY,
                subject_id=row["id"],
                cause=f"{'begun' if begun else 'starts'}:{row['start'].isoformat()}",
                institution_id=row["cultivation__home_id"],
                cultivation_id=row["cultivation_id"],
                trainee_id=trainee,
                urgent=begun,
                detail={"trainee": name, "start": row["start"].isoformat(), "begun": begun}
                | {"host": row["institution__name"], "host_zh": row["institution__name_zh"]},
                extra_recipient_ids=(trainee,),
            )
        )
    return causes


def logbook_behind(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Residents whose case log is far behind a linear pace over their current rotation
    (tandem/logbook/pace.py): to the resident, the department's teachers and the coordinators
    of the resident's hospital. The cause names the stint, so one warning per rotation."""
    return [
        Cause(
            rule=Rule.LOGBOOK_BEHIND,
            subject_type=SubjectType.ROTATION,
            subject_id=row["subject_id"],
            cause=f"behind:{row['start'].isoformat()}",
            institution_id=row["institution_id"],
            trainee_id=row["resident_id"],
            detail={
                "trainee": row["resident"],
                "department": row["department"],
                "department_zh": row["department_zh"],
                "logged": row["logged"],
                "expected": row["expected"],
                "end": row["end"].isoformat(),
            },
            extra_recipient_ids=(row["resident_id"], *row["teacher_ids"]),
        )
        for row in logbook_pace.behind_pace(timezone.localdate(now))
    ]


def workhours_violations(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Residents whose shifts of the last weeks break a work-hour rule (tandem/workhours/
    alerting.py): to the resident and the coordinators of their hospital. The cause names the
    rule and the start of the newest violation, so each new violation is raised once."""
    return [
        Cause(
            rule=Rule.WORKHOURS_VIOLATION,
            subject_type=SubjectType.COHORT_MEMBER,
            subject_id=row["member_id"],
            cause=row["cause"],
            institution_id=row["institution_id"],
            trainee_id=row["resident_id"],
            detail=row["detail"],
            extra_recipient_ids=(row["resident_id"],),
        )
        for row in workhours_alerting.recent_violations(now)
    ]


def visit_actions_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Exchange-visit actions open or in progress past their deadline: to the owner and the
    coordinators of the owning institution (tandem/visits). The cause names the deadline, so a
    new deadline is a new warning."""
    return [
        Cause(
            rule=Rule.VISIT_ACTION_OVERDUE,
            subject_type=SubjectType.VISIT_ACTION,
            subject_id=action.pk,
            cause=f"due:{action.deadline.isoformat()}",
            institution_id=action.institution_id,
            detail={
                "title": action.title,
                "due": action.deadline.isoformat(),
                "owner": _name(action.owner.full_name, action.owner.username),
                "visit": action.visit.title,
                "visit_zh": action.visit.title_zh,
                "action_id": action.pk,
            },
            extra_recipient_ids=(action.owner_id,),
        )
        for action in visit_overdue_actions(timezone.localdate(now))
    ]


def _assessment_causes(rule: str, subject_type: str, rows: list[dict[str, Any]]) -> list[Cause]:
    return [
        Cause(
            rule=rule,
            subject_type=subject_type,
            subject_id=row["subject_id"],
            cause=row["cause"],
            institution_id=row["institution_id"],
            trainee_id=row["resident_id"],
            detail=row["detail"],
            extra_recipient_ids=row["recipients"],
        )
        for row in rows
    ]


def assessment_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Open rotation-end assessments past their due date (tandem/assessments/warnings.py): to
    the resident, the responsible teacher and the coordinators of the resident's hospital."""
    rows = assessment_warnings.overdue(timezone.localdate(now))
    return _assessment_causes(Rule.ASSESSMENT_OVERDUE, SubjectType.ASSESSMENT, rows)


def component_failed(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Assessments with a failed component not yet remedied; the cause names the components."""
    rows = assessment_warnings.failed_components(timezone.localdate(now))
    return _assessment_causes(Rule.COMPONENT_FAILED, SubjectType.ASSESSMENT, rows)


def wba_short(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Current rotations ending within a week with fewer confirmed WBAs than required."""
    rows = assessment_warnings.wba_short(timezone.localdate(now))
    return _assessment_causes(Rule.WBA_SHORT, SubjectType.ROTATION, rows)


def certificate_expiring(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Teacher-training certificates expiring within 60 days (tandem/faculty/warnings.py): to
    the teacher and the coordinators of the base's hospital; the cause names the expiry day."""
    rows = faculty_warnings.certificates_expiring(timezone.localdate(now))
    return _assessment_causes(Rule.CERT_EXPIRING, SubjectType.TEACHER_PROFILE, rows)


def expired_teacher_assigned(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """A teacher whose certificate expired and who is still responsible for a resident."""
    rows = faculty_warnings.expired_still_assigned(timezone.localdate(now))
    causes = _assessment_causes(Rule.EXPIRED_TEACHER, SubjectType.TEACHER_PROFILE, rows)
    return [replace(cause, urgent=True) for cause in causes]


def ccc_review_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Open competency reviews of a resident past the period's due date (tandem/milestones):
    to the committee's members and the coordinators of the program's hospital."""
    rows = milestone_warnings.review_overdue(timezone.localdate(now))
    return _assessment_causes(Rule.CCC_REVIEW_OVERDUE, SubjectType.RESIDENT_REVIEW, rows)


def ccc_not_reviewed(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Residents of a program with a committee, in training for more than six months, with no
    finalised competency review in the last six months."""
    rows = milestone_warnings.not_reviewed(timezone.localdate(now))
    return _assessment_causes(Rule.CCC_NOT_REVIEWED, SubjectType.COHORT_MEMBER, rows)


def annual_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Open annual assessments past the day their result was due (decision 112)."""
    rows = warnings_completion.annual_overdue(timezone.localdate(now))
    return _assessment_causes(Rule.ANNUAL_OVERDUE, SubjectType.ANNUAL, rows)


def completion_at_risk(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Residents within six months of the end of training and not on track for completion."""
    rows = warnings_completion.completion_at_risk(timezone.localdate(now))
    return _assessment_causes(Rule.COMPLETION_AT_RISK, SubjectType.COHORT_MEMBER, rows)


def standards_missed(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Bases missing some of their standards this month (tandem/quality): to the training
    office of the base's hospital and the base's directors; the cause names the month and the
    standards, so a new miss is a new warning."""
    rows = quality_warnings.standards_missed(timezone.localdate(now))
    return _assessment_causes(Rule.STANDARDS_MISSED, SubjectType.TRAINING_BASE, rows)


def rectifications_overdue(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    """Rectification items still open past their deadline: to the owner, the supervisor and the
    training office of the base's hospital."""
    rows = quality_warnings.rectifications_overdue(timezone.localdate(now))
    return _assessment_causes(Rule.RECTIFICATION_OVERDUE, SubjectType.RECTIFICATION, rows)


RULES = (
    no_report,
    milestones,
    tutors_silent,
    actions_overdue,
    absences,
    low_funds,
    feedback_overdue,
    stays_uninsured,
    logbook_behind,
    workhours_violations,
    visit_actions_overdue,
    assessment_overdue,
    component_failed,
    wba_short,
    certificate_expiring,
    expired_teacher_assigned,
    ccc_review_overdue,
    ccc_not_reviewed,
    annual_overdue,
    completion_at_risk,
    standards_missed,
    rectifications_overdue,
)


def current_causes(now: datetime.datetime, thresholds: Thresholds) -> list[Cause]:
    return [cause for rule in RULES for cause in rule(now, thresholds)]
