"""The teachers' API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.lookups import IdResolver
from tandem.faculty import permissions, selectors, services, texts, workload
from tandem.faculty.qualification import reasons_not_qualified
from tandem.faculty.schemas import (
    FacultyAssignmentIn,
    FacultyAssignmentOut,
    FacultyGoalIn,
    FacultyGoalOut,
    FacultyPlanOut,
    FacultyProfileDetailOut,
    FacultyProfileIn,
    FacultyProfileOut,
    FacultyReviewIn,
    FacultyTrainingIn,
    FacultyTrainingOut,
    FacultyWorkloadOut,
)

router = Router(tags=["faculty"])


def _detail(profile: Any) -> Any:
    policy = selectors.policy_of(selectors.policy_row(profile.base))
    reasons = reasons_not_qualified(selectors.facts_of(profile), policy, timezone.localdate())
    profile.qualified = not reasons
    profile.reasons = [texts.reason_text(r) for r in reasons]
    return profile


def _load_out(profile: Any, load: Any, year: int) -> dict[str, Any]:
    return {
        "teacher_id": profile.teacher_id,
        "profile_id": profile.pk,
        "year": year,
        "activities": load.activities,
        "residents": load.residents,
        "wbas": load.wbas,
        "verifications": load.verifications,
        "evaluation_responses": load.evaluation_responses,
        "evaluation_mean": load.evaluation_mean,
    }


def _year(year: int | None) -> int:
    if year is None or not 2000 <= year <= 2100:
        return timezone.localdate().year
    return year


@router.get(
    "/profiles",
    response={200: list[FacultyProfileOut], **ERRORS},
    operation_id="faculty_profile_list",
)
@paginate(Pagination)
def profile_list(request: HttpRequest) -> Any:
    """The teacher profiles the caller sees: their own, and those of the bases they manage."""
    return selectors.profile_list_visible_to(request.user).order_by("base_id", "id")


@router.get(
    "/profiles/{profile_id}",
    response={200: FacultyProfileDetailOut, **ERRORS},
    operation_id="faculty_profile_get",
)
def profile_get(request: HttpRequest, profile_id: int) -> Any:
    """A profile with its qualification today and, when not qualified, every reason."""
    return _detail(selectors.profile_get_for_user_or_404(request.user, profile_id))


@router.post(
    "/bases/{base_id}/profiles",
    response={201: FacultyProfileDetailOut, **ERRORS},
    operation_id="faculty_profile_create",
)
def profile_create(request: HttpRequest, base_id: int, payload: FacultyProfileIn) -> Any:
    base = selectors.base_get_for_user_or_404(request.user, base_id)
    ids = IdResolver()
    teacher = ids.one("teacher_id", selectors.profile_candidates(base), payload.teacher_id)
    ids.check()
    values = payload.dict(exclude={"teacher_id"})
    profile = services.profile_create(actor=request.user, base=base, teacher=teacher, **values)
    return Status(201, _detail(profile))


@router.post(
    "/profiles/{profile_id}/trainings",
    response={201: FacultyTrainingOut, **ERRORS},
    operation_id="faculty_training_record",
)
def training_record(request: HttpRequest, profile_id: int, payload: FacultyTrainingIn) -> Any:
    profile = selectors.profile_get_for_user_or_404(request.user, profile_id)
    record = services.training_record(actor=request.user, profile=profile, **payload.dict())
    return Status(201, record)


@router.get(
    "/profiles/{profile_id}/workload",
    response={200: FacultyWorkloadOut, **ERRORS},
    operation_id="faculty_workload_get",
)
def workload_get(request: HttpRequest, profile_id: int, year: int | None = None) -> Any:
    """The teacher's workload at the profile's base in a year (default: this year)."""
    profile = selectors.profile_get_for_user_or_404(request.user, profile_id)
    year = _year(year)
    loads = workload.workload_of([profile.teacher_id], profile.base_id, workload.year_period(year))
    return _load_out(profile, loads[profile.teacher_id], year)


@router.get(
    "/bases/{base_id}/workload",
    response={200: list[FacultyWorkloadOut], **ERRORS},
    operation_id="faculty_base_workload",
)
def base_workload(request: HttpRequest, base_id: int, year: int | None = None) -> Any:
    """Every teacher of a base and their workload in a year: for the base's managers."""
    base = selectors.base_get_for_user_or_404(request.user, base_id)
    year = _year(year)
    rows = workload.rows_for(selectors.profiles_of_base(base), workload.year_period(year))
    return [_load_out(row["profile"], row["load"], year) for row in rows]


@router.get(
    "/assignments",
    response={200: list[FacultyAssignmentOut], **ERRORS},
    operation_id="faculty_assignment_list",
)
@paginate(Pagination)
def assignment_list(request: HttpRequest) -> Any:
    """Responsible-teacher assignments the caller sees (as teacher, resident or manager)."""
    return selectors.assignment_list_visible_to(request.user).order_by("-starts_on", "id")


@router.post(
    "/assignments",
    response={201: FacultyAssignmentOut, **ERRORS},
    operation_id="faculty_assignment_create",
)
def assignment_create(request: HttpRequest, payload: FacultyAssignmentIn) -> Any:
    """Make a teacher responsible for a resident's stint in a department; refused with the
    reason for an unqualified teacher or one at their limit of residents at once."""
    bases = selectors.base_list_managed_by(request.user)
    if not bases.exists():
        raise PermissionDenied(
            _("Only the training office or the base's director assigns responsible teachers.")
        )
    ids = IdResolver()
    department = ids.one(
        "department_id",
        selectors.department_choices_of_base_ids(bases.values("pk")),
        payload.department_id,
    )
    member = ids.one(
        "member_id",
        selectors.member_choices_of_base_ids(bases.values("pk")),
        payload.member_id,
    )
    teacher = ids.one(
        "teacher_id",
        selectors.teacher_choices_of_base_ids(bases.values("pk")),
        payload.teacher_id,
    )
    ids.check()
    if department is None or not permissions.can_assign_in(request.user, department):
        raise PermissionDenied(
            _("Only the training office or the base's director assigns responsible teachers.")
        )
    assignment = services.responsible_assign(
        actor=request.user,
        member=member,
        department=department,
        teacher=teacher,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, assignment)


@router.get(
    "/plans/{plan_id}", response={200: FacultyPlanOut, **ERRORS}, operation_id="faculty_plan_get"
)
def plan_get(request: HttpRequest, plan_id: int) -> Any:
    return selectors.plan_get_for_user_or_404(request.user, plan_id)


@router.post(
    "/plans/{plan_id}/goals",
    response={201: FacultyGoalOut, **ERRORS},
    operation_id="faculty_goal_add",
)
def goal_add(request: HttpRequest, plan_id: int, payload: FacultyGoalIn) -> Any:
    plan = selectors.plan_get_for_user_or_404(request.user, plan_id)
    goal = services.goal_add(
        actor=request.user, plan=plan, text=payload.text, target=payload.target
    )
    return Status(201, goal)


@router.post(
    "/plans/{plan_id}/review",
    response={200: FacultyPlanOut, **ERRORS},
    operation_id="faculty_plan_review",
)
def plan_review(request: HttpRequest, plan_id: int, payload: FacultyReviewIn) -> Any:
    plan = selectors.plan_get_for_user_or_404(request.user, plan_id)
    goals = {g.goal_id: (g.status, g.note) for g in payload.goals}
    return services.plan_review(actor=request.user, plan=plan, note=payload.note, goals=goals)
