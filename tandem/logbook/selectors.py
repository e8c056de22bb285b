"""Every read of case and procedure logs, scoped to the reader.

Who sees an entry: the resident who logged it; the teachers of its department (they verify
it); the coordinators and base directors of the resident's own hospital (the training office);
the coordinators of the hospital that hosts the department, and the director of its base —
for the entries logged there only (a partner sees the exchange residents it hosts, for the
stints it hosts); consortium admins. The patient hash is never shown to anyone.
"""

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User
from tandem.core import tenancy
from tandem.logbook.models import Catalogue, CatalogueItem, EntryStatus, LogEntry, Minimum
from tandem.logbook.progress import Progress, progress_for
from tandem.residency.models import Cohort, CohortMember, Department
from tandem.residency.selectors import (
    STAFF_ROLES,
    cohort_list_visible_to,
    department_list_visible_to,
)
from tandem.residency.stints import Stint, stints_of_members, stints_of_resident


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def taught_department_ids(user: Any) -> set[int]:
    """The departments where this person is one of the teachers."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_logbook_taught", None)
    if cached is None:
        cached = set(
            Department.teachers.through.objects.filter(user_id=user.pk).values_list(
                "department_id", flat=True
            )
        )
        user._logbook_taught = cached
    return cached


def forget(user: Any) -> None:
    if hasattr(user, "_logbook_taught"):
        del user._logbook_taught


# --------------------------------------------------------------------------- catalogues


def catalogue_list_visible_to(user: Any) -> QuerySet[Catalogue]:
    """Catalogues are not confidential: anyone of the hospital or its partners reads them."""
    queryset = Catalogue.objects.select_related("institution")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(institution_id__in=tenancy.reach_institution_ids(user))


def catalogue_get_for_user_or_404(user: Any, pk: int) -> Catalogue:
    catalogue = catalogue_list_visible_to(user).filter(pk=pk).first()
    if catalogue is None:
        raise Http404
    return catalogue


def item_list_of(catalogue: Catalogue) -> QuerySet[CatalogueItem]:
    return catalogue.items.all()


def minimum_list_of(catalogue: Catalogue) -> QuerySet[Minimum]:
    return Minimum.objects.filter(item__catalogue=catalogue).select_related(
        "item", "department__base__institution"
    )


def catalogue_for_member(member: CohortMember) -> Catalogue | None:
    """The catalogue of the member's program: its hospital and specialty."""
    program = member.program
    return Catalogue.objects.filter(
        institution_id=program.institution_id, specialty=program.specialty, is_active=True
    ).first()


def item_list_for_member(member: CohortMember) -> QuerySet[CatalogueItem]:
    catalogue = catalogue_for_member(member)
    if catalogue is None:
        return CatalogueItem.objects.none()
    return catalogue.items.filter(is_active=True)


def departments_for_minimums(user: Any) -> QuerySet[Department]:
    return department_list_visible_to(user).filter(is_active=True)


# --------------------------------------------------------------------------- entries


def _entry_scope(user: Any) -> Q:
    staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
    hosts = tenancy.coordinated_institution_ids(user)
    bases = tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)
    return (
        Q(resident_id=user.pk)
        | Q(department_id__in=taught_department_ids(user))
        | Q(member__cohort__institution_id__in=staff)
        | Q(department__base__institution_id__in=hosts)
        | Q(department__base_id__in=bases)
    )


def entry_list_visible_to(user: Any) -> QuerySet[LogEntry]:
    if not _signed_in(user):
        return LogEntry.objects.none()
    queryset = LogEntry.objects.select_related(
        "resident", "item", "department__base__institution", "reviewed_by"
    )
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(_entry_scope(user))


def entry_get_for_user_or_404(user: Any, pk: int) -> LogEntry:
    entry = entry_list_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def with_duplicates(queryset: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
    """Each entry marked `is_duplicate` when the same resident logged the same item for the
    same patient (hash) in another entry."""
    others = LogEntry.objects.filter(
        resident_id=OuterRef("resident_id"),
        patient_hash=OuterRef("patient_hash"),
        item_id=OuterRef("item_id"),
    ).exclude(pk=OuterRef("pk"))
    return queryset.annotate(is_duplicate=Exists(others))


def entry_list_of_resident(user: Any) -> QuerySet[LogEntry]:
    if not _signed_in(user):
        return LogEntry.objects.none()
    return with_duplicates(
        LogEntry.objects.filter(resident_id=user.pk).select_related(
            "item", "department", "reviewed_by"
        )
    )


def entries_to_review(
    user: Any, *, week: datetime.date | None = None, status: str = EntryStatus.PENDING
) -> QuerySet[LogEntry]:
    """Entries of the departments this person teaches (never their own), by default those
    waiting; `week`: the Monday of the week whose entries to show."""
    departments = taught_department_ids(user)
    if not departments:
        return LogEntry.objects.none()
    queryset = LogEntry.objects.filter(department_id__in=departments).exclude(resident_id=user.pk)
    if status:
        queryset = queryset.filter(status=status)
    if week is not None:
        queryset = queryset.filter(date__gte=week, date__lt=week + datetime.timedelta(days=7))
    return with_duplicates(
        queryset.select_related("resident", "item", "department").order_by(
            "resident__full_name", "date", "id"
        )
    )


def pending_review_count(user: Any) -> int:
    return entries_to_review(user).count() if taught_department_ids(user) else 0


# --------------------------------------------------------------------------- stints


def my_memberships(user: Any) -> QuerySet[CohortMember]:
    return CohortMember.objects.filter(
        resident_id=getattr(user, "pk", None), cohort__schedule__isnull=False
    ).select_related("program", "cohort")


def stint_on(user: Any, department_id: int, day: datetime.date) -> Stint | None:
    """The resident's stint in this department covering `day`, if any."""
    for stint in stints_of_resident(user.pk):
        if stint.department_id == department_id and stint.covers(day):
            return stint
    return None


def departments_of_resident(user: Any) -> QuerySet[Department]:
    """The departments of the resident's published stints (for the log form)."""
    ids = {stint.department_id for stint in stints_of_resident(getattr(user, "pk", 0))}
    return Department.objects.filter(pk__in=ids).select_related("base__institution")


def stint_completion(
    resident: Any, department: Department, start: datetime.date, end: datetime.date
) -> float | None:
    """For the rotation-end assessment: the share (0–1) of the department's minimums the
    resident met with verified entries dated from `start` to `end`; None when no catalogue
    (or no minimum for this department) applies."""
    resident_id = getattr(resident, "pk", resident)
    member = (
        CohortMember.objects.filter(
            resident_id=resident_id,
            assignments__department=department,
            assignments__block__start_date__lte=end,
            assignments__block__end_date__gte=start,
        )
        .select_related("program")
        .first()
    )
    if member is None:
        return None
    progress = progress_for([member], {(member.pk, department.pk)}, start=start, end=end).get(
        (member.pk, department.pk)
    )
    return None if progress is None else progress.share


# --------------------------------------------------------------------------- progress pages


def resident_visible_to(user: Any, resident_id: int) -> bool:
    if not _signed_in(user):
        return False
    return entry_list_visible_to(user).filter(resident_id=resident_id).exists() or (
        resident_id == user.pk
        or tenancy.is_consortium_admin(user)
        or CohortMember.objects.filter(
            resident_id=resident_id,
            cohort__institution_id__in=tenancy.own_institution_ids(user, *STAFF_ROLES),
        ).exists()
        or CohortMember.objects.filter(
            resident_id=resident_id,
            assignments__department_id__in=taught_department_ids(user)
            | set(hosted_department_ids(user)),
        ).exists()
    )


def hosted_department_ids(user: Any) -> QuerySet[Department, int]:
    return Department.objects.filter(
        Q(base__institution_id__in=tenancy.coordinated_institution_ids(user))
        | Q(base_id__in=tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))
    ).values_list("pk", flat=True)


def _department_filter(user: Any) -> set[int] | None:
    """None: every department of the resident; otherwise the departments this reader sees
    (a teacher or a host sees the stints in their departments only)."""
    if tenancy.is_consortium_admin(user):
        return None
    return taught_department_ids(user) | set(hosted_department_ids(user))


def resident_get_for_user_or_404(user: Any, pk: int) -> User:
    if not resident_visible_to(user, pk):
        raise Http404
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def sees_whole_log(user: Any, resident: User) -> bool:
    """The resident, their training office and consortium admins see every stint."""
    if resident.pk == user.pk or tenancy.is_consortium_admin(user):
        return True
    staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
    return CohortMember.objects.filter(resident=resident, cohort__institution_id__in=staff).exists()


def latest_member_of(resident: User) -> CohortMember | None:
    return (
        CohortMember.objects.filter(resident=resident)
        .select_related("program", "cohort")
        .order_by("-cohort__calendar__start_date", "-pk")
        .first()
    )


def resident_progress(user: Any, resident: User) -> list[tuple[Stint, CohortMember, Progress]]:
    """The resident's stints, newest first, each with its progress — the stints this reader
    may see: all of them for the resident and their training office, the stints in their
    departments for a teacher or a host."""
    members = list(
        CohortMember.objects.filter(resident=resident).select_related("program", "cohort")
    )
    if not members:
        return []
    stints = stints_of_members([m.pk for m in members])
    full = resident.pk == user.pk or tenancy.is_consortium_admin(user)
    if not full:
        staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
        full_members = {m.pk for m in members if m.cohort.institution_id in staff}
        allowed = _department_filter(user) or set()
        stints = [s for s in stints if s.member_id in full_members or s.department_id in allowed]
    by_id = {m.pk: m for m in members}
    keys = {(s.member_id, s.department_id) for s in stints}
    progress = progress_for(members, keys)
    rows = [(s, by_id[s.member_id], progress[(s.member_id, s.department_id)]) for s in stints]
    rows.sort(key=lambda row: row[0].start, reverse=True)
    return rows


def cohort_list_for_progress(user: Any) -> QuerySet[Cohort]:
    """Cohorts whose logs the training office follows (the partners' view is per department)."""
    if tenancy.is_consortium_admin(user):
        return cohort_list_visible_to(user)
    staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
    return Cohort.objects.filter(institution_id__in=staff).select_related("institution")


def cohort_get_for_user_or_404(user: Any, pk: int) -> Cohort:
    cohort = cohort_list_for_progress(user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def member_list_for_progress(cohort: Cohort) -> QuerySet[CohortMember]:
    return cohort.members.select_related("resident", "program").order_by(
        "resident__full_name", "pk"
    )


def cohort_progress(members: list[CohortMember]) -> dict[int, Progress]:
    """Per member (a page of them), the progress over every stint that has begun."""
    stints = stints_of_members([m.pk for m in members])
    keys = {(s.member_id, s.department_id) for s in stints}
    progress = progress_for(members, keys)
    totals: dict[int, Progress] = {m.pk: Progress() for m in members}
    for (member_id, _department_id), found in progress.items():
        totals[member_id] = totals[member_id] + found
    return totals


def department_list_for_progress(user: Any) -> QuerySet[Department]:
    """Departments whose residents' logs this person follows: taught, hosted, or of the
    training office's own hospital."""
    queryset = Department.objects.select_related("base__institution")
    if tenancy.is_consortium_admin(user):
        return queryset
    staff = tenancy.own_institution_ids(user, *STAFF_ROLES)
    return queryset.filter(
        Q(pk__in=taught_department_ids(user))
        | Q(pk__in=hosted_department_ids(user))
        | Q(base__institution_id__in=staff)
    )


def department_get_for_user_or_404(user: Any, pk: int) -> Department:
    department = department_list_for_progress(user).filter(pk=pk).first()
    if department is None:
        raise Http404
    return department


def department_members(department: Department) -> QuerySet[CohortMember]:
    """The cohort members who rotate or rotated through the department."""
    return (
        CohortMember.objects.filter(assignments__department=department)
        .distinct()
        .select_related("resident", "program")
        .order_by("resident__full_name", "pk")
    )


def department_progress(department: Department, members: list[CohortMember]) -> dict[int, Progress]:
    keys = {(m.pk, department.pk) for m in members}
    found = progress_for(members, keys)
    return {m.pk: found.get((m.pk, department.pk), Progress()) for m in members}


def entry_counts_by_status(queryset: QuerySet[LogEntry]) -> dict[str, int]:
    rows = queryset.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def logbook_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard card: a resident's entries waiting and returned, a teacher's to verify."""
    if not _signed_in(user):
        return {}
    panel: dict[str, Any] = {}
    if my_memberships(user).exists():
        counts = entry_counts_by_status(LogEntry.objects.filter(resident_id=user.pk))
        panel["pending"] = counts.get(EntryStatus.PENDING, 0)
        panel["returned"] = counts.get(EntryStatus.RETURNED, 0)
        panel["is_resident"] = True
    if taught_department_ids(user):
        panel["to_review"] = pending_review_count(user)
        panel["is_teacher"] = True
    return panel
