"""Residency set-up over JSON: departments of training bases, block calendars, programs and their
requirements, cohorts and their residents, exchange quotas. The same selectors, permissions and
services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.selectors import person_list_visible_to
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.institutions.selectors import institution_list_visible_to
from tandem.residency import capacity, permissions, selectors, services
from tandem.residency.schemas import (
    ResidencyCalendarDetailOut,
    ResidencyCalendarIn,
    ResidencyCalendarOut,
    ResidencyCapacityIn,
    ResidencyCapacityOut,
    ResidencyCohortDetailOut,
    ResidencyCohortIn,
    ResidencyCohortOut,
    ResidencyDepartmentIn,
    ResidencyDepartmentOut,
    ResidencyDepartmentPatch,
    ResidencyMemberIn,
    ResidencyMemberOut,
    ResidencyMemberPatch,
    ResidencyProgramDetailOut,
    ResidencyProgramIn,
    ResidencyProgramOut,
    ResidencyProgramPatch,
    ResidencyQuotaIn,
    ResidencyQuotaOut,
    ResidencyRequirementIn,
    ResidencyRequirementOut,
    ResidencyRequirementPatch,
    ResidencyRulesIn,
)

router = Router()


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of a PATCH body that were sent with a value (null means unchanged)."""
    return {field: value for field, value in values.items() if value is not None}


def _institution(request: HttpRequest, pk: int, field: str = "institution") -> Any:
    institution = institution_list_visible_to(request.user).filter(pk=pk).first()
    if institution is None:
        raise field_error(field, _("Choose an existing institution."))
    return institution


def _departments(request: HttpRequest, ids: list[int]) -> list[Any]:
    """The departments named; the services refuse inactive ones that a change brings in."""
    wanted = set(ids)
    found = list(selectors.department_list_visible_to(request.user).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error("departments", _("Choose departments that you can see."))
    return found


def _teachers(request: HttpRequest, ids: list[int]) -> list[Any]:
    """The people named; the services refuse those who do not teach at the base's hospital."""
    wanted = set(ids)
    if not wanted:
        return []
    found = list(person_list_visible_to(request.user).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error(
            "teachers", _("Choose teachers, tutors or base directors of this hospital.")
        )
    return found


# --------------------------------------------------------------------------- departments


@router.get(
    "/departments/",
    response={200: list[ResidencyDepartmentOut], **ERRORS},
    operation_id="residency_department_list",
)
@paginate(Pagination)
def department_list(request: HttpRequest, base_id: int | None = None) -> Any:
    return selectors.department_list_for_page(request.user, base_id=base_id)


@router.get(
    "/departments/{pk}/",
    response={200: ResidencyDepartmentOut, **ERRORS},
    operation_id="residency_department_get",
)
def department_get(request: HttpRequest, pk: int) -> Any:
    return selectors.department_get_for_user_or_404(request.user, pk)


@router.post(
    "/departments/",
    response={201: ResidencyDepartmentOut, **ERRORS},
    operation_id="residency_department_create",
)
def department_create(request: HttpRequest, payload: ResidencyDepartmentIn) -> Any:
    if not permissions.can_create_department(request.user):
        raise PermissionDenied(_("Only training offices and base directors add departments."))
    base = selectors.base_list_visible_to(request.user).filter(pk=payload.base_id).first()
    if base is None:
        raise field_error("base", _("Choose a training base."))
    if not permissions.can_edit_base(request.user, base):
        raise PermissionDenied(
            _("Only the training office or the base's director can add departments to it.")
        )
    department = services.department_create(
        actor=request.user,
        base=base,
        teachers=_teachers(request, payload.teacher_ids),
        **payload.dict(exclude={"base_id", "teacher_ids"}),
    )
    return Status(201, selectors.department_get_for_user_or_404(request.user, department.pk))


@router.patch(
    "/departments/{pk}/",
    response={200: ResidencyDepartmentOut, **ERRORS},
    operation_id="residency_department_update",
)
def department_update(request: HttpRequest, pk: int, payload: ResidencyDepartmentPatch) -> Any:
    department = selectors.department_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_department(request.user, department):
        raise PermissionDenied(
            _("Only the training office or the base's director can edit this department.")
        )
    values = _given(payload.dict(exclude_unset=True))
    if "teacher_ids" in values:
        values["teachers"] = _teachers(request, values.pop("teacher_ids"))
    services.department_update(actor=request.user, department=department, **values)
    return selectors.department_get_for_user_or_404(request.user, pk)


# --------------------------------------------------------------------------- capacity by block


def _capacity(department: Any, calendar: Any) -> dict[str, Any]:
    return {
        "department_id": department.pk,
        "calendar_id": calendar.pk,
        "default_min_per_block": department.min_per_block,
        "default_max_per_block": department.max_per_block,
        "rows": [
            {
                "block": row.block.index,
                "number": row.number,
                "start_date": row.block.start_date,
                "end_date": row.block.end_date,
                "min_per_block": row.override_min,
                "max_per_block": row.override_max,
                "effective_min_per_block": row.min_per_block,
                "effective_max_per_block": row.max_per_block,
            }
            for row in capacity.capacity_by_block(department, calendar)
        ],
    }


def _capacity_calendar(request: HttpRequest, department: Any, calendar_id: int) -> Any:
    calendar = (
        capacity.calendar_list_for_department(request.user, department)
        .filter(pk=calendar_id)
        .first()
    )
    if calendar is None:
        raise field_error(
            "calendar_id", _("Use a calendar of the department's hospital or of the consortium.")
        )
    return calendar


@router.get(
    "/departments/{pk}/capacity/",
    response={200: ResidencyCapacityOut, **ERRORS},
    operation_id="residency_capacity_get",
)
def capacity_get(request: HttpRequest, pk: int, calendar_id: int) -> Any:
    """The department's capacity in each block of a calendar (its hospital's or the
    consortium's): its own numbers, or the block's where it has some."""
    department = selectors.department_get_for_user_or_404(request.user, pk)
    return _capacity(department, _capacity_calendar(request, department, calendar_id))


@router.put(
    "/departments/{pk}/capacity/",
    response={200: ResidencyCapacityOut, **ERRORS},
    operation_id="residency_capacity_set",
)
def capacity_set(
    request: HttpRequest, pk: int, calendar_id: int, payload: ResidencyCapacityIn
) -> Any:
    """Replace the blocks' own numbers on this calendar: the blocks sent get theirs, every
    other block the department's. One bad row saves nothing; the error names its block."""
    department = selectors.department_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_department(request.user, department):
        raise PermissionDenied(
            _("Only the training office or the base's director can edit this department.")
        )
    calendar = _capacity_calendar(request, department, calendar_id)
    rows: dict[int, capacity.Row] = dict.fromkeys(range(calendar.block_count))
    seen: set[int] = set()
    for row in payload.rows:
        if row.block in seen:
            raise field_error(
                "rows", _("Block %(number)s is given twice.") % {"number": row.block + 1}
            )
        seen.add(row.block)
        sides = (row.min_per_block, row.max_per_block)
        rows[row.block] = None if sides == (None, None) else sides
    capacity.capacity_set(actor=request.user, department=department, calendar=calendar, rows=rows)
    return _capacity(department, calendar)


# --------------------------------------------------------------------------- calendars


@router.get(
    "/calendars/",
    response={200: list[ResidencyCalendarOut], **ERRORS},
    operation_id="residency_calendar_list",
)
@paginate(Pagination)
def calendar_list(request: HttpRequest, training_year: int | None = None) -> Any:
    queryset = selectors.calendar_list_visible_to(request.user)
    if training_year is not None:
        queryset = queryset.filter(training_year=training_year)
    return queryset


@router.get(
    "/calendars/{pk}/",
    response={200: ResidencyCalendarDetailOut, **ERRORS},
    operation_id="residency_calendar_get",
)
def calendar_get(request: HttpRequest, pk: int) -> Any:
    return selectors.calendar_get_for_user_or_404(request.user, pk)


@router.post(
    "/calendars/",
    response={201: ResidencyCalendarDetailOut, **ERRORS},
    operation_id="residency_calendar_create",
)
def calendar_create(request: HttpRequest, payload: ResidencyCalendarIn) -> Any:
    if not permissions.can_manage_any(request.user):
        raise PermissionDenied(_("Only training offices create block calendars."))
    institution = None
    if payload.institution_id is not None:
        institution = _institution(request, payload.institution_id)
    calendar = services.calendar_create(
        actor=request.user,
        institution=institution,
        **payload.dict(exclude={"institution_id"}),
    )
    return Status(201, selectors.calendar_get_for_user_or_404(request.user, calendar.pk))


# --------------------------------------------------------------------------- programs


def _program_to_edit(request: HttpRequest, pk: int) -> Any:
    program = selectors.program_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_program(request.user, program):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    return program


@router.get(
    "/programs/",
    response={200: list[ResidencyProgramOut], **ERRORS},
    operation_id="residency_program_list",
)
@paginate(Pagination)
def program_list(request: HttpRequest, institution_id: int | None = None) -> Any:
    queryset = selectors.program_list_visible_to(request.user)
    if institution_id is not None:
        queryset = queryset.filter(institution_id=institution_id)
    return queryset


@router.get(
    "/programs/{pk}/",
    response={200: ResidencyProgramDetailOut, **ERRORS},
    operation_id="residency_program_get",
)
def program_get(request: HttpRequest, pk: int) -> Any:
    return selectors.program_get_for_user_or_404(request.user, pk)


@router.post(
    "/programs/",
    response={201: ResidencyProgramDetailOut, **ERRORS},
    operation_id="residency_program_create",
)
def program_create(request: HttpRequest, payload: ResidencyProgramIn) -> Any:
    if not permissions.can_create_program(request.user):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    program = services.program_create(
        actor=request.user,
        institution=_institution(request, payload.institution_id),
        **payload.dict(exclude={"institution_id"}),
    )
    return Status(201, selectors.program_get_for_user_or_404(request.user, program.pk))


@router.patch(
    "/programs/{pk}/",
    response={200: ResidencyProgramDetailOut, **ERRORS},
    operation_id="residency_program_update",
)
def program_update(request: HttpRequest, pk: int, payload: ResidencyProgramPatch) -> Any:
    program = _program_to_edit(request, pk)
    services.program_update(
        actor=request.user, program=program, **_given(payload.dict(exclude_unset=True))
    )
    return selectors.program_get_for_user_or_404(request.user, pk)


@router.put(
    "/programs/{pk}/rules/",
    response={200: ResidencyProgramDetailOut, **ERRORS},
    operation_id="residency_program_rules_update",
)
def program_rules_update(request: HttpRequest, pk: int, payload: ResidencyRulesIn) -> Any:
    program = _program_to_edit(request, pk)
    services.program_rules_update(
        actor=request.user, program=program, rules=payload.rules, may_idle=payload.may_idle
    )
    return selectors.program_get_for_user_or_404(request.user, pk)


@router.post(
    "/programs/{pk}/requirements/",
    response={201: ResidencyRequirementOut, **ERRORS},
    operation_id="residency_requirement_add",
)
def requirement_add(request: HttpRequest, pk: int, payload: ResidencyRequirementIn) -> Any:
    program = _program_to_edit(request, pk)
    requirement = services.requirement_add(
        actor=request.user,
        program=program,
        departments=_departments(request, payload.department_ids),
        min_blocks=payload.min_blocks,
        max_blocks=payload.max_blocks,
        is_elective=payload.is_elective,
    )
    return Status(201, requirement)


def _requirement_to_edit(request: HttpRequest, pk: int) -> Any:
    requirement = selectors.requirement_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_requirement(request.user, requirement):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    return requirement


@router.patch(
    "/requirements/{pk}/",
    response={200: ResidencyRequirementOut, **ERRORS},
    operation_id="residency_requirement_update",
)
def requirement_update(request: HttpRequest, pk: int, payload: ResidencyRequirementPatch) -> Any:
    requirement = _requirement_to_edit(request, pk)
    sent = payload.dict(exclude_unset=True)
    values = _given({k: v for k, v in sent.items() if k != "max_blocks"})
    if "department_ids" in values:
        values["departments"] = _departments(request, values.pop("department_ids"))
    if "max_blocks" in sent:  # null is a value here: no upper limit
        values["max_blocks"] = sent["max_blocks"]
    services.requirement_update(actor=request.user, requirement=requirement, **values)
    return selectors.requirement_get_for_user_or_404(request.user, pk)


@router.delete(
    "/requirements/{pk}/",
    response={204: None, **ERRORS},
    operation_id="residency_requirement_remove",
)
def requirement_remove(request: HttpRequest, pk: int) -> Any:
    services.requirement_remove(actor=request.user, requirement=_requirement_to_edit(request, pk))
    return Status(204, None)


# --------------------------------------------------------------------------- cohorts


def _cohort_to_manage(request: HttpRequest, pk: int) -> Any:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the hospital's training office manages its cohorts."))
    return cohort


def _program_of_cohort(request: HttpRequest, pk: int) -> Any:
    program = selectors.program_list_visible_to(request.user).filter(pk=pk).first()
    if program is None:
        raise field_error("program", _("Choose a program of this hospital."))
    return program


@router.get(
    "/cohorts/",
    response={200: list[ResidencyCohortOut], **ERRORS},
    operation_id="residency_cohort_list",
)
@paginate(Pagination)
def cohort_list(request: HttpRequest, institution_id: int | None = None) -> Any:
    queryset = selectors.cohort_list_visible_to(request.user)
    if institution_id is not None:
        queryset = queryset.filter(institution_id=institution_id)
    return queryset


@router.get(
    "/cohorts/{pk}/",
    response={200: ResidencyCohortDetailOut, **ERRORS},
    operation_id="residency_cohort_get",
)
def cohort_get(request: HttpRequest, pk: int) -> Any:
    return selectors.cohort_get_for_user_or_404(request.user, pk)


@router.post(
    "/cohorts/",
    response={201: ResidencyCohortDetailOut, **ERRORS},
    operation_id="residency_cohort_create",
)
def cohort_create(request: HttpRequest, payload: ResidencyCohortIn) -> Any:
    if not permissions.can_create_cohort(request.user):
        raise PermissionDenied(_("Only the hospital's training office creates its cohorts."))
    institution = _institution(request, payload.institution_id)
    calendar = (
        selectors.calendar_list_for_cohorts(request.user).filter(pk=payload.calendar_id).first()
    )
    if calendar is None:
        raise field_error("calendar", _("Use a calendar of this hospital or of the consortium."))
    cohort = services.cohort_create(
        actor=request.user, institution=institution, calendar=calendar, name=payload.name
    )
    return Status(201, selectors.cohort_get_for_user_or_404(request.user, cohort.pk))


@router.get(
    "/cohorts/{pk}/members/",
    response={200: list[ResidencyMemberOut], **ERRORS},
    operation_id="residency_member_list",
)
@paginate(Pagination)
def member_list(request: HttpRequest, pk: int) -> Any:
    """Every resident of the cohort: for its training office (partners see theirs on
    proposals)."""
    return _cohort_to_manage(request, pk).members.all()


@router.post(
    "/cohorts/{pk}/members/",
    response={201: ResidencyMemberOut, **ERRORS},
    operation_id="residency_member_add",
)
def member_add(request: HttpRequest, pk: int, payload: ResidencyMemberIn) -> Any:
    cohort = _cohort_to_manage(request, pk)
    resident = person_list_visible_to(request.user).filter(pk=payload.resident_id).first()
    if resident is None:
        raise field_error("resident", _("Choose a resident of this hospital."))
    member = services.member_add(
        actor=request.user,
        cohort=cohort,
        resident=resident,
        program=_program_of_cohort(request, payload.program_id),
        leave_blocks=payload.leave_blocks,
        preferences=[p.dict() for p in payload.preferences],
    )
    return Status(201, member)


def _member_to_manage(request: HttpRequest, pk: int) -> Any:
    member = selectors.member_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_member(request.user, member):
        raise PermissionDenied(_("Only the hospital's training office manages its cohorts."))
    return member


@router.patch(
    "/members/{pk}/",
    response={200: ResidencyMemberOut, **ERRORS},
    operation_id="residency_member_update",
)
def member_update(request: HttpRequest, pk: int, payload: ResidencyMemberPatch) -> Any:
    member = _member_to_manage(request, pk)
    values = _given(payload.dict(exclude_unset=True))
    if "program_id" in values:
        values["program"] = _program_of_cohort(request, values.pop("program_id"))
    services.member_update(actor=request.user, member=member, **values)
    return selectors.member_get_for_user_or_404(request.user, pk)


@router.delete(
    "/members/{pk}/", response={204: None, **ERRORS}, operation_id="residency_member_remove"
)
def member_remove(request: HttpRequest, pk: int) -> Any:
    services.member_remove(actor=request.user, member=_member_to_manage(request, pk))
    return Status(204, None)


# --------------------------------------------------------------------------- exchange quotas


@router.get(
    "/quotas/",
    response={200: list[ResidencyQuotaOut], **ERRORS},
    operation_id="residency_quota_list",
)
@paginate(Pagination)
def quota_list(request: HttpRequest, agreement_id: int | None = None) -> Any:
    queryset = selectors.quota_list_visible_to(request.user)
    if agreement_id is not None:
        queryset = queryset.filter(agreement_id=agreement_id)
    return queryset


@router.put(
    "/quotas/", response={200: ResidencyQuotaOut, **ERRORS}, operation_id="residency_quota_set"
)
def quota_set(request: HttpRequest, payload: ResidencyQuotaIn) -> Any:
    """Set how many residents of one hospital may rotate at the other per block, under an
    agreement in force (the quota of the same three is replaced)."""
    if not permissions.can_manage_any(request.user):
        raise PermissionDenied(_("Only a party's training office sets exchange quotas."))
    agreement = agreement_list_visible_to(request.user).filter(pk=payload.agreement_id).first()
    if agreement is None:
        raise field_error("agreement", _("Choose an agreement of your hospital."))
    return services.quota_set(
        actor=request.user,
        agreement=agreement,
        from_institution=_institution(request, payload.from_institution_id, "from_institution"),
        to_institution=_institution(request, payload.to_institution_id, "to_institution"),
        max_per_block=payload.max_per_block,
    )


@router.delete(
    "/quotas/{pk}/", response={204: None, **ERRORS}, operation_id="residency_quota_remove"
)
def quota_remove(request: HttpRequest, pk: int) -> Any:
    quota = selectors.quota_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_quota(request.user, quota):
        raise PermissionDenied(_("Only a party's training office removes exchange quotas."))
    services.quota_remove(actor=request.user, quota=quota)
    return Status(204, None)
