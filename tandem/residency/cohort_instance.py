"""The solver's instance of a cohort, read from the database: the selectors behind
``services_schedule.proposal_generate`` (the pure conversion is ``instancing.build_instance``)."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from tandem.agreements.models import AgreementStatus
from tandem.residency import instancing
from tandem.residency.models import (
    Assignment,
    CapacityOverride,
    Cohort,
    Department,
    ExchangeQuota,
    Requirement,
)


def external_load(cohort: Cohort, department_ids: set[int]) -> dict[tuple[int, int], int]:
    """Places taken in these departments by other cohorts' published schedules (same calendar)."""
    load: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        Assignment.objects.filter(
            department_id__in=department_ids, schedule__cohort__calendar_id=cohort.calendar_id
        )
        .exclude(schedule__cohort=cohort)
        .values_list("department_id", "block__index")
    )
    for dept_id, index in rows:
        load[(dept_id, index)] += 1
    return dict(load)


def active_quotas_from(institution_id: int) -> QuerySet[ExchangeQuota]:
    return ExchangeQuota.objects.filter(
        from_institution_id=institution_id, agreement__status=AgreementStatus.ACTIVE
    ).select_related("from_institution", "to_institution")


def instance_for_cohort(cohort: Cohort, *, name: str, pins: dict | None = None) -> dict[str, Any]:
    """The instance JSON of a cohort, read from the database (the caller checked access)."""
    members = list(cohort.members.select_related("program").order_by("pk"))
    program_ids = {m.program_id for m in members}
    requirements = list(
        Requirement.objects.filter(program_id__in=program_ids)
        .prefetch_related("departments")
        .order_by("pk")
    )
    dept_ids = {d.pk for r in requirements for d in r.departments.all()}
    departments = list(
        Department.objects.filter(pk__in=dept_ids).select_related("base__institution")
    )
    by_program: dict[int, list[instancing.RequirementData]] = defaultdict(list)
    # A preference for a department the program no longer names (its requirement was edited
    # or removed after the preference was given) has nothing to count: it is left out.
    named: dict[int, set[int]] = defaultdict(set)
    for req in requirements:
        named[req.program_id] |= {d.pk for d in req.departments.all()}
        by_program[req.program_id].append(
            instancing.RequirementData(
                tuple(sorted(d.pk for d in req.departments.all())), req.min_blocks, req.max_blocks
            )
        )
    programs = {m.program_id: m.program for m in members}
    home = cohort.institution.code
    load = external_load(cohort, dept_ids)
    instance = instancing.build_instance(
        name=name,
        blocks=cohort.calendar.block_count,
        home_site=home,
        departments=[
            instancing.DepartmentData(
                d.pk, d.base.institution.code, d.min_per_block, d.max_per_block, d.duration
            )
            for d in departments
            if d.is_active
        ],
        programs=[
            instancing.ProgramData(p.pk, p.may_idle, tuple(by_program[p.pk]), p.rules or {})
            for p in programs.values()
        ],
        members=[
            instancing.MemberData(
                m.pk,
                m.program_id,
                home,
                tuple(int(b) for b in m.leave_blocks or []),
                tuple(
                    (int(p["department"]), int(p["points"]))
                    for p in m.preferences or []
                    if int(p["department"]) in named[m.program_id]
                ),
            )
            for m in members
        ],
        quotas=[
            instancing.QuotaData(q.from_institution.code, q.to_institution.code, q.max_per_block)
            for q in active_quotas_from(cohort.institution_id)
        ],
        external_load=load,
        pins=pins,
    )
    return _with_capacity_by_block(instance, cohort, departments, load)


def _with_capacity_by_block(
    instance: dict[str, Any],
    cohort: Cohort,
    departments: list[Department],
    load: dict[tuple[int, int], int],
) -> dict[str, Any]:
    """Give the rotations of departments with a capacity of their own in some block of the
    cohort's calendar (`CapacityOverride`) per-block `min` and `max` lists, worked out as
    `instancing.build_instance` works out the department's own numbers: the minimum only at
    the cohort's hospital, places taken by other published schedules subtracted."""
    rows = CapacityOverride.objects.filter(
        block__calendar_id=cohort.calendar_id, department__in=departments
    ).values_list("department_id", "block__index", "min_per_block", "max_per_block")
    own: dict[int, dict[int, tuple[int | None, int | None]]] = defaultdict(dict)
    for dept_id, index, low, high in rows:
        own[dept_id][index] = (low, high)
    if not own:
        return instance
    by_key = {instancing.department_key(d.pk): d for d in departments}
    home = cohort.institution.code
    for rotation in instance["rotations"]:
        dept = by_key[rotation["id"]]
        if dept.pk not in own:
            continue
        mins, maxes = [], []
        for t in range(int(instance["blocks"])):
            low, high = own[dept.pk].get(t, (None, None))
            low = dept.min_per_block if low is None else low
            high = dept.max_per_block if high is None else high
            taken = load.get((dept.pk, t), 0)
            mins.append(max(0, (low if rotation["site"] == home else 0) - taken))
            maxes.append(max(0, high - taken))
        rotation["min"], rotation["max"] = mins, maxes
    return instance
