"""Every read of rotation-end assessments and WBAs, scoped to the reader.

Who sees a resident's assessment of a stint: the resident; the teachers of the stint's
department (a teacher sees only the residents who rotate or rotated with them); the training
office of the resident's hospital (coordinators and base directors); the coordinators of the
hospital hosting the department and the director of its base, for the stints they host;
consortium admins. A WBA: the resident, its teacher, and the same offices.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User
from tandem.assessments.models import (
    Assessment,
    AssessmentPlan,
    AssessmentStatus,
    Wba,
    WbaForm,
    WbaKind,
    WbaRequirement,
    WbaStatus,
)
from tandem.core import tenancy
from tandem.evaluations.models import EvaluationTemplate
from tandem.evaluations.selectors import templates_visible_to
from tandem.residency.models import CohortMember, Department, Program
from tandem.residency.selectors import STAFF_ROLES, department_list_visible_to
from tandem.residency.stints import Stint, stints_of_resident


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def taught_department_ids(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    return set(
        Department.teachers.through.objects.filter(user_id=user.pk).values_list(
            "department_id", flat=True
        )
    )


def hosted_department_ids(user: Any) -> set[int]:
    return set(
        Department.objects.filter(
            Q(base__institution_id__in=tenancy.coordinated_institution_ids(user))
            | Q(base_id__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))
        ).values_list("pk", flat=True)
    )


def _office_scope(user: Any) -> Q:
    """Where the reader is a training office: the resident's hospital, or the host."""
    return Q(
        member__cohort__institution_id__in=tenancy.own_institution_ids(user, *STAFF_ROLES)
    ) | Q(department_id__in=hosted_department_ids(user))


# --------------------------------------------------------------------------- assessments


def assessment_list_visible_to(user: Any) -> QuerySet[Assessment]:
    queryset = Assessment.objects.select_related(
        "resident", "department__base__institution", "member__cohort", "teacher"
    ).exclude(status=AssessmentStatus.CANCELLED)
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(resident_id=user.pk)
        | Q(department_id__in=taught_department_ids(user))
        | _office_scope(user)
    )


def assessment_get_for_user_or_404(user: Any, pk: int) -> Assessment:
    found = assessment_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def assessment_list_of_resident(user: Any) -> QuerySet[Assessment]:
    return assessment_list_visible_to(user).filter(resident_id=getattr(user, "pk", None))


def components_of(assessment: Assessment) -> list[Any]:
    return list(assessment.components.select_related("recorded_by"))


def plan_for(program_id: int, department_id: int) -> AssessmentPlan | None:
    """The department's plan of the program, else the program's default plan."""
    plans = {
        plan.department_id: plan
        for plan in AssessmentPlan.objects.filter(program_id=program_id).filter(
            Q(department_id=department_id) | Q(department__isnull=True)
        )
    }
    return plans.get(department_id) or plans.get(None)


def plan_list_visible_to(user: Any) -> QuerySet[AssessmentPlan]:
    queryset = AssessmentPlan.objects.select_related("program", "department")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        program__institution_id__in=tenancy.own_institution_ids(user, *STAFF_ROLES)
    )


# --------------------------------------------------------------------------- WBAs


def wba_list_visible_to(user: Any) -> QuerySet[Wba]:
    queryset = Wba.objects.select_related(
        "resident", "teacher", "form", "department__base__institution"
    )
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(Q(resident_id=user.pk) | Q(teacher_id=user.pk) | _office_scope(user))


def wba_get_for_user_or_404(user: Any, pk: int) -> Wba:
    found = wba_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def wba_list_to_confirm(user: Any) -> QuerySet[Wba]:
    return wba_list_visible_to(user).filter(teacher_id=user.pk, status=WbaStatus.AWAITING)


def forms_for_member(member: CohortMember) -> QuerySet[WbaForm]:
    """The standard forms and the forms of the member's program."""
    return WbaForm.objects.filter(is_active=True).filter(
        Q(program__isnull=True) | Q(program_id=member.program_id)
    )


def current_stints(user: Any, day: Any) -> list[Stint]:
    return [s for s in stints_of_resident(getattr(user, "pk", 0)) if s.covers(day)]


def wba_choices(user: Any, day: Any) -> tuple[QuerySet[WbaForm], QuerySet[Department]]:
    """What a resident may start a WBA with on `day`: the forms of their current programs and
    the departments of their current stints (the page's choices and the API's id lookups)."""
    stints = current_stints(user, day)
    form_ids: set[int] = set()
    for member in CohortMember.objects.filter(pk__in={s.member_id for s in stints}):
        form_ids |= set(forms_for_member(member).values_list("pk", flat=True))
    return (
        WbaForm.objects.filter(pk__in=form_ids, is_active=True),
        Department.objects.filter(pk__in={s.department_id for s in stints}),
    )


def stint_on(resident_id: int, department_id: int, day: Any) -> Stint | None:
    for stint in stints_of_resident(resident_id):
        if stint.department_id == department_id and stint.covers(day):
            return stint
    return None


def wba_progress(member_id: int, program_id: int, resident_id: int, stint: Stint) -> list[dict]:
    """Per required form of the stint's department: required and confirmed in the stint."""
    requirements = {
        req.form_id: req
        for req in WbaRequirement.objects.filter(program_id=program_id)
        .filter(Q(department_id=stint.department_id) | Q(department__isnull=True))
        .select_related("form")
        .order_by("-department_id")
    }
    confirmed: dict[int, int] = {}
    for form_id in Wba.objects.filter(
        resident_id=resident_id,
        department_id=stint.department_id,
        status=WbaStatus.CONFIRMED,
        date__gte=stint.start,
        date__lte=stint.end,
    ).values_list("form_id", flat=True):
        confirmed[form_id] = confirmed.get(form_id, 0) + 1
    return [
        {
            "form": req.form,
            "required": req.count,
            "confirmed": confirmed.get(form_id, 0),
            "met": confirmed.get(form_id, 0) >= req.count,
        }
        for form_id, req in requirements.items()
    ]


def wba_progress_of_resident(resident_id: int) -> list[tuple[Stint, Department, list[dict]]]:
    """Every stint of the resident that has a requirement, newest first."""
    members = {
        m.pk: m
        for m in CohortMember.objects.filter(resident_id=resident_id).select_related("program")
    }
    stints = sorted(stints_of_resident(resident_id), key=lambda s: s.start, reverse=True)
    departments = Department.objects.in_bulk({s.department_id for s in stints})
    rows = []
    for stint in stints:
        member = members[stint.member_id]
        lines = wba_progress(member.pk, member.program_id, resident_id, stint)
        if lines:
            rows.append((stint, departments[stint.department_id], lines))
    return rows


def teachers_of_departments(department_ids: Any, exclude_id: int) -> QuerySet[User]:
    """The teachers of these departments (for the WBA form's choice of teacher)."""
    return (
        User.objects.filter(
            pk__in=Department.teachers.through.objects.filter(
                department_id__in=department_ids
            ).values("user_id")
        )
        .exclude(pk=exclude_id)
        .order_by("full_name")
    )


def programs_managed_by(user: Any) -> QuerySet[Program]:
    if tenancy.is_consortium_admin(user):
        return Program.objects.all()
    return Program.objects.filter(institution_id__in=tenancy.coordinated_institution_ids(user))


def departments_for_plans(user: Any) -> QuerySet[Department]:
    return department_list_visible_to(user).filter(is_active=True)


def templates_for_plans(user: Any) -> QuerySet[EvaluationTemplate]:
    return templates_visible_to(user).filter(is_current=True, retired_at__isnull=True)


def assessments_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard card: a resident's open assessments, a teacher's WBAs to confirm."""
    if not _signed_in(user):
        return {}
    return {
        "open": Assessment.objects.filter(
            resident_id=user.pk, status=AssessmentStatus.OPEN
        ).count(),
        "to_confirm": Wba.objects.filter(teacher_id=user.pk, status=WbaStatus.AWAITING).count(),
    }


# --------------------------------------------------------------------------- for the committee


def wba_counts_of_resident(resident_id: int, start: Any, end: Any) -> list[dict[str, Any]]:
    """Confirmed and waiting WBAs of the resident dated between `start` and `end`, counted per
    kind of form (with the kind's label in the reader's language) — one query. Read by the
    competency committee (tandem/milestones)."""
    rows = (
        Wba.objects.filter(resident_id=resident_id, date__gte=start, date__lte=end)
        .exclude(status=WbaStatus.DECLINED)
        .order_by()
        .values("form__kind")
        .annotate(
            confirmed=Count("id", filter=Q(status=WbaStatus.CONFIRMED)),
            awaiting=Count("id", filter=Q(status=WbaStatus.AWAITING)),
        )
        .order_by("form__kind")
    )
    return [{**row, "label": str(WbaKind(row["form__kind"]).label)} for row in rows]


def assessment_results_of_resident(resident_id: int, start: Any, end: Any) -> QuerySet[Assessment]:
    """The resident's rotation-end assessments of rotations ending between `start` and `end`,
    with their components — two queries. Read by the competency committee."""
    return (
        Assessment.objects.filter(resident_id=resident_id, end__gte=start, end__lte=end)
        .exclude(status=AssessmentStatus.CANCELLED)
        .select_related("department")
        .prefetch_related("components")
        .order_by("end", "id")
    )
