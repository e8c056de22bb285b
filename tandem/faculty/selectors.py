"""Every read of the teachers' data, scoped to the reader.

A teacher sees their own profiles, training, plans and the stints they are responsible for; a
resident sees their own responsible teachers; the managers of a base (the hospital's training
office, the base's director) and consortium admins see the base's teachers. Lookups are built on
the visible-to querysets: the same 404 for missing and not yours.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Role, User
from tandem.core import tenancy
from tandem.faculty.models import (
    DevelopmentPlan,
    PlanGoal,
    ResponsibleTeacher,
    TeacherPolicy,
    TeacherProfile,
)
from tandem.faculty.qualification import Facts, Policy, reasons_not_qualified
from tandem.institutions.models import Unit
from tandem.residency.models import CohortMember, Department
from tandem.residency.stints import Stint, stints_of_members
from tandem.teaching import selectors as teaching_selectors


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def base_list_managed_by(user: Any) -> QuerySet[Unit]:
    return teaching_selectors.base_list_managed_by(user)


def base_get_for_user_or_404(user: Any, pk: int) -> Unit:
    return teaching_selectors.base_get_for_user_or_404(user, pk)


def _managed(user: Any, base_field: str) -> Q:
    if tenancy.is_consortium_admin(user):
        return Q()
    return Q(**{f"{base_field}__in": base_list_managed_by(user).values("pk")})


def profile_list_visible_to(user: Any) -> QuerySet[TeacherProfile]:
    queryset = TeacherProfile.objects.select_related("teacher", "base", "base__institution")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(Q(teacher_id=user.pk) | _managed(user, "base"))


def profile_get_for_user_or_404(user: Any, pk: int) -> TeacherProfile:
    profile = profile_list_visible_to(user).filter(pk=pk).first()
    if profile is None:
        raise Http404
    return profile


def profiles_of_base(base: Unit) -> QuerySet[TeacherProfile]:
    return (
        TeacherProfile.objects.filter(base=base)
        .select_related("teacher", "base")
        .order_by("teacher__full_name", "teacher__username", "id")
    )


def own_profiles(user: Any) -> QuerySet[TeacherProfile]:
    if not _signed_in(user):
        return TeacherProfile.objects.none()
    return TeacherProfile.objects.filter(teacher_id=user.pk).select_related("base")


def policy_row(base: Unit) -> TeacherPolicy:
    """The base's policy, or an unsaved one with the defaults."""
    found = TeacherPolicy.objects.filter(base=base).first()
    return found or TeacherPolicy(base=base)


def policy_of(row: TeacherPolicy) -> Policy:
    return Policy(
        min_attending_years=row.min_attending_years,
        certificate_required=row.certificate_required,
        max_residents_general=row.max_residents_general,
        max_residents_key=row.max_residents_key,
    )


def policies_by_base(base_ids: Any) -> dict[int, Policy]:
    """Every base's policy in one query (the defaults for a base without a row)."""
    rows = {
        row.base_id: policy_of(row) for row in TeacherPolicy.objects.filter(base_id__in=base_ids)
    }
    return defaultdict(Policy, rows)


def facts_of(profile: TeacherProfile) -> Facts:
    return Facts(
        is_active=profile.is_active,
        attending_since=profile.attending_since,
        certificate_number=profile.certificate_number,
        certificate_issued_on=profile.certificate_issued_on,
        certificate_expires_on=profile.certificate_expires_on,
    )


def profile_candidates(base: Unit) -> QuerySet[User]:
    """People who may get a teacher profile at a base: the teachers of its departments and the
    teachers, tutors, base directors and coordinators of its hospital."""
    departments = Department.objects.filter(base=base).values("pk")
    return teaching_selectors.teacher_candidates(departments)


def plan_list_visible_to(user: Any) -> QuerySet[DevelopmentPlan]:
    return DevelopmentPlan.objects.filter(
        profile__in=profile_list_visible_to(user).values("pk")
    ).select_related("profile", "profile__teacher", "profile__base", "reviewed_by")


def plan_get_for_user_or_404(user: Any, pk: int) -> DevelopmentPlan:
    plan = plan_list_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def goal_get_for_user_or_404(user: Any, pk: int) -> PlanGoal:
    goal = (
        PlanGoal.objects.filter(pk=pk, plan__in=plan_list_visible_to(user).values("pk"))
        .select_related("plan", "plan__profile", "plan__profile__base")
        .first()
    )
    if goal is None:
        raise Http404
    return goal


def assignment_list_visible_to(user: Any) -> QuerySet[ResponsibleTeacher]:
    queryset = ResponsibleTeacher.objects.select_related(
        "teacher", "resident", "department", "department__base"
    )
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(teacher_id=user.pk) | Q(resident_id=user.pk) | _managed(user, "department__base")
    )


def assignment_get_for_user_or_404(user: Any, pk: int) -> ResponsibleTeacher:
    found = assignment_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def live_assignments() -> QuerySet[ResponsibleTeacher]:
    return ResponsibleTeacher.objects.filter(cancelled_at__isnull=True)


def assigned_teachers(member_ids: Any) -> dict[tuple[int, int, datetime.date], int]:
    """(member, department, stint start) → the teacher of the latest live assignment of the
    stint, in one query (the rotation-end assessment's responsible teacher)."""
    result: dict[tuple[int, int, datetime.date], int] = {}
    for row in (
        live_assignments()
        .filter(member_id__in=list(member_ids))
        .order_by("starts_on", "id")
        .values("member_id", "department_id", "stint_start", "teacher_id")
    ):
        result[(row["member_id"], row["department_id"], row["stint_start"])] = row["teacher_id"]
    return result


def stints_of_base(base: Unit, since: datetime.date) -> list[Stint]:
    """The stints in the base's departments ending on or after `since` (two queries)."""
    member_ids = set(
        CohortMember.objects.filter(assignments__department__base=base).values_list("pk", flat=True)
    )
    department_ids = set(Department.objects.filter(base=base).values_list("pk", flat=True))
    return [
        stint
        for stint in stints_of_members(member_ids)
        if stint.department_id in department_ids and stint.end >= since
    ]


def stint_of(member: CohortMember, department: Department, day: datetime.date) -> Stint | None:
    """The member's stint in the department that covers `day`."""
    for stint in stints_of_members([member.pk]):
        if stint.department_id == department.pk and stint.covers(day):
            return stint
    return None


def member_choices_of_base(base: Unit) -> QuerySet[CohortMember]:
    return (
        CohortMember.objects.filter(assignments__department__base=base)
        .select_related("resident", "cohort")
        .distinct()
    )


def department_choices_of_base(base: Unit) -> QuerySet[Department]:
    return Department.objects.filter(base=base, is_active=True)


def teacher_choices_of_base(base: Unit) -> QuerySet[User]:
    return User.objects.filter(teacher_profiles__base=base, teacher_profiles__is_active=True)


def department_choices_of_base_ids(base_ids: Any) -> QuerySet[Department]:
    return Department.objects.filter(base_id__in=base_ids, is_active=True).select_related("base")


def teacher_choices_of_base_ids(base_ids: Any) -> QuerySet[User]:
    return User.objects.filter(
        teacher_profiles__base_id__in=base_ids, teacher_profiles__is_active=True
    ).distinct()


def faculty_dashboard(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The teacher's certificates expiring (within 60 days, or expired) and this year's plan
    goals; for the managers of bases, their unqualified teachers (a fixed number of queries)."""
    if not _signed_in(user):
        return {}
    today = today or timezone.localdate()
    own = list(own_profiles(user))
    expiring = [
        p
        for p in own
        if p.certificate_expires_on is not None
        and p.certificate_expires_on <= today + datetime.timedelta(days=60)
    ]
    goals = list(
        PlanGoal.objects.filter(plan__profile__teacher_id=user.pk, plan__year=today.year)
        .select_related("plan", "plan__profile__base")
        .order_by("plan_id", "id")[:10]
    )
    unqualified: list[dict[str, Any]] = []
    managed = base_list_managed_by(user)
    if not tenancy.is_consortium_admin(user) and (
        tenancy.coordinated_institution_ids(user)
        or tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)
    ):
        profiles = list(
            TeacherProfile.objects.filter(base__in=managed.values("pk"), is_active=True)
            .select_related("teacher", "base")
            .order_by("base_id", "teacher__full_name")[:500]
        )
        policies = policies_by_base({p.base_id for p in profiles})
        for p in profiles:
            reasons = reasons_not_qualified(facts_of(p), policies[p.base_id], today)
            if reasons:
                unqualified.append({"profile": p, "reasons": reasons})
    return {
        "expiring": expiring,
        "goals": goals,
        "unqualified": unqualified[:10],
        "unqualified_count": len(unqualified),
        "today": today,
    }


def member_choices_of_base_ids(base_ids: Any) -> QuerySet[CohortMember]:
    return CohortMember.objects.filter(assignments__department__base_id__in=base_ids).distinct()
