"""Every read of milestones and the competency committee, scoped to the reader.

Milestone sets are not confidential: the built-in sets are read by everyone signed in, a
hospital's sets by the people of the hospital and its partners. A committee and its reviews are
seen by its members, the coordinators of the program's hospital and consortium admins; the
resident sees their own finalised summaries only; everyone else gets the same 404.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User
from tandem.alerts.selectors import active_warnings_of_trainee
from tandem.alerts.texts import warning_text
from tandem.assessments.selectors import assessment_results_of_resident, wba_counts_of_resident
from tandem.core import tenancy
from tandem.evaluations.results import entrustment_for_target, trend_for_target
from tandem.logbook.progress import period_progress
from tandem.milestones.models import (
    Committee,
    CommitteeMember,
    Epa,
    MilestoneSet,
    Rating,
    ResidentReview,
    Review,
    ReviewStatus,
    Subcompetency,
)
from tandem.residency.models import CohortMember, Program
from tandem.teaching.selectors import period_attendance_share

FACULTY_ROLES = (Role.TEACHER, Role.TUTOR, Role.BASE_DIRECTOR, Role.COORDINATOR)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --------------------------------------------------------------------------- sets


def set_list_visible_to(user: Any) -> QuerySet[MilestoneSet]:
    queryset = MilestoneSet.objects.select_related("institution")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(institution__isnull=True) | Q(institution_id__in=tenancy.reach_institution_ids(user))
    )


def set_get_for_user_or_404(user: Any, pk: int) -> MilestoneSet:
    found = set_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def subcompetencies_of(milestone_set: MilestoneSet) -> QuerySet[Subcompetency]:
    return milestone_set.subcompetencies.prefetch_related("levels")


def epas_of(milestone_set: MilestoneSet) -> QuerySet[Epa]:
    return milestone_set.epas.all()


def sets_for_program(user: Any, program: Program) -> QuerySet[MilestoneSet]:
    """The sets a review of this program may use: its specialty's, the hospital's or built in."""
    return set_list_visible_to(user).filter(
        Q(institution__isnull=True) | Q(institution_id=program.institution_id),
        specialty=program.specialty,
    )


# --------------------------------------------------------------------------- committees


def faculty_of_institution(institution_id: int) -> QuerySet[User]:
    """Who may sit on a committee of a program of this hospital: its teachers, tutors, base
    directors and coordinators (active memberships)."""
    return (
        User.objects.filter(
            memberships__role__in=FACULTY_ROLES,
            memberships__institution_id=institution_id,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def _committee_scope(user: Any) -> Q:
    return Q(members__user_id=user.pk) | Q(
        program__institution_id__in=tenancy.coordinated_institution_ids(user)
    )


def committee_list_visible_to(user: Any) -> QuerySet[Committee]:
    queryset = Committee.objects.select_related("program__institution", "chair").prefetch_related(
        Prefetch("members", CommitteeMember.objects.select_related("user"))
    )
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    ids = Committee.objects.filter(_committee_scope(user)).values("pk")
    return queryset.filter(pk__in=ids)


def committee_get_for_user_or_404(user: Any, pk: int) -> Committee:
    found = committee_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def programs_without_committee(user: Any) -> QuerySet[Program]:
    """The programs of the hospitals this person coordinates that have no committee yet."""
    queryset = Program.objects.filter(competency_committee__isnull=True).select_related(
        "institution"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(institution_id__in=tenancy.coordinated_institution_ids(user))


def program_for_committee_or_404(user: Any, pk: int) -> Program:
    found = programs_without_committee(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def residents_of_program(program: Program) -> list[CohortMember]:
    """One cohort membership per resident of the program (the latest cohort's)."""
    seen: dict[int, CohortMember] = {}
    for member in (
        CohortMember.objects.filter(program=program)
        .select_related("resident", "cohort")
        .order_by("resident__full_name", "-cohort__created_at", "-id")
    ):
        seen.setdefault(member.resident_id, member)
    return list(seen.values())


# --------------------------------------------------------------------------- reviews


def review_list_visible_to(user: Any) -> QuerySet[Review]:
    return (
        Review.objects.filter(committee__in=committee_list_visible_to(user).values("pk"))
        .select_related("committee__program", "milestone_set")
        .annotate(
            resident_count=Count("residents", distinct=True),
            finalised_count=Count(
                "residents", filter=Q(residents__status=ReviewStatus.FINALISED), distinct=True
            ),
        )
    )


def review_get_for_user_or_404(user: Any, pk: int) -> Review:
    found = review_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def resident_reviews_of(review: Review) -> QuerySet[ResidentReview]:
    return review.residents.select_related("resident", "finalised_by").annotate(
        rating_count=Count("ratings")
    )


def _rr_queryset() -> QuerySet[ResidentReview]:
    return ResidentReview.objects.select_related(
        "review__committee__program__institution",
        "review__committee__chair",
        "review__milestone_set",
        "resident",
        "member",
        "plan_owner",
        "finalised_by",
    ).prefetch_related(
        Prefetch("review__committee__members", CommitteeMember.objects.select_related("user"))
    )


def resident_review_get_for_user_or_404(user: Any, pk: int) -> ResidentReview:
    """The committee's side of one resident's review: members and coordinators only."""
    visible = committee_list_visible_to(user).values("pk")
    found = _rr_queryset().filter(pk=pk, review__committee__in=visible).first()
    if found is None:
        raise Http404
    return found


def summary_list_of_resident(user: Any) -> QuerySet[ResidentReview]:
    """The caller's own finalised summaries, newest first."""
    if not _signed_in(user):
        return ResidentReview.objects.none()
    return (
        _rr_queryset()
        .filter(resident_id=user.pk, status=ReviewStatus.FINALISED)
        .order_by("-review__period_end", "-id")
    )


def summary_get_for_user_or_404(user: Any, pk: int) -> ResidentReview:
    """A finalised summary: for its resident, the members and the coordinators."""
    if not _signed_in(user):
        raise Http404
    visible = committee_list_visible_to(user).values("pk")
    found = (
        _rr_queryset()
        .filter(
            Q(resident_id=user.pk) | Q(review__committee__in=visible),
            pk=pk,
            status=ReviewStatus.FINALISED,
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def ratings_of(resident_review: ResidentReview) -> QuerySet[Rating]:
    return resident_review.ratings.select_related("rater", "subcompetency", "epa")


def my_ratings(resident_review: ResidentReview, user: Any) -> dict[str, dict[int, Rating]]:
    found: dict[str, dict[int, Rating]] = {"sub": {}, "epa": {}}
    for rating in resident_review.ratings.filter(rater_id=getattr(user, "pk", None)):
        if rating.subcompetency_id:
            found["sub"][rating.subcompetency_id] = rating
        elif rating.epa_id:
            found["epa"][rating.epa_id] = rating
    return found


def reviews_to_do(user: Any) -> QuerySet[ResidentReview]:
    """Open resident reviews of the committees this person sits on that they have not rated."""
    if not _signed_in(user):
        return ResidentReview.objects.none()
    rated = Rating.objects.filter(resident_review=OuterRef("pk"), rater_id=user.pk)
    return (
        ResidentReview.objects.filter(
            status=ReviewStatus.OPEN, review__committee__members__user_id=user.pk
        )
        .exclude(Exists(rated))
        .select_related("review", "resident")
        .order_by("review__due_on", "resident__full_name")
    )


# --------------------------------------------------------------------------- evidence


@dataclass
class Evidence:
    """Everything Tandem holds about a resident in a review period, aggregates only."""

    evaluations: list[dict[str, Any]] = field(default_factory=list)
    entrustment: list[dict[str, Any]] = field(default_factory=list)
    wbas: list[dict[str, Any]] = field(default_factory=list)
    logbook: Any = None
    assessments: list[Any] = field(default_factory=list)
    attended: int = 0
    attendance_due: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def attendance_percent(self) -> int | None:
        if not self.attendance_due:
            return None
        return round(100 * self.attended / self.attendance_due)


def _in_period(day: Any, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


def evidence_for(resident_review: ResidentReview) -> Evidence:
    """A fixed number of queries whatever the amount of evidence. Evaluation results are the
    engine's released aggregates, with its anonymity threshold; never a single answer."""
    review = resident_review.review
    start, end = review.period_start, review.period_end
    resident = resident_review.resident
    evaluations = [
        row
        for row in trend_for_target(resident)
        if _in_period(row["response__round__opens_on"], start, end)
    ]
    attended, due = period_attendance_share(resident.pk, start, end)
    warnings = [
        {"text": warning_text(w), "opened_at": w.opened_at, "rule": w.get_rule_display()}
        for w in active_warnings_of_trainee(resident.pk)
    ]
    return Evidence(
        evaluations=evaluations,
        entrustment=entrustment_for_target(resident, start, end),
        wbas=wba_counts_of_resident(resident.pk, start, end),
        logbook=period_progress(resident_review.member),
        assessments=list(assessment_results_of_resident(resident.pk, start, end)),
        attended=attended,
        attendance_due=due,
        warnings=warnings,
    )


# --------------------------------------------------------------------------- trends


def trend_of_resident(resident_id: int, upto: ResidentReview | None = None) -> dict[str, Any]:
    """The committee's levels per subcompetency over the resident's finalised reviews, oldest
    first: {"reviews": [labels], "rows": [{"code", "name", "levels": [level or None]}]}."""
    reviews = list(
        ResidentReview.objects.filter(resident_id=resident_id, status=ReviewStatus.FINALISED)
        .select_related("review__milestone_set")
        .order_by("review__period_end", "id")
    )
    if upto is not None:
        reviews = [r for r in reviews if r.review.period_end <= upto.review.period_end]
    set_ids = {r.review.milestone_set_id for r in reviews}
    names: dict[str, Subcompetency] = {}
    for sub in Subcompetency.objects.filter(milestone_set_id__in=set_ids).order_by(
        "position", "code"
    ):
        names.setdefault(sub.code, sub)
    rows = []
    for code, sub in names.items():
        levels = [(r.summary.get("subcompetencies") or {}).get(code) for r in reviews]
        rows.append({"code": code, "name": str(sub), "levels": levels})
    return {"reviews": [r.review.label for r in reviews], "rows": rows}


def trend_chart(trend: dict[str, Any], width: int = 320, height: int = 120) -> list[dict[str, Any]]:
    """Per subcompetency the points of a small SVG line chart (levels 1–5 on the y axis)."""
    count = len(trend["reviews"])
    step = (width - 40) / max(1, count - 1)
    charts = []
    for row in trend["rows"]:
        points = []
        for index, level in enumerate(row["levels"]):
            if level is None:
                continue
            x = 20 + index * step if count > 1 else width / 2
            y = height - 15 - (level - 1) * (height - 30) / 4
            points.append({"x": round(x, 1), "y": round(y, 1), "level": level})
        charts.append(
            {**row, "points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points)}
        )
    return charts


# --------------------------------------------------------------------------- dashboard


def milestones_dashboard(user: Any) -> dict[str, Any]:
    if not _signed_in(user):
        return {}
    latest = summary_list_of_resident(user).first()
    return {"to_do": reviews_to_do(user).count(), "latest": latest}
