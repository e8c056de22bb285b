"""Reads about the tutor training requirement and trainees' insurance (decisions 092, 093),
scoped to the asking user by the callers' selectors and predicates."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    DateField,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core import tenancy
from tandem.cultivation import rules_training
from tandem.cultivation.models import (
    Stay,
    TraineeInsurance,
    TutorAssignment,
    TutorTraining,
    TutorTrainingRequirement,
)
from tandem.institutions.models import Institution

# The list of tutors short of the requirement shows at most this many (the largest
# institutions have a few hundred tutors); the count on the dashboard counts them all.
SHORT_LIST_LIMIT = 500


def requirement_for(institution_id: int) -> TutorTrainingRequirement | None:
    return TutorTrainingRequirement.objects.filter(institution_id=institution_id).first()


def first_joint_trainee_at(
    tutor: User, *, excluding_cultivation_id: int | None = None
) -> datetime.datetime | None:
    """When the tutor first took on a joint trainee (any role, any institution)."""
    assignments = TutorAssignment.objects.filter(tutor=tutor)
    if excluding_cultivation_id is not None:
        assignments = assignments.exclude(cultivation_id=excluding_cultivation_id)
    first: datetime.datetime | None = assignments.aggregate(first=Min("started_at"))["first"]
    return first


def attended_courses(tutor: User) -> list[str]:
    return list(TutorTraining.objects.filter(tutor=tutor).values_list("course", flat=True))


def new_tutor_missing_courses(
    tutor: User, institution_id: int, *, cultivation_id: int | None = None
) -> tuple[TutorTrainingRequirement | None, list[str]]:
    """The mandatory courses a new tutor at `institution_id` has not done (none for a tutor who
    is no longer new, or where the institution sets no courses)."""
    requirement = requirement_for(institution_id)
    if requirement is None or not requirement.course_list:
        return requirement, []
    first = first_joint_trainee_at(tutor, excluding_cultivation_id=cultivation_id)
    if not rules_training.is_new_tutor(first, requirement.new_tutor_months, timezone.now()):
        return requirement, []
    return requirement, rules_training.missing_courses(
        requirement.course_list, attended_courses(tutor)
    )


def _tutors_at(institution_id: int) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            institution_id=institution_id, role=Role.TUTOR, is_active=True
        ).values("user_id")
    )


def tutor_training_status(
    institution: Institution, today: datetime.date | None = None
) -> dict[str, Any]:
    """Every tutor of the institution measured against its requirement, in three queries:
    hours in the current period, whether they are new, which mandatory courses they lack."""
    requirement = requirement_for(institution.pk)
    if requirement is None:
        return {"requirement": None, "rows": [], "short": [], "period": None}
    today = today or timezone.localdate()
    start, end = rules_training.period_bounds(requirement.period_start_month, today)
    hours = (
        TutorTraining.objects.filter(tutor=OuterRef("pk"), date__gte=start, date__lt=end)
        .order_by()
        .values("tutor")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    first = (
        TutorAssignment.objects.filter(tutor=OuterRef("pk"))
        .order_by()
        .values("tutor")
        .annotate(first=Min("started_at"))
        .values("first")
    )
    tutors = list(
        _tutors_at(institution.pk)
        .annotate(
            period_hours=Coalesce(
                Subquery(hours),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=7, decimal_places=1),
            ),
            first_trainee_at=Subquery(first),
        )
        .order_by("full_name", "username")[:SHORT_LIST_LIMIT]
    )
    courses: dict[int, list[str]] = {}
    mandatory = requirement.course_list
    if mandatory:
        for tutor_id, course in TutorTraining.objects.filter(
            tutor_id__in=[t.pk for t in tutors]
        ).values_list("tutor_id", "course"):
            courses.setdefault(tutor_id, []).append(course)
    now = timezone.now()
    rows = []
    for tutor in tutors:
        is_new = rules_training.is_new_tutor(
            tutor.first_trainee_at,  # type: ignore[attr-defined]
            requirement.new_tutor_months,
            now,
        )
        missing = (
            rules_training.missing_courses(mandatory, courses.get(tutor.pk, [])) if is_new else []
        )
        short = rules_training.hours_short(
            requirement.hours_per_period,
            tutor.period_hours,  # type: ignore[attr-defined]
        )
        rows.append(
            {
                "tutor": tutor,
                "hours": tutor.period_hours,  # type: ignore[attr-defined]
                "hours_short": short,
                "is_new": is_new,
                "missing_courses": missing,
                "is_short": bool(short) or bool(missing),
            }
        )
    return {
        "requirement": requirement,
        "rows": rows,
        "short": [row for row in rows if row["is_short"]],
        "period": (start, end - datetime.timedelta(days=1)),
    }


def tutors_short_by_institution(user: Any) -> list[dict[str, Any]]:
    """For the coordinator's dashboard: each institution they coordinate, and how many of its
    tutors are short of its requirement (three queries per institution; a coordinator has one
    or two). A consortium admin opens each institution's page instead."""
    rows: list[dict[str, Any]] = []
    ids = tenancy.coordinated_institution_ids(user)
    if not ids:
        return rows
    for institution in Institution.objects.filter(pk__in=ids).order_by("name"):
        status = tutor_training_status(institution)
        rows.append(
            {
                "institution": institution,
                "has_requirement": status["requirement"] is not None,
                "short": len(status["short"]),
            }
        )
    return rows


def insurance_list_for(trainee: User) -> QuerySet[TraineeInsurance]:
    """The insurance records of a trainee the caller has already fetched through a selector."""
    return TraineeInsurance.objects.filter(trainee=trainee).select_related("recorded_by")


def insured_on(trainee_id: int, day: datetime.date) -> bool:
    return TraineeInsurance.objects.filter(
        trainee_id=trainee_id, valid_from__lte=day, valid_until__gte=day
    ).exists()


def training_status_of(tutor: User, institution_ids: set[int]) -> list[dict[str, Any]]:
    """For the tutor's own trainings page: each of their institutions' requirements and where
    the tutor stands against it (hours this period, mandatory courses still to do)."""
    requirements = list(
        TutorTrainingRequirement.objects.filter(institution_id__in=institution_ids)
        .select_related("institution")
        .order_by("institution__name")
    )
    if not requirements:
        return []
    today = timezone.localdate()
    trainings = list(
        TutorTraining.objects.filter(tutor=tutor).values_list("course", "date", "hours")
    )
    first = first_joint_trainee_at(tutor)
    rows = []
    for requirement in requirements:
        start, end = rules_training.period_bounds(requirement.period_start_month, today)
        hours = sum((h for _c, d, h in trainings if start <= d < end), Decimal("0"))
        is_new = rules_training.is_new_tutor(first, requirement.new_tutor_months, timezone.now())
        rows.append(
            {
                "requirement": requirement,
                "hours": hours,
                "hours_short": rules_training.hours_short(requirement.hours_per_period, hours),
                "is_new": is_new,
                "missing_courses": rules_training.missing_courses(
                    requirement.course_list, [c for c, _d, _h in trainings]
                )
                if is_new
                else [],
                "period": (start, end - datetime.timedelta(days=1)),
            }
        )
    return rows


def host_stays_uninsured(today: datetime.date, within_days: int) -> QuerySet[Any]:
    """For the early warning, one query for the whole consortium: stays at the host of
    approved or active joint cultivations, under an agreement requiring insurance before a
    stay starts, beginning within `within_days` (or already begun and not ended), with no
    insurance of the trainee on file valid on their first day (today, if begun)."""
    first_day = Greatest(F("start"), Value(today, output_field=DateField()))
    covered = TraineeInsurance.objects.filter(
        trainee_id=OuterRef("cultivation__trainee_id"),
        valid_from__lte=OuterRef("first_day"),
        valid_until__gte=OuterRef("first_day"),
    )
    return (
        Stay.objects.filter(
            institution_id=F("cultivation__host_id"),
            cultivation__status__in=("approved", "active"),
            cultivation__agreement__insurance_required=True,
            cultivation__agreement__stay_may_start_uninsured=False,
            end__gte=today,
            start__lte=today + datetime.timedelta(days=within_days),
        )
        .annotate(first_day=first_day)
        .exclude(Exists(covered))
        .values(
            "id",
            "start",
            "cultivation_id",
            "cultivation__home_id",
            "cultivation__trainee_id",
            "cultivation__trainee__full_name",
            "cultivation__trainee__username",
            "institution__name",
            "institution__name_zh",
        )
        .order_by("start", "id")
    )
