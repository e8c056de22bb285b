"""Every read of work hours, scoped to the reader.

Who sees a resident's shifts and violations: the resident; the coordinators and base directors
of the hospital whose cohort the shifts count under (the training office); consortium admins.
Rule sets are read by anyone of their hospital and kept by its training office. Violations are
worked out here by the rule library, never stored.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.residency.models import Assignment, Cohort, CohortMember, Department
from tandem.residency.selectors import STAFF_ROLES, cohort_list_visible_to
from tandem.workhours import rules
from tandem.workhours.models import RotaPattern, RuleSet, Shift, ShiftKind

# How far back the pages look: the violations of the last twelve weeks, and the four weeks
# before them so the first 4-week windows are whole.
PAGE_WEEKS = 12
DASHBOARD_WEEKS = 4


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user: Any) -> set[int]:
    return tenancy.own_institution_ids(user, *STAFF_ROLES)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


# --------------------------------------------------------------------------- rule sets


def default_ruleset(institution_id: int | None) -> RuleSet:
    """ACGME, unsaved: what applies where the training office has set nothing."""
    ruleset = RuleSet(regulator="acgme", time_zone=settings.TIME_ZONE)
    ruleset.institution_id = institution_id  # type: ignore[assignment]
    return ruleset


def ruleset_list_visible_to(user: Any) -> QuerySet[RuleSet]:
    queryset = RuleSet.objects.select_related("institution", "program")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(institution_id__in=tenancy.own_institution_ids(user))


def ruleset_get_for_user_or_404(user: Any, pk: int) -> RuleSet:
    found = ruleset_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def rulesets_for_members(members: list[CohortMember]) -> dict[int, RuleSet]:
    """Per member, the rule set of its program, else of its hospital, else ACGME (one query)."""
    institutions = {m.program.institution_id for m in members}
    rows = list(RuleSet.objects.filter(institution_id__in=institutions))
    by_program = {r.program_id: r for r in rows if r.program_id is not None}
    by_institution = {r.institution_id: r for r in rows if r.program_id is None}
    found = {}
    for member in members:
        institution_id = member.program.institution_id
        found[member.pk] = (
            by_program.get(member.program_id)
            or by_institution.get(institution_id)
            or default_ruleset(institution_id)
        )
    return found


def ruleset_for_member(member: CohortMember) -> RuleSet:
    return rulesets_for_members([member])[member.pk]


# --------------------------------------------------------------------------- memberships


def my_memberships(user: Any) -> QuerySet[CohortMember]:
    """The resident's cohort memberships with a published schedule."""
    return CohortMember.objects.filter(
        resident_id=getattr(user, "pk", None), cohort__schedule__isnull=False
    ).select_related("program", "cohort__calendar")


def assignment_on(resident_id: int, day: datetime.date) -> Assignment | None:
    return (
        Assignment.objects.filter(
            member__resident_id=resident_id,
            member__cohort__schedule__isnull=False,
            block__start_date__lte=day,
            block__end_date__gte=day,
        )
        .select_related("member__program", "department", "block")
        .first()
    )


def member_for(user: Any, day: datetime.date) -> CohortMember | None:
    """The membership a shift starting on `day` counts under: the one whose published schedule
    covers the day, else the newest."""
    assignment = assignment_on(user.pk, day)
    if assignment is not None:
        return assignment.member
    return my_memberships(user).order_by("-cohort__calendar__start_date", "-pk").first()


# --------------------------------------------------------------------------- shifts


def shift_list_visible_to(user: Any) -> QuerySet[Shift]:
    queryset = Shift.objects.select_related("resident", "department", "member__program")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(resident_id=user.pk) | Q(member__cohort__institution_id__in=_staff(user))
    )


def shift_get_for_user_or_404(user: Any, pk: int) -> Shift:
    found = shift_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def shifts_of_resident(resident_id: int, since: datetime.datetime | None = None) -> QuerySet[Shift]:
    queryset = Shift.objects.filter(resident_id=resident_id)
    if since is not None:
        queryset = queryset.filter(end__gt=since)
    return queryset.select_related("department").order_by("start", "pk")


def overlapping(resident_id: int, start: datetime.datetime, end: datetime.datetime) -> Shift | None:
    return (
        Shift.objects.filter(resident_id=resident_id, start__lt=end, end__gt=start)
        .order_by("start")
        .first()
    )


# --------------------------------------------------------------------------- residents


def resident_visible_to(user: Any, resident_id: int) -> bool:
    if not _signed_in(user):
        return False
    if resident_id == user.pk or tenancy.is_consortium_admin(user):
        return True
    return CohortMember.objects.filter(
        resident_id=resident_id, cohort__institution_id__in=_staff(user)
    ).exists()


def resident_get_for_user_or_404(user: Any, pk: int) -> User:
    if not resident_visible_to(user, pk):
        raise Http404
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class Standing:
    """A resident's hours and violations, as the pages show them."""

    ruleset: RuleSet
    shifts: list[Shift]
    violations: list[rules.Violation]
    weeks: dict[datetime.date, float] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return self.ruleset.tz


def _since(weeks: int, today: datetime.date) -> datetime.datetime:
    first = monday_of(today) - datetime.timedelta(weeks=weeks + 4)
    return datetime.datetime.combine(first, datetime.time(0), tzinfo=datetime.UTC)


def standing_of(rows: list[Shift], ruleset: RuleSet, today: datetime.date, weeks: int) -> Standing:
    tz = ruleset.tz
    violations = rules.check([s.as_rule_shift() for s in rows], ruleset.limits(), tz)
    shown_from = monday_of(today) - datetime.timedelta(weeks=weeks - 1)
    hours = rules.weekly_hours([s.as_rule_shift() for s in rows], tz)
    week_list = {shown_from + datetime.timedelta(weeks=i): 0.0 for i in range(weeks)}
    for monday, value in hours.items():
        if monday in week_list:
            week_list[monday] = value
    first_shown = datetime.datetime.combine(shown_from, datetime.time(0), tzinfo=tz)
    return Standing(
        ruleset=ruleset,
        shifts=rows,
        violations=[v for v in violations if v.end > first_shown],
        weeks=week_list,
    )


def resident_standing(resident: User, *, weeks: int = PAGE_WEEKS) -> Standing:
    """The last `weeks` weeks of the resident: hours per week and violations, under the rule
    set of their newest membership."""
    today = timezone.localdate()
    member = (
        CohortMember.objects.filter(resident=resident)
        .select_related("program")
        .order_by("-cohort__calendar__start_date", "-pk")
        .first()
    )
    ruleset = ruleset_for_member(member) if member else default_ruleset(None)
    rows = list(shifts_of_resident(resident.pk, since=_since(weeks, today)))
    return standing_of(rows, ruleset, today, weeks)


# --------------------------------------------------------------------------- program pages


def cohort_list_for_workhours(user: Any) -> QuerySet[Cohort]:
    if not _signed_in(user):
        return Cohort.objects.none()
    if tenancy.is_consortium_admin(user):
        return cohort_list_visible_to(user)
    return Cohort.objects.filter(institution_id__in=_staff(user)).select_related("institution")


def cohort_get_for_user_or_404(user: Any, pk: int) -> Cohort:
    found = cohort_list_for_workhours(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def cohort_members(cohort: Cohort) -> QuerySet[CohortMember]:
    return cohort.members.select_related("resident", "program").order_by(
        "resident__full_name", "pk"
    )


def cohort_standings(
    members: list[CohortMember], *, weeks: int = DASHBOARD_WEEKS
) -> dict[int, Standing]:
    """Per member (a page of them), their standing, in three queries whatever the number."""
    today = timezone.localdate()
    rulesets = rulesets_for_members(members)
    by_member: dict[int, list[Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(
        member_id__in=[m.pk for m in members], end__gt=_since(weeks, today)
    ).order_by("start", "pk"):
        by_member[shift.member_id].append(shift)
    return {
        m.pk: standing_of(by_member.get(m.pk, []), rulesets[m.pk], today, weeks) for m in members
    }


# --------------------------------------------------------------------------- rota


def patterns_for(department_ids: set[int]) -> dict[int, rules.Pattern]:
    """Each department's pattern; the default (Monday to Friday, 08:00–17:00) where none."""
    stored = {
        p.department_id: p.pattern()
        for p in RotaPattern.objects.filter(department_id__in=department_ids)
    }
    return {pk: stored.get(pk, rules.Pattern()) for pk in department_ids}


def pattern_list_visible_to(user: Any) -> QuerySet[Department]:
    """Departments whose patterns this person reads (their hospitals' and partners')."""
    queryset = Department.objects.select_related("base__institution", "workhours_pattern")
    if tenancy.is_consortium_admin(user):
        return queryset.filter(is_active=True)
    return queryset.filter(
        is_active=True, base__institution_id__in=tenancy.reach_institution_ids(user)
    )


def proposed_week(user: Any, monday: datetime.date) -> list[rules.Shift]:
    """The shifts the published schedule and the departments' patterns propose for the
    resident's week starting `monday`, without those that overlap a logged shift."""
    sunday = monday + datetime.timedelta(days=6)
    assignments = list(
        Assignment.objects.filter(
            member__resident_id=user.pk,
            member__cohort__schedule__isnull=False,
            department__isnull=False,
            block__start_date__lte=sunday,
            block__end_date__gte=monday,
        ).select_related("block", "member__program")
    )
    if not assignments:
        return []
    patterns = patterns_for({a.department_id for a in assignments if a.department_id})
    ruleset = ruleset_for_member(assignments[0].member)
    proposed: list[rules.Shift] = []
    for assignment in assignments:
        first = max(monday, assignment.block.start_date)
        last = min(sunday, assignment.block.end_date)
        # Call days count from the block's first day, so the rhythm does not restart weekly.
        for shift in rules.expand_pattern(
            assignment.block.start_date,
            last,
            patterns[assignment.department_id or 0],
            ruleset.tz,
        ):
            if shift.start.astimezone(ruleset.tz).date() >= first:
                proposed.append(
                    rules.Shift(
                        start=shift.start,
                        end=shift.end,
                        kind=shift.kind,
                        ref=assignment.department_id,
                    )
                )
    logged = list(
        Shift.objects.filter(
            resident_id=user.pk,
            start__lt=max(s.end for s in proposed) if proposed else timezone.now(),
            end__gt=min(s.start for s in proposed) if proposed else timezone.now(),
        ).values_list("start", "end")
    )
    return [
        s for s in proposed if not any(start < s.end and end > s.start for start, end in logged)
    ]


# --------------------------------------------------------------------------- dashboard


def workhours_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard card: a resident's hours this week and open violations."""
    if not _signed_in(user) or not my_memberships(user).exists():
        return {}
    standing = resident_standing(user, weeks=DASHBOARD_WEEKS)
    this_week = monday_of(timezone.localdate())
    return {
        "is_resident": True,
        "hours": round(standing.weeks.get(this_week, 0.0), 1),
        "violations": len(standing.violations),
    }


KIND_LABELS = dict(ShiftKind.choices)
