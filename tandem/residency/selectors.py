"""Reads about residency scheduling, always scoped to the asking user.

Departments and calendars are seen across the user's own and partner institutions (partners
plan exchanges with them). Programs, cohorts and schedules belong to the hospital's training
office: its coordinators and base directors see them, consortium admins see all, and a partner
hospital's coordinator sees a cohort's proposals only once residents are sent to them — and then
only those residents' rows. A resident sees their own schedule.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import icalendar
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.models import Role, TraineeKind, User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy
from tandem.core.models import AuditEvent
from tandem.institutions.models import Institution, Unit, UnitKind
from tandem.residency import instancing
from tandem.residency.instancing import Rows
from tandem.residency.models import (
    Assignment,
    Block,
    BlockCalendar,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    LeaveRequest,
    PartnerApproval,
    Program,
    ProposalStatus,
    PublishedSchedule,
    RequestStatus,
    Requirement,
    ScheduleProposal,
    SwapRequest,
)
from tandem.residency.scheduling import Instance

STAFF_ROLES = (Role.COORDINATOR, Role.BASE_DIRECTOR)
TEACHER_ROLES = (Role.TEACHER, Role.TUTOR, Role.BASE_DIRECTOR)


# --------------------------------------------------------------------------- setup


def base_list_visible_to(user: Any) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(kind=UnitKind.TRAINING_BASE).select_related("institution")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(institution_id__in=tenancy.reach_institution_ids(user))


def base_list_editable_by(user: Any) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(kind=UnitKind.TRAINING_BASE, is_active=True).select_related(
        "institution"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(institution_id__in=tenancy.coordinated_institution_ids(user))
        | Q(pk__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))
    )


def department_list_visible_to(user: Any) -> QuerySet[Department]:
    queryset = Department.objects.select_related("base__institution")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(base__institution_id__in=tenancy.reach_institution_ids(user))


def department_list_for_page(user: Any, *, base_id: int | None = None, q: str = "") -> QuerySet:
    queryset = department_list_visible_to(user).prefetch_related("teachers")
    if base_id:
        queryset = queryset.filter(base_id=base_id)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(name_zh__icontains=q) | Q(code=q))
    return queryset


def teacher_list_of_institutions(institution_ids: Any) -> QuerySet[User]:
    """Who may teach in a department of these hospitals (ids or a values queryset): their
    teachers, tutors and base directors."""
    return User.objects.filter(
        memberships__role__in=TEACHER_ROLES,
        memberships__institution_id__in=institution_ids,
        memberships__is_active=True,
    ).distinct()


def department_get_for_user_or_404(user: Any, pk: int) -> Department:
    return get_object_or_404(department_list_visible_to(user).prefetch_related("teachers"), pk=pk)


def calendar_list_visible_to(user: Any) -> QuerySet[BlockCalendar]:
    queryset = BlockCalendar.objects.select_related("institution")
    if tenancy.is_consortium_admin(user):
        return queryset
    if not tenancy.own_institution_ids(user):
        return queryset.none()
    return queryset.filter(
        Q(institution__isnull=True) | Q(institution_id__in=tenancy.reach_institution_ids(user))
    )


def calendar_get_for_user_or_404(user: Any, pk: int) -> BlockCalendar:
    return get_object_or_404(calendar_list_visible_to(user).prefetch_related("blocks"), pk=pk)


def _staff_institution_ids(user: Any) -> set[int]:
    return tenancy.own_institution_ids(user, *STAFF_ROLES)


def program_list_visible_to(user: Any) -> QuerySet[Program]:
    queryset = Program.objects.select_related("institution")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(institution_id__in=_staff_institution_ids(user))


def program_get_for_user_or_404(user: Any, pk: int) -> Program:
    requirements = Requirement.objects.prefetch_related(
        Prefetch("departments", queryset=Department.objects.select_related("base__institution"))
    )
    return get_object_or_404(
        program_list_visible_to(user).prefetch_related(Prefetch("requirements", requirements)),
        pk=pk,
    )


def institution_list_managed_by(user: Any) -> QuerySet[Institution]:
    """The institutions whose residency set-up this person runs (the training office's)."""
    queryset = Institution.objects.filter(is_active=True).order_by("name")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(pk__in=tenancy.coordinated_institution_ids(user))


def requirement_get_for_user_or_404(user: Any, pk: int) -> Requirement:
    departments = Department.objects.select_related("base__institution")
    queryset = (
        Requirement.objects.filter(program_id__in=program_list_visible_to(user).values("pk"))
        .select_related("program__institution")
        .prefetch_related(Prefetch("departments", departments))
    )
    return get_object_or_404(queryset, pk=pk)


def departments_of_programs(program_ids: Any) -> QuerySet[Department]:
    """The departments named by the requirements of these programs (`program_ids`: ids or a
    values queryset)."""
    in_requirements = Requirement.objects.filter(program_id__in=program_ids).values("departments")
    return Department.objects.filter(pk__in=in_requirements).select_related("base__institution")


def quota_list_visible_to(user: Any) -> QuerySet[ExchangeQuota]:
    queryset = ExchangeQuota.objects.select_related(
        "agreement", "from_institution", "to_institution"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    own = tenancy.own_institution_ids(user)
    return queryset.filter(Q(from_institution_id__in=own) | Q(to_institution_id__in=own))


def quota_get_for_user_or_404(user: Any, pk: int) -> ExchangeQuota:
    return get_object_or_404(quota_list_visible_to(user), pk=pk)


def quota_history(user: Any) -> QuerySet[AuditEvent]:
    """Quota changes (recorded on their agreement) of agreements the person's institutions are
    parties to; quotas removed since stay in the history."""
    events = AuditEvent.objects.filter(
        action__startswith="exchange_quota.",
        target_type=ContentType.objects.get_for_model(Agreement),
    ).select_related("actor")
    if tenancy.is_consortium_admin(user):
        return events
    agreement_ids = Agreement.objects.filter(
        parties__institution_id__in=tenancy.own_institution_ids(user)
    ).values_list("pk", flat=True)
    return events.filter(target_id__in=[str(pk) for pk in agreement_ids])


def agreement_list_for_quotas(user: Any) -> QuerySet[Agreement]:
    """Agreements in force under which this person may set exchange quotas."""
    queryset = Agreement.objects.filter(status=AgreementStatus.ACTIVE).order_by("title")
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        parties__institution_id__in=tenancy.coordinated_institution_ids(user)
    ).distinct()


def institution_list_of_agreements(agreements: QuerySet[Agreement]) -> QuerySet[Institution]:
    return (
        Institution.objects.filter(agreement_parties__agreement__in=agreements.values("pk"))
        .distinct()
        .order_by("name")
    )


# --------------------------------------------------------------------------- cohorts, proposals


def cohort_list_visible_to(user: Any) -> QuerySet[Cohort]:
    queryset = Cohort.objects.select_related("institution", "calendar")
    if tenancy.is_consortium_admin(user):
        return queryset
    partner_of = PartnerApproval.objects.filter(
        proposal__cohort=OuterRef("pk"),
        institution_id__in=tenancy.coordinated_institution_ids(user),
    )
    return queryset.filter(Q(institution_id__in=_staff_institution_ids(user)) | Exists(partner_of))


def cohort_get_for_user_or_404(user: Any, pk: int) -> Cohort:
    members = CohortMember.objects.select_related("resident", "program")
    return get_object_or_404(
        cohort_list_visible_to(user).prefetch_related(Prefetch("members", members)), pk=pk
    )


def calendar_list_for_cohorts(user: Any) -> QuerySet[BlockCalendar]:
    """Calendars a training office may put a new cohort on: the consortium's and its own."""
    queryset = calendar_list_visible_to(user)
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(institution__isnull=True)
        | Q(institution_id__in=tenancy.coordinated_institution_ids(user))
    )


def member_list_visible_to(user: Any) -> QuerySet[CohortMember]:
    """Cohort members, for the hospital's own staff (partners see only schedule rows)."""
    queryset = CohortMember.objects.select_related(
        "resident", "program", "cohort__institution", "cohort__calendar"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(cohort__institution_id__in=_staff_institution_ids(user))


def member_get_for_user_or_404(user: Any, pk: int) -> CohortMember:
    return get_object_or_404(member_list_visible_to(user), pk=pk)


def member_list_for_cohort_page(cohort: Cohort) -> QuerySet[CohortMember]:
    """The cohort's members with their program, and whether each is on a published schedule's
    record (`member_on_schedule`, for every row in one query)."""
    member = OuterRef("pk")
    return cohort.members.select_related("resident", "program").annotate(
        on_schedule=Exists(Assignment.objects.filter(member=member))
        | Exists(LeaveRequest.objects.filter(member=member))
        | Exists(SwapRequest.objects.filter(Q(member=member) | Q(other=member)))
    )


def calendar_span(calendar_id: int) -> tuple[Any, Any]:
    """The first and the last day of a calendar's blocks."""
    span = Block.objects.filter(calendar_id=calendar_id).aggregate(
        first=Min("start_date"), last=Max("end_date")
    )
    return span["first"], span["last"]


def membership_overlapping(
    resident: Any, calendar_id: int, exclude_cohort_id: int | None = None
) -> CohortMember | None:
    """The resident's membership of another cohort whose calendar shares days with this one
    (a resident rotates in one schedule at a time)."""
    first, last = calendar_span(calendar_id)
    if first is None:
        return None
    spans = (
        Block.objects.values("calendar_id")
        .annotate(first=Min("start_date"), last=Max("end_date"))
        .filter(first__lte=last, last__gte=first)
        .values("calendar_id")
    )
    members = CohortMember.objects.filter(resident=resident, cohort__calendar_id__in=spans)
    if exclude_cohort_id is not None:
        members = members.exclude(cohort_id=exclude_cohort_id)
    return members.select_related("cohort__calendar").order_by("pk").first()


def member_on_schedule(member: CohortMember) -> bool:
    """Whether the member is part of a published schedule's record (rotations or requests)."""
    return (
        Assignment.objects.filter(member=member).exists()
        or LeaveRequest.objects.filter(member=member).exists()
        or SwapRequest.objects.filter(Q(member=member) | Q(other=member)).exists()
    )


def resident_list_of_institution(institution_id: int) -> QuerySet[User]:
    """People with a resident's trainee profile and an active trainee membership of this
    hospital (the ones a cohort of it may take)."""
    return User.objects.filter(
        trainee_profile__kind=TraineeKind.RESIDENT,
        memberships__role=Role.TRAINEE,
        memberships__institution_id=institution_id,
        memberships__is_active=True,
    )


def resident_candidates(cohort: Cohort, q: str = "") -> QuerySet[User]:
    """Residents of the cohort's hospital not yet in it (the caller checked access to it)."""
    queryset = (
        resident_list_of_institution(cohort.institution_id)
        .filter(is_active=True)
        .exclude(residency_memberships__cohort=cohort)
        .select_related("trainee_profile")
        .distinct()
        .order_by("full_name", "username")
    )
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(
            Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q)
        )
    return queryset


def program_list_for_cohort(cohort: Cohort) -> QuerySet[Program]:
    return Program.objects.filter(institution_id=cohort.institution_id).order_by(
        "specialty", "training_year", "name"
    )


def proposal_list_visible_to(user: Any) -> QuerySet[ScheduleProposal]:
    queryset = ScheduleProposal.objects.select_related(
        "cohort__institution", "cohort__calendar", "created_by"
    ).prefetch_related(
        Prefetch("partner_approvals", PartnerApproval.objects.select_related("institution"))
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    partner_of = PartnerApproval.objects.filter(
        proposal=OuterRef("pk"), institution_id__in=tenancy.coordinated_institution_ids(user)
    )
    return queryset.filter(
        Q(cohort__institution_id__in=_staff_institution_ids(user)) | Exists(partner_of)
    )


def proposal_get_for_user_or_404(user: Any, pk: int) -> ScheduleProposal:
    return get_object_or_404(proposal_list_visible_to(user), pk=pk)


def proposal_list_for_cohort(user: Any, cohort: Cohort) -> QuerySet[ScheduleProposal]:
    return proposal_list_visible_to(user).filter(cohort=cohort)


def schedule_get_for_user_or_404(user: Any, cohort_pk: int) -> PublishedSchedule:
    cohort = cohort_get_for_user_or_404(user, cohort_pk)
    return get_object_or_404(
        PublishedSchedule.objects.select_related(
            "cohort__institution", "cohort__calendar", "proposal", "published_by"
        ),
        cohort=cohort,
    )


@dataclass(frozen=True)
class ScheduleView:
    """A proposal's or a published schedule's instance and rows as one person may see them."""

    instance: Instance
    rows: Rows  # every row of the schedule (for the load, which counts everyone)
    visible: set[str] | None  # the resident ids this person may see; None: every row

    @property
    def full_view(self) -> bool:
        """The cohort's own staff (or a consortium admin): the whole instance and solution."""
        return self.visible is None

    @property
    def visible_rows(self) -> Rows:
        if self.visible is None:
            return dict(self.rows)
        return {key: row for key, row in self.rows.items() if key in self.visible}


def schedule_view_for(user: Any, obj: ScheduleProposal | PublishedSchedule) -> ScheduleView:
    """The one place partner rows are filtered (pages, API and exports ask this).

    The home hospital's staff and consortium admins see every row; a partner hospital's
    coordinator sees only the residents the schedule places at their hospital."""
    instance = instancing.stored_instance(obj.instance)
    rows = instancing.stored_rows(obj.solution)
    cohort = obj.cohort
    if tenancy.is_consortium_admin(user) or cohort.institution_id in _staff_institution_ids(user):
        return ScheduleView(instance, rows, None)
    mine = {i.code for i in _institutions(tenancy.coordinated_institution_ids(user))}
    return ScheduleView(instance, rows, instancing.rows_at_sites(instance, rows, mine))


def _institutions(ids: set[int]) -> list:
    return list(Institution.objects.filter(pk__in=ids).only("code")) if ids else []


def my_memberships(user: Any) -> QuerySet[CohortMember]:
    """The cohorts this resident belongs to that have a published schedule."""
    return CohortMember.objects.filter(
        resident_id=getattr(user, "pk", None), cohort__schedule__isnull=False
    ).select_related("cohort__calendar", "cohort__institution", "program")


def my_member_get_or_404(user: Any, pk: int) -> CohortMember:
    return get_object_or_404(my_memberships(user), pk=pk)


def assignments_of(member_ids: list[int]) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(member_id__in=member_ids)
        .select_related("block", "department__base__institution", "member__cohort")
        .order_by("member_id", "block__index")
    )


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The resident's rotations in every published schedule, for their calendar feed: one
    all-day event per block with a department (leave and empty blocks are left out)."""
    member_ids = list(my_memberships(user).values_list("pk", flat=True))
    events = []
    for assignment in assignments_of(member_ids):
        department = assignment.department
        if department is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"rotation-{assignment.pk}@tandem")
        event.add("summary", str(department))
        event.add("location", str(department.base.institution))
        event.add("dtstart", assignment.block.start_date)
        event.add("dtend", assignment.block.end_date + datetime.timedelta(days=1))
        event.add("description", str(department.base))
        events.append(event)
    return events


def leave_list_visible_to(user: Any) -> QuerySet[LeaveRequest]:
    queryset = LeaveRequest.objects.select_related(
        "member__resident", "member__cohort__institution", "block", "decided_by"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(member__resident_id=getattr(user, "pk", None))
        | Q(member__cohort__institution_id__in=tenancy.coordinated_institution_ids(user))
    )


def swap_list_visible_to(user: Any) -> QuerySet[SwapRequest]:
    queryset = SwapRequest.objects.select_related(
        "member__resident",
        "other__resident",
        "member__cohort__institution",
        "block",
        "decided_by",
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    me = getattr(user, "pk", None)
    return queryset.filter(
        Q(member__resident_id=me)
        | Q(other__resident_id=me)
        | Q(member__cohort__institution_id__in=tenancy.coordinated_institution_ids(user))
    )


def leave_get_for_user_or_404(user: Any, pk: int) -> LeaveRequest:
    return get_object_or_404(leave_list_visible_to(user), pk=pk)


def swap_get_for_user_or_404(user: Any, pk: int) -> SwapRequest:
    return get_object_or_404(swap_list_visible_to(user), pk=pk)


def labels_for(instance: Instance) -> tuple[dict[str, Department], dict[str, CohortMember]]:
    """The departments and cohort members named in an instance, by their instance ids."""
    dept_pks = instancing.department_pks(r.id for r in instance.rotations)
    member_pks = instancing.member_pks(r.id for r in instance.residents)
    departments = Department.objects.filter(pk__in=dept_pks).select_related("base__institution")
    members = CohortMember.objects.filter(pk__in=member_pks).select_related("resident", "program")
    return (
        {instancing.department_key(d.pk): d for d in departments},
        {instancing.member_key(m.pk): m for m in members},
    )


# --------------------------------------------------------------------------- dashboard


def residency_dashboard(user: Any) -> dict[str, Any]:
    """Counts for the dashboard card (a fixed number of queries)."""
    pending_approvals = PartnerApproval.objects.filter(
        institution_id__in=tenancy.coordinated_institution_ids(user),
        approved_at__isnull=True,
        proposal__status=ProposalStatus.DONE,
    ).count()
    return {
        "cohorts": cohort_list_visible_to(user).count(),
        "pending_approvals": pending_approvals,
        "pending_requests": leave_list_visible_to(user).filter(status=RequestStatus.PENDING).count()
        + swap_list_visible_to(user).filter(status=RequestStatus.PENDING).count(),
        "my_schedules": my_memberships(user).count(),
    }
