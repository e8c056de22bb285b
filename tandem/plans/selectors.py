"""Reads about training plans and milestones, always scoped through the cultivation selector:
a plan is visible exactly when its joint cultivation is."""

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.core import tenancy
from tandem.core.unions import pk_in_any
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.cultivation.selectors import (
    cultivation_get_for_user_or_404,
    cultivation_list_visible_to,
)
from tandem.plans import permissions
from tandem.plans.models import (
    MilestoneStatus,
    MilestoneSubmission,
    MilestoneWindow,
    PlanCourse,
    PlanMilestone,
    PlanSignature,
    PlanVersion,
    TrainingPlan,
    VersionStatus,
)
from tandem.plans.rules import PERSONAL_REASONS


def today() -> datetime.date:
    return timezone.localdate()


def plan_list_visible_to(user: Any) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(cultivation__in=cultivation_list_visible_to(user))


def cultivation_list_for_plans_page(user: Any, *, search: str = "", state: str = "") -> QuerySet:
    """The joint cultivations the person may see, with their plan, for the plans home page."""
    queryset = cultivation_list_visible_to(user).select_related(
        "trainee", "home", "host", "training_plan", "training_plan__current_version"
    )
    if search:
        queryset = queryset.filter(
            Q(trainee__full_name__icontains=search)
            | Q(trainee__username__icontains=search)
            | Q(research_topic__icontains=search)
        )
    if state == "none":
        queryset = queryset.filter(training_plan__isnull=True)
    elif state == "signed":
        queryset = queryset.filter(training_plan__current_version__isnull=False)
    elif state == "open":
        queryset = queryset.filter(
            training_plan__versions__status__in=[VersionStatus.DRAFT, VersionStatus.AWAITING]
        )
    return queryset.order_by("trainee__full_name", "pk")


def _versions_queryset() -> QuerySet[PlanVersion]:
    return PlanVersion.objects.select_related("created_by", "confidential_note").prefetch_related(
        Prefetch("signatures", queryset=PlanSignature.objects.select_related("tutor")),
        Prefetch("courses", queryset=PlanCourse.objects.select_related("institution")),
        Prefetch("windows", queryset=MilestoneWindow.objects.select_related("milestone")),
    )


def plan_for_cultivation(cultivation: JointCultivation) -> TrainingPlan | None:
    """The plan of a cultivation the caller already reached through the cultivation selector,
    with its versions, courses, windows, signatures and milestones loaded."""
    return (
        TrainingPlan.objects.filter(cultivation=cultivation)
        .select_related("current_version", "created_by")
        .prefetch_related(
            Prefetch("versions", queryset=_versions_queryset().order_by("number")),
            Prefetch("milestones", queryset=_milestones_queryset()),
        )
        .first()
    )


def _milestones_queryset() -> QuerySet[PlanMilestone]:
    return PlanMilestone.objects.prefetch_related(
        Prefetch(
            "submissions",
            queryset=MilestoneSubmission.objects.select_related(
                "submitted_by", "reviewed_by"
            ).prefetch_related("evidence"),
        )
    ).order_by("latest", "id")


def open_version(plan: TrainingPlan | None) -> PlanVersion | None:
    if plan is None:
        return None
    return next((v for v in plan.versions.all() if v.is_open), None)


def plan_get_for_user_or_404(user: Any, cultivation: JointCultivation) -> TrainingPlan:
    """The plan of a cultivation the user has reached (404 while it has none)."""
    return get_object_or_404(plan_list_visible_to(user), cultivation=cultivation)


def version_get_for_user_or_404(user: Any, cultivation_pk: int, number: int) -> PlanVersion:
    cultivation = cultivation_get_for_user_or_404(user, cultivation_pk)
    return get_object_or_404(
        _versions_queryset().select_related("plan", "plan__cultivation"),
        plan__cultivation=cultivation,
        number=number,
    )


def milestone_list_visible_to(user: Any) -> QuerySet[PlanMilestone]:
    return PlanMilestone.objects.filter(plan__cultivation__in=cultivation_list_visible_to(user))


def milestone_get_for_user_or_404(user: Any, cultivation_pk: int, pk: int) -> PlanMilestone:
    cultivation = cultivation_get_for_user_or_404(user, cultivation_pk)
    milestone = get_object_or_404(
        _milestones_queryset().select_related("plan"), plan__cultivation=cultivation, pk=pk
    )
    milestone.plan.cultivation = cultivation
    return milestone


def evidence_get_for_user_or_404(
    user: Any, cultivation_pk: int, milestone_pk: int, evidence_pk: int
) -> Any:
    milestone = milestone_get_for_user_or_404(user, cultivation_pk, milestone_pk)
    for submission in milestone.submissions.all():
        for evidence in submission.evidence.all():
            if evidence.pk == evidence_pk:
                return evidence
    raise Http404


def _overdue(queryset: QuerySet[PlanMilestone], on: datetime.date) -> QuerySet[PlanMilestone]:
    return queryset.filter(latest__lt=on).exclude(status=MilestoneStatus.PASSED)


def overdue_milestones_visible_to(user: Any, *, on: datetime.date | None = None) -> QuerySet:
    """Overdue milestones (latest date passed, not passed) that concern this person: their own
    as trainee, those of trainees they tutor now, and those at institutions they coordinate;
    consortium admins see all."""
    on = on or today()
    queryset = _overdue(PlanMilestone.objects.all(), on)
    if not tenancy.is_consortium_admin(user):
        coordinated = tenancy.coordinated_institution_ids(user)
        # The cultivations concerned first, as indexed branches (one OR across the joins to
        # the pairs made PostgreSQL read every milestone, plan and cultivation).
        concerned = pk_in_any(
            JointCultivation.objects.filter(
                Q(trainee=user) | Q(home_id__in=coordinated) | Q(host_id__in=coordinated)
            ).values("pk"),
            TutorAssignment.objects.filter(tutor=user, ended_at__isnull=True).values(
                "cultivation_id"
            ),
        )
        queryset = queryset.filter(plan__cultivation__in=JointCultivation.objects.filter(concerned))
    return queryset.select_related(
        "plan__cultivation__trainee", "plan__cultivation__home", "plan__cultivation__host"
    ).order_by("latest", "id")


def next_milestone(cultivation: JointCultivation) -> PlanMilestone | None:
    """The next milestone in force that is not done: the earliest `latest` date first."""
    return (
        PlanMilestone.objects.filter(plan__cultivation=cultivation, latest__isnull=False)
        .exclude(status__in=[MilestoneStatus.PASSED, MilestoneStatus.FAILED])
        .order_by("latest", "id")
        .first()
    )


def is_overdue(milestone: PlanMilestone, on: datetime.date | None = None) -> bool:
    return (
        milestone.latest is not None
        and milestone.latest < (on or today())
        and milestone.status != MilestoneStatus.PASSED
    )


def version_reason_for(user: Any, version: PlanVersion, cultivation: JointCultivation) -> dict:
    """What this person may read of a version's reason: {"text", "confidential", "note"}.

    For a health-related change `note` is the confidential text when the person may read it,
    else None; `text` is what to show everyone."""
    if version.reason_kind != "health":
        return {"text": version.change_reason, "confidential": False, "note": None}
    note = getattr(version, "confidential_note", None)
    allowed = permissions.can_read_confidential(user, cultivation)
    return {
        "text": str(PERSONAL_REASONS),
        "confidential": True,
        "note": note.text if (allowed and note is not None) else None,
    }


def plans_dashboard(user: Any) -> dict[str, Any]:
    """For the dashboard card: the overdue milestones that concern this person (at most ten)
    and how many there are. Two queries whatever the data."""
    overdue = overdue_milestones_visible_to(user)
    return {"overdue": list(overdue[:10]), "overdue_count": overdue.count()}


def next_milestones_for(cultivation_ids: list[int]) -> dict[int, PlanMilestone]:
    """`next_milestone` for many cultivations at once, in one query (for tutor workspaces)."""
    result: dict[int, PlanMilestone] = {}
    milestones = (
        PlanMilestone.objects.filter(plan__cultivation_id__in=cultivation_ids, latest__isnull=False)
        .exclude(status__in=[MilestoneStatus.PASSED, MilestoneStatus.FAILED])
        .select_related("plan")
        .order_by("latest", "id")
    )
    for milestone in milestones:
        result.setdefault(milestone.plan.cultivation_id, milestone)
    return result


def plan_started_for(cultivation_ids: list[int]) -> set[int]:
    """Which of these cultivations have a training plan, in one query (tutor workspaces)."""
    return set(
        TrainingPlan.objects.filter(cultivation_id__in=cultivation_ids).values_list(
            "cultivation_id", flat=True
        )
    )


def milestones_to_review_for(cultivation_ids: list[int]) -> dict[int, int]:
    """How many submitted milestones wait for a tutor's sign-off, per cultivation, in one query."""
    rows = (
        PlanMilestone.objects.filter(
            plan__cultivation_id__in=cultivation_ids, status=MilestoneStatus.SUBMITTED
        )
        .order_by()
        .values_list("plan__cultivation_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)
