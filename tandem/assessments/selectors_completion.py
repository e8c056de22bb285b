"""Reads of annual assessments and completion, scoped to the reader (decision 112).

Who sees a resident's annual assessments and completion checklist: the resident; the training
office of the resident's hospital (coordinators and base directors); consortium admins.
`candidates_of` gathers the eligibility facts of any number of residents in a constant number
of queries and hands them to the pure rules of `eligibility.py`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import icalendar
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.assessments import eligibility
from tandem.assessments.models import Assessment, AssessmentStatus, bilingual
from tandem.assessments.models_completion import (
    AnnualAssessment,
    AnnualPlan,
    AnnualStatus,
    CompletionResult,
    CompletionRule,
)
from tandem.core import tenancy
from tandem.logbook.models import Catalogue, EntryRole, EntryStatus, LogEntry, Minimum
from tandem.residency.models import Assignment, Cohort, CohortMember, Program, Requirement
from tandem.residency.selectors import STAFF_ROLES
from tandem.teaching.models import ActivityStatus, Attendance, AttendanceStatus


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def office_institution_ids(user: Any) -> set[int] | None:
    """The hospitals whose training office the reader is; None: every hospital (admin)."""
    if tenancy.is_consortium_admin(user):
        return None
    return tenancy.own_institution_ids(user, *STAFF_ROLES)


def recording_institution_ids(user: Any) -> set[int] | None:
    """Where the reader records annual and completion results: coordinators; None: admin."""
    if tenancy.is_consortium_admin(user):
        return None
    return tenancy.coordinated_institution_ids(user)


def _scoped(queryset: QuerySet, user: Any, institution_field: str, resident_field: str) -> Any:
    if not _signed_in(user):
        return queryset.none()
    offices = office_institution_ids(user)
    if offices is None:
        return queryset
    return queryset.filter(
        Q(**{f"{institution_field}__in": offices}) | Q(**{resident_field: user.pk})
    )


# --------------------------------------------------------------------------- annual


def annual_list_visible_to(user: Any) -> QuerySet[AnnualAssessment]:
    queryset = AnnualAssessment.objects.select_related(
        "resident", "member__program", "member__cohort"
    )
    return _scoped(queryset, user, "member__cohort__institution_id", "resident_id")


def annual_get_for_user_or_404(user: Any, pk: int) -> AnnualAssessment:
    found = annual_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def annual_plan_for(program_id: int) -> AnnualPlan | None:
    return AnnualPlan.objects.filter(program_id=program_id).first()


def programs_recorded_by(user: Any) -> QuerySet[Program]:
    """The programs whose annual assessments and completion the reader keeps."""
    ids = recording_institution_ids(user)
    if not _signed_in(user):
        return Program.objects.none()
    queryset = Program.objects.order_by("specialty", "training_year", "name")
    return queryset if ids is None else queryset.filter(institution_id__in=ids)


def cohorts_recorded_by(user: Any) -> QuerySet[Cohort]:
    ids = recording_institution_ids(user)
    if not _signed_in(user):
        return Cohort.objects.none()
    return Cohort.objects.all() if ids is None else Cohort.objects.filter(institution_id__in=ids)


def cohorts_seen_by(user: Any) -> QuerySet[Cohort]:
    ids = office_institution_ids(user)
    if not _signed_in(user):
        return Cohort.objects.none()
    return Cohort.objects.all() if ids is None else Cohort.objects.filter(institution_id__in=ids)


def programs_seen_by(user: Any) -> QuerySet[Program]:
    ids = office_institution_ids(user)
    if not _signed_in(user):
        return Program.objects.none()
    queryset = Program.objects.order_by("specialty", "training_year", "name")
    return queryset if ids is None else queryset.filter(institution_id__in=ids)


def annual_overdue(today: datetime.date) -> QuerySet[AnnualAssessment]:
    return AnnualAssessment.objects.filter(status=AnnualStatus.OPEN, due_on__lt=today)


def rotations_of_year_passed(member: CohortMember) -> bool | None:
    """Every rotation-end assessment of the membership whose rotation has ended passed (None:
    it has none)."""
    statuses = list(
        Assessment.objects.filter(member=member, end__lt=timezone.localdate())
        .exclude(status=AssessmentStatus.CANCELLED)
        .values_list("status", flat=True)
    )
    if not statuses:
        return None
    return all(status == AssessmentStatus.PASSED for status in statuses)


# --------------------------------------------------------------------------- completion


def members_visible_to(user: Any) -> QuerySet[CohortMember]:
    """The cohort memberships whose completion the reader sees (the office page's rows)."""
    queryset = CohortMember.objects.select_related("resident", "program", "cohort")
    return _scoped(queryset, user, "cohort__institution_id", "resident_id")


def resident_get_for_user_or_404(user: Any, pk: int) -> User:
    """A resident whose checklist the reader sees: the same 404 for missing and not yours."""
    resident = User.objects.filter(
        pk=pk, pk__in=members_visible_to(user).values("resident_id")
    ).first()
    if resident is None:
        raise Http404
    return resident


def rule_list_visible_to(user: Any) -> QuerySet[CompletionRule]:
    queryset = CompletionRule.objects.select_related("institution").order_by(
        "institution_id", "specialty"
    )
    if not _signed_in(user):
        return queryset.none()
    ids = office_institution_ids(user)
    return queryset if ids is None else queryset.filter(institution_id__in=ids)


def rules_from(rule: CompletionRule | None) -> eligibility.Rules:
    if rule is None:
        return eligibility.Rules()
    return eligibility.Rules(
        training_years=rule.training_years,
        rotations_required=rule.rotations_required,
        caselog_share=rule.caselog_share,
        annual_required=rule.annual_required,
        attendance_pass=rule.attendance_pass,
        remediation_clear=rule.remediation_clear,
    )


@dataclass
class Candidate:
    """One resident in one specialty at one hospital, with the verdict of the rules."""

    resident: User
    institution_id: int
    specialty: str
    member: CohortMember  # the latest membership (its program and cohort)
    verdict: eligibility.Verdict
    result: CompletionResult | None
    training_ends: datetime.date | None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.resident.pk, self.institution_id, self.specialty)

    @property
    def missing_texts(self) -> list[str]:
        return [eligibility.describe(item) for item in self.verdict.missing]


def _rotation_state(statuses: list[str]) -> str:
    if AssessmentStatus.PASSED in statuses:
        return eligibility.PASSED
    if AssessmentStatus.OPEN in statuses:
        return eligibility.OPEN
    if AssessmentStatus.FAILED in statuses:
        return eligibility.FAILED
    return eligibility.MISSING


def candidates_of(members: Any) -> list[Candidate]:
    """The candidates of these memberships (one per resident, hospital and specialty), their
    facts read over every membership of the resident in that specialty — a fixed number of
    queries whatever the number of residents."""
    seeds = list(members)
    if not seeds:
        return []
    keys = {(m.resident_id, m.program.institution_id, m.program.specialty) for m in seeds}
    resident_ids = {k[0] for k in keys}
    all_members = [
        m
        for m in CohortMember.objects.filter(
            resident_id__in=resident_ids,
            program__institution_id__in={k[1] for k in keys},
            program__specialty__in={k[2] for k in keys},
        )
        .select_related("resident", "program", "cohort__calendar")
        .order_by("cohort__calendar__training_year", "program__training_year", "pk")
        if (m.resident_id, m.program.institution_id, m.program.specialty) in keys
    ]
    by_key: dict[tuple[int, int, str], list[CohortMember]] = defaultdict(list)
    for m in all_members:
        by_key[(m.resident_id, m.program.institution_id, m.program.specialty)].append(m)
    member_ids = {m.pk for m in all_members}

    requirements: dict[int, list[Any]] = defaultdict(list)
    for requirement in Requirement.objects.filter(
        program_id__in={m.program_id for m in all_members}, is_elective=False, min_blocks__gt=0
    ).prefetch_related("departments"):
        requirements[requirement.program_id].append(requirement)

    statuses: dict[tuple[int, int], list[str]] = defaultdict(list)
    remediations: dict[int, list[str]] = defaultdict(list)
    row: Any
    for row in (
        Assessment.objects.filter(member_id__in=member_ids)
        .exclude(status=AssessmentStatus.CANCELLED)
        .values(
            "member_id",
            "department_id",
            "status",
            "department__name",
            "department__name_zh",
            "remediation__status",
        )
    ):
        statuses[(row["member_id"], row["department_id"])].append(row["status"])
        if row["remediation__status"] not in (None, "done"):
            remediations[row["member_id"]].append(
                bilingual(row["department__name"], row["department__name_zh"])
            )

    annual: dict[int, tuple[int, str]] = {}
    for row in AnnualAssessment.objects.filter(member_id__in=member_ids).values(
        "member_id", "training_year", "status"
    ):
        annual[row["member_id"]] = (row["training_year"], row["status"])

    rules = {}
    condition = Q()
    for _r, institution_id, specialty in keys:
        condition |= Q(institution_id=institution_id, specialty=specialty)
    for rule in CompletionRule.objects.filter(condition):
        rules[(rule.institution_id, rule.specialty)] = rule
    catalogues = {
        (row["institution_id"], row["specialty"]): row["id"]
        for row in Catalogue.objects.filter(condition, is_active=True).values(
            "id", "institution_id", "specialty"
        )
    }
    minimums: dict[int, list[Any]] = defaultdict(list)
    for row in Minimum.objects.filter(
        item__catalogue_id__in=set(catalogues.values()),
        item__is_active=True,
        department__isnull=True,
    ).values("item_id", "item__catalogue_id", "item__name", "item__name_zh", "role", "count"):
        minimums[row["item__catalogue_id"]].append(row)
    verified: dict[tuple[int, int, int], int] = {}
    if minimums:
        for row in (
            LogEntry.objects.filter(
                resident_id__in=resident_ids,
                item__catalogue_id__in=set(minimums),
                status=EntryStatus.VERIFIED,
            )
            .order_by()
            .values("resident_id", "item_id", "role")
            .annotate(n=Count("id"))
        ):
            verified[(row["resident_id"], row["item_id"], row["role"])] = row["n"]

    attendance = {
        row["resident_id"]: (row["due"], row["present"])
        for row in Attendance.objects.filter(
            resident_id__in=resident_ids,
            in_audience=True,
            activity__status=ActivityStatus.SCHEDULED,
            activity__ends_at__lte=timezone.now(),
        )
        .order_by()
        .values("resident_id")
        .annotate(
            due=Count("id", filter=~Q(status=AttendanceStatus.EXCUSED)),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        )
    }
    results = {
        (r.resident_id, r.institution_id, r.specialty): r
        for r in CompletionResult.objects.filter(resident_id__in=resident_ids)
    }
    ends = dict(
        Assignment.objects.filter(member_id__in=member_ids)
        .order_by()
        .values("member_id")
        .annotate(end=Max("block__end_date"))
        .values_list("member_id", "end")
    )

    candidates = []
    for key in sorted(keys, key=lambda k: (by_key[k][-1].resident.full_name, k)):
        chain = by_key[key]
        resident_id, institution_id, specialty = key
        rotations = []
        open_remediations: list[str] = []
        years: dict[int, str] = {}
        for m in chain:
            for requirement in requirements.get(m.program_id, []):
                departments = list(requirement.departments.all())
                found = [s for d in departments for s in statuses.get((m.pk, d.pk), [])]
                label = " / ".join(str(d) for d in departments)
                rotations.append(eligibility.RotationFact(label, _rotation_state(found)))
            open_remediations += remediations.get(m.pk, [])
            if m.pk in annual:
                year, status = annual[m.pk]
                if years.get(year) != eligibility.PASSED:
                    years[year] = status
        lines = []
        rows = minimums.get(catalogues.get((institution_id, specialty), -1), [])
        items_seen: dict[int, int] = defaultdict(int)
        for row in rows:
            items_seen[row["item_id"]] += 1
        for row in rows:
            count = sum(
                verified.get((resident_id, row["item_id"], role), 0)
                for role in range(row["role"], 4)
            )
            label = bilingual(row["item__name"], row["item__name_zh"])
            if items_seen[row["item_id"]] > 1:
                label = f"{label} ({EntryRole(row['role']).label})"
            lines.append(eligibility.CaseLogFact(label, row["count"], count))
        due, present = attendance.get(resident_id, (0, 0))
        facts = eligibility.Facts(
            rotations=tuple(rotations),
            caselog=tuple(lines),
            annual=years,
            attendance_due=due,
            attendance_present=present,
            open_remediations=tuple(open_remediations),
        )
        verdict = eligibility.evaluate(rules_from(rules.get((institution_id, specialty))), facts)
        member_ends = [ends[m.pk] for m in chain if ends.get(m.pk)]
        candidates.append(
            Candidate(
                resident=chain[-1].resident,
                institution_id=institution_id,
                specialty=specialty,
                member=chain[-1],
                verdict=verdict,
                result=results.get(key),
                training_ends=max(member_ends) if member_ends else None,
            )
        )
    return candidates


def candidates_of_resident(resident_id: int) -> list[Candidate]:
    return candidates_of(
        CohortMember.objects.filter(resident_id=resident_id).select_related("program")
    )


def completion_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard card: a resident's checklist summary; an office's eligible count."""
    if not _signed_in(user):
        return {}
    card: dict[str, Any] = {}
    own = candidates_of_resident(user.pk)
    if own:
        card["own_missing"] = sum(len(c.verdict.missing) for c in own)
        card["own_eligible"] = all(c.verdict.eligible for c in own)
    offices = recording_institution_ids(user)
    if offices:
        found = candidates_of(
            CohortMember.objects.filter(cohort__institution_id__in=offices).select_related(
                "program"
            )
        )
        card["office_total"] = len(found)
        card["office_eligible"] = sum(1 for c in found if c.verdict.eligible)
    return card


def annual_plans_visible_to(user: Any) -> QuerySet[AnnualPlan]:
    queryset = AnnualPlan.objects.select_related("program").order_by("program__specialty")
    if not _signed_in(user):
        return queryset.none()
    ids = office_institution_ids(user)
    return queryset if ids is None else queryset.filter(program__institution_id__in=ids)


def calendar_events_for(user: Any) -> list[Any]:
    """The person's exam dates for their calendar feed: their annual exams (UID
    `annual-<id>@tandem`) and the due dates of their rotation-end assessments
    (`rotation-exam-<id>@tandem`), all-day events, from 60 days back on."""
    if not _signed_in(user):
        return []
    since = timezone.localdate() - datetime.timedelta(days=60)
    events = []
    for annual in AnnualAssessment.objects.filter(resident_id=user.pk, exam_on__gte=since).order_by(
        "exam_on", "pk"
    ):
        event = icalendar.Event()
        event.add("uid", f"annual-{annual.pk}@tandem")
        event.add(
            "summary",
            _("Annual assessment, training year %(year)s") % {"year": annual.training_year},
        )
        event.add("dtstart", annual.exam_on)
        event.add("dtend", annual.exam_on + datetime.timedelta(days=1))
        event.add("dtstamp", annual.created_at)
        events.append(event)
    for assessment in (
        Assessment.objects.filter(
            resident_id=user.pk, status=AssessmentStatus.OPEN, due_on__gte=since
        )
        .select_related("department")
        .order_by("due_on", "pk")
    ):
        event = icalendar.Event()
        event.add("uid", f"rotation-exam-{assessment.pk}@tandem")
        event.add(
            "summary",
            _("Rotation-end assessment due: %(department)s")
            % {"department": str(assessment.department)},
        )
        event.add("dtstart", assessment.due_on)
        event.add("dtend", assessment.due_on + datetime.timedelta(days=1))
        event.add("dtstamp", assessment.created_at)
        events.append(event)
    return events
