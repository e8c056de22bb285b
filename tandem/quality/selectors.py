"""Every read of the quality app, scoped to the reader, and the facts the compliance function
needs (a constant number of queries whatever the size of the base)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.assessments.models import Assessment, AssessmentStatus
from tandem.core import tenancy
from tandem.institutions.models import Unit
from tandem.quality import compliance
from tandem.quality.models import (
    Evidence,
    Indicator,
    Observation,
    Rectification,
    RectificationStatus,
    SelfAssessment,
    SelfScore,
    Standard,
    Supervisor,
)
from tandem.residency.models import Department
from tandem.teaching import selectors as teaching_selectors
from tandem.teaching.models import Activity, ActivityKind, ActivityStatus


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --------------------------------------------------------------------------- bases


def base_list_managed_by(user: Any) -> QuerySet[Unit]:
    return teaching_selectors.base_list_managed_by(user)


def base_get_for_user_or_404(user: Any, pk: int) -> Unit:
    return teaching_selectors.base_get_for_user_or_404(user, pk)


def supervised_base_ids(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    return set(Supervisor.objects.filter(user_id=user.pk).values_list("base_id", flat=True))


def standard_list_of(base: Unit) -> QuerySet[Standard]:
    return Standard.objects.filter(base=base, is_active=True).select_related("activity_kind")


def standard_get_for_user_or_404(user: Any, pk: int) -> Standard:
    standard = (
        Standard.objects.filter(base__in=base_list_managed_by(user), pk=pk)
        .select_related("base", "activity_kind")
        .first()
    )
    if standard is None:
        raise Http404
    return standard


def supervisor_list_of(base: Unit) -> QuerySet[Supervisor]:
    return Supervisor.objects.filter(base=base).select_related("user").order_by("user__full_name")


def supervisor_candidates(base: Unit) -> QuerySet[User]:
    """People of the base's hospital who may supervise: its teachers, tutors, base directors and
    coordinators."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__institution_id=base.institution_id,
            memberships__is_active=True,
            memberships__role__in=teaching_selectors.TEACHING_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def activity_kinds_for(base: Unit) -> QuerySet[ActivityKind]:
    return teaching_selectors.kinds_for_base(base.pk).order_by("position", "name")


def department_list_of(base: Unit) -> QuerySet[Department]:
    return Department.objects.filter(base=base, is_active=True).order_by("code")


# --------------------------------------------------------------------------- compliance


def orientation_kind_id() -> int | None:
    return (
        ActivityKind.objects.filter(base__isnull=True, code="orientation")
        .values_list("pk", flat=True)
        .first()
    )


def rules_of(standards: Any) -> list[compliance.Rule]:
    return [
        compliance.Rule(
            id=s.pk,
            kind=s.kind,
            activity_kind_id=s.activity_kind_id,
            count=s.count,
            period=s.period,
            unit=s.unit,
            within_days=s.within_days,
        )
        for s in standards
    ]


def facts_for(
    department_ids: list[int], first: datetime.date, last: datetime.date
) -> compliance.Facts:
    """The scheduled activities of these departments from `first` to `last` and the stints
    (rotation-end assessments, with their responsible teacher) overlapping it: two queries."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    activities = [
        compliance.ActivityFact(row[0], row[1], timezone.localdate(row[2]))
        for row in Activity.objects.filter(
            department_id__in=department_ids,
            status=ActivityStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        ).values_list("department_id", "kind_id", "starts_at")
    ]
    stints = [
        compliance.StintFact(*row)
        for row in Assessment.objects.filter(
            department_id__in=department_ids, start__lte=last, end__gte=first
        )
        .exclude(status=AssessmentStatus.CANCELLED)
        .values_list("resident_id", "department_id", "start", "end", "teacher_id")
    ]
    return compliance.Facts(department_ids, activities, stints)


@dataclass
class Compliance:
    month: datetime.date
    rows: list[dict[str, Any]]  # one per standard: the standard, its status, its outcomes
    history: list[dict[str, Any]]  # one per month, oldest first: met and missed counts
    missed: int


def _people(ids: set[int]) -> dict[int, str]:
    return {
        pk: full_name or username
        for pk, full_name, username in User.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "username"
        )
    }


def compliance_of(
    base: Unit,
    month: datetime.date,
    *,
    department: Department | None = None,
    history_months: int = 12,
    today: datetime.date | None = None,
) -> Compliance:
    """The base's standards in the month, with the evidence, and the monthly history before it;
    computed on demand from the activities and stints (decision 115). Six queries."""
    today = today or timezone.localdate()
    standards = list(standard_list_of(base))
    rules = rules_of(standards)
    departments = list(department_list_of(base))
    names = {d.pk: str(d) for d in departments}
    department_ids = [department.pk] if department else list(names)
    first_month = month.replace(day=1)
    for _ in range(history_months - 1):
        first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
    _, last = compliance.month_bounds(month)
    facts = facts_for(department_ids, compliance.facts_start(rules, first_month), last)
    kind_id = orientation_kind_id()
    department_id = department.pk if department else None

    def run(m: datetime.date) -> list[compliance.Outcome]:
        return compliance.evaluate(
            rules,
            facts,
            m,
            today=today,
            orientation_kind_id=kind_id,
            department_id=department_id,
        )

    history = []
    current = first_month
    while current <= month.replace(day=1):
        statuses = compliance.summary(run(current))
        history.append(
            {
                "month": current,
                "met": sum(1 for s in statuses.values() if s == compliance.MET),
                "missed": sum(1 for s in statuses.values() if s == compliance.MISSED),
                "pending": sum(1 for s in statuses.values() if s == compliance.PENDING),
            }
        )
        current = compliance.month_bounds(current)[1] + datetime.timedelta(days=1)
    outcomes = run(month)
    people = _people(
        {e["resident_id"] for o in outcomes for e in o.evidence if "resident_id" in e}
        | {e["teacher_id"] for o in outcomes for e in o.evidence if "teacher_id" in e}
    )
    statuses = compliance.summary(outcomes)
    rows = []
    for standard in standards:
        mine = [o for o in outcomes if o.rule_id == standard.pk]
        for o in mine:
            o.department = names.get(o.department_id or 0, "")  # type: ignore[attr-defined]
            for e in o.evidence:
                if "resident_id" in e:
                    e["person"] = people.get(e["resident_id"], "")
                if "teacher_id" in e:
                    e["person"] = people.get(e["teacher_id"], "")
        rows.append(
            {
                "standard": standard,
                "status": statuses.get(standard.pk, compliance.MET),
                "outcomes": mine,
            }
        )
    missed = sum(1 for s in statuses.values() if s == compliance.MISSED)
    return Compliance(month.replace(day=1), rows, history, missed)


def missed_by_base(
    month: datetime.date, today: datetime.date, base_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Per base with active standards (all, or those of `base_ids`): the standards it misses in
    the month. Four queries for the whole consortium; the early warning and the dashboard."""
    queryset = Standard.objects.filter(is_active=True).select_related("base__institution")
    if base_ids is not None:
        queryset = queryset.filter(base_id__in=base_ids)
    standards = list(queryset)
    if not standards:
        return []
    bases = {s.base_id: s.base for s in standards}
    departments = list(
        Department.objects.filter(base_id__in=bases, is_active=True).values_list("pk", "base_id")
    )
    first, last = compliance.month_bounds(month)
    facts = facts_for(
        [d for d, _ in departments], compliance.facts_start(rules_of(standards), first), last
    )
    kind_id = orientation_kind_id()
    result = []
    for base_id in sorted(bases):
        mine = [s for s in standards if s.base_id == base_id]
        ids = {d for d, b in departments if b == base_id}
        base_facts = compliance.Facts(
            sorted(ids),
            [a for a in facts.activities if a.department_id in ids],
            [s for s in facts.stints if s.department_id in ids],
        )
        statuses = compliance.summary(
            compliance.evaluate(
                rules_of(mine), base_facts, month, today=today, orientation_kind_id=kind_id
            )
        )
        missed = sorted(rule_id for rule_id, s in statuses.items() if s == compliance.MISSED)
        result.append({"base": bases[base_id], "missed": len(missed), "standard_ids": missed})
    return result


# --------------------------------------------------------------------------- supervision


def _observation_scope(user: Any) -> Q:
    return (
        Q(supervisor_id=user.pk)
        | Q(activity__teacher_id=user.pk)
        | Q(rectifications__owner_id=user.pk)
        | Q(activity__department__base__in=base_list_managed_by(user))
    )


def observation_list_visible_to(user: Any) -> QuerySet[Observation]:
    if not _signed_in(user):
        return Observation.objects.none()
    queryset = Observation.objects.select_related(
        "activity__department__base__institution",
        "activity__kind",
        "activity__teacher",
        "supervisor",
        "pair",
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    ids = Observation.objects.filter(_observation_scope(user)).values("pk")
    return queryset.filter(pk__in=ids)


def observation_get_for_user_or_404(user: Any, pk: int) -> Observation:
    observation = observation_list_visible_to(user).filter(pk=pk).first()
    if observation is None:
        raise Http404
    return observation


def observable_activities(user: Any) -> QuerySet[Activity]:
    """Activities of the bases this person supervises, the latest first."""
    return (
        Activity.objects.filter(
            department__base_id__in=supervised_base_ids(user), status=ActivityStatus.SCHEDULED
        )
        .select_related("department__base", "kind", "teacher")
        .order_by("-starts_at", "-id")
    )


def observable_activity_get_or_404(user: Any, pk: int) -> Activity:
    activity = teaching_selectors.activity_list_visible_to(user).filter(pk=pk).first()
    if activity is None:
        activity = observable_activities(user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def owner_candidates(activity: Activity) -> QuerySet[User]:
    """Who may own a finding: the activity's teacher, the department's teachers, the base's
    directors."""
    department = activity.department
    teachers = Department.teachers.through.objects.filter(department_id=department.pk)
    return (
        User.objects.filter(
            Q(pk=activity.teacher_id)
            | Q(pk__in=teachers.values("user_id"))
            | Q(
                memberships__unit_id=department.base_id,
                memberships__role=Role.BASE_DIRECTOR,
                memberships__is_active=True,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def rectification_list_visible_to(user: Any) -> QuerySet[Rectification]:
    if not _signed_in(user):
        return Rectification.objects.none()
    queryset = Rectification.objects.select_related(
        "owner",
        "observation__supervisor",
        "observation__activity__department__base",
        "observation__activity__kind",
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(owner_id=user.pk)
        | Q(observation__supervisor_id=user.pk)
        | Q(observation__activity__department__base__in=base_list_managed_by(user))
    )


def rectification_get_for_user_or_404(user: Any, pk: int) -> Rectification:
    item = rectification_list_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def rectifications_due_for(user: Any) -> QuerySet[Rectification]:
    return rectification_list_visible_to(user).filter(
        owner_id=getattr(user, "pk", None), status=RectificationStatus.OPEN
    )


def overdue_rectifications(today: datetime.date) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        status=RectificationStatus.OPEN, deadline__lt=today
    ).select_related("owner", "observation__activity__department__base")


# --------------------------------------------------------------------------- self-assessment


def self_assessment_list_visible_to(user: Any) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(base__in=base_list_managed_by(user)).select_related(
        "base__institution", "indicator_list"
    )


def self_assessment_get_for_user_or_404(user: Any, pk: int) -> SelfAssessment:
    assessment = self_assessment_list_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404
    return assessment


def indicators_of(assessment: SelfAssessment) -> QuerySet[Indicator]:
    return Indicator.objects.filter(indicator_list_id=assessment.indicator_list_id)


def self_assessment_rows(assessment: SelfAssessment) -> list[dict[str, Any]]:
    """Each indicator with its score, comment and evidence: three queries."""
    scores = {s.indicator_id: s for s in SelfScore.objects.filter(assessment=assessment)}
    evidence: dict[int, list[Evidence]] = {}
    for e in Evidence.objects.filter(assessment=assessment):
        evidence.setdefault(e.indicator_id, []).append(e)
    rows = []
    for indicator in indicators_of(assessment):
        score = scores.get(indicator.pk)
        rows.append(
            {
                "indicator": indicator,
                "score": score.score if score else None,
                "comment": score.comment if score else "",
                "evidence": evidence.get(indicator.pk, []),
            }
        )
    return rows


def evidence_get_for_user_or_404(user: Any, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(assessment__in=self_assessment_list_visible_to(user), pk=pk)
        .select_related("assessment")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


# --------------------------------------------------------------------------- dashboard


def quality_dashboard(user: Any) -> dict[str, Any]:
    """The card: for those who manage bases (up to five with standards), the standards missed
    this month and the open rectifications; for an owner, their items due. Constant queries."""
    if not _signed_in(user):
        return {}
    today = timezone.localdate()
    due = list(rectifications_due_for(user).order_by("deadline", "id")[:5])
    base_ids = list(
        base_list_managed_by(user)
        .filter(quality_standards__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:5]
    )
    bases = missed_by_base(today, today, base_ids) if base_ids else []
    open_count = (
        Rectification.objects.filter(observation__activity__department__base_id__in=base_ids)
        .exclude(status=RectificationStatus.ACCEPTED)
        .count()
        if base_ids
        else 0
    )
    if not due and not bases:
        return {}
    return {"due": due, "bases": bases, "open_count": open_count}
