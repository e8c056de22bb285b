"""The API of annual assessments, completion and the programs' assessment setup (assessment
plans, WBA forms and requirements): the same selectors, permissions and services as the
pages (decision 112). Mounted inside the assessments router. A role check that does not
depend on the ids comes first, so an outsider's answer is the same for ids that exist and ids
that do not; ids are then looked up among what the caller may choose."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.assessments import (
    permissions_completion,
    selectors,
    selectors_completion,
    selectors_plans,
    services,
    services_completion,
    services_wba,
)
from tandem.assessments.schemas_completion import (
    AnnualOut,
    AnnualPlanIn,
    AnnualPlanOut,
    AnnualRecordIn,
    AnnualScheduleIn,
    AssessmentPlanIn,
    AssessmentPlanOut,
    CompletionOut,
    CompletionResultIn,
    CompletionRuleIn,
    CompletionRuleOut,
    WbaFormIn,
    WbaFormOut,
    WbaRequirementIn,
    WbaRequirementOut,
)
from tandem.assessments.views_completion import filtered_candidates
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error

router = Router(tags=["assessments"])


def _candidate_out(candidate: Any) -> dict[str, Any]:
    result = candidate.result
    return {
        "resident_id": candidate.resident.pk,
        "resident_name": candidate.resident.full_name or candidate.resident.username,
        "institution_id": candidate.institution_id,
        "specialty": candidate.specialty,
        "program_id": candidate.member.program_id,
        "cohort_id": candidate.member.cohort_id,
        "training_ends": candidate.training_ends,
        "eligible": candidate.verdict.eligible,
        "missing": [
            {"kind": item.kind, "text": text}
            for item, text in zip(candidate.verdict.missing, candidate.missing_texts, strict=True)
        ],
        "result": None
        if result is None
        else {
            "outcome": result.outcome,
            "decided_on": result.decided_on,
            "certificate_number": result.certificate_number,
            "remarks": result.remarks,
        },
    }


def _recorder(request: HttpRequest, message: str) -> None:
    if not selectors_completion.programs_recorded_by(request.user).exists():
        raise PermissionDenied(message)


def _program(request: HttpRequest, program_id: int) -> Any:
    program = selectors_completion.programs_recorded_by(request.user).filter(pk=program_id).first()
    if program is None:
        raise field_error("program_id", _("Choose a program of your hospital."))
    return program


# --------------------------------------------------------------------------- completion


@router.get(
    "/completion", response={200: list[CompletionOut], **ERRORS}, operation_id="completion_list"
)
def completion_list(
    request: HttpRequest,
    cohort_id: int | None = None,
    program_id: int | None = None,
    eligible: str = "",
) -> Any:
    """The training office's list: one row per resident with the verdict and what is missing."""
    data = {
        "cohort": cohort_id or "",
        "program": program_id or "",
        "eligible": eligible if eligible in ("yes", "no") else "",
    }
    _form, candidates = filtered_candidates(request.user, data)
    return [_candidate_out(c) for c in candidates]


@router.get(
    "/completion/{resident_id}",
    response={200: list[CompletionOut], **ERRORS},
    operation_id="completion_get",
)
def completion_get(request: HttpRequest, resident_id: int) -> Any:
    """A resident's checklist (one entry per specialty): the resident's own, or an office's."""
    resident = selectors_completion.resident_get_for_user_or_404(request.user, resident_id)
    return [_candidate_out(c) for c in selectors_completion.candidates_of_resident(resident.pk)]


@router.post(
    "/completion/{resident_id}/result",
    response={200: CompletionOut, **ERRORS},
    operation_id="completion_result_record",
)
def completion_result_record(
    request: HttpRequest, resident_id: int, payload: CompletionResultIn
) -> Any:
    """The final completion result, only for an eligible resident (refused with the reason)."""
    resident = selectors_completion.resident_get_for_user_or_404(request.user, resident_id)
    candidates = [
        c
        for c in selectors_completion.candidates_of_resident(resident.pk)
        if permissions_completion.can_record_completion(request.user, c.institution_id)
    ]
    if not candidates:
        raise PermissionDenied(_("Only the resident's training office records completion."))
    chosen = next((c for c in candidates if c.specialty == payload.specialty), None)
    if chosen is None:
        raise field_error("specialty", _("The resident is not in this specialty at this hospital."))
    services_completion.completion_result_record(
        actor=request.user,
        resident=resident,
        institution_id=chosen.institution_id,
        specialty=chosen.specialty,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        certificate_number=payload.certificate_number,
        remarks=payload.remarks,
    )
    (found,) = [
        c for c in selectors_completion.candidates_of_resident(resident.pk) if c.key == chosen.key
    ]
    return _candidate_out(found)


@router.get(
    "/completion-rules",
    response={200: list[CompletionRuleOut], **ERRORS},
    operation_id="completion_rule_list",
)
def completion_rule_list(request: HttpRequest) -> Any:
    return selectors_completion.rule_list_visible_to(request.user)


@router.put(
    "/completion-rules",
    response={200: CompletionRuleOut, **ERRORS},
    operation_id="completion_rule_save",
)
def completion_rule_save(request: HttpRequest, payload: CompletionRuleIn) -> Any:
    """The completion rules of the program's specialty at its hospital."""
    _recorder(request, _("Only the training offices keep completion rules."))
    data = payload.dict()
    program = _program(request, data.pop("program_id"))
    return services_completion.completion_rule_save(
        actor=request.user,
        institution_id=program.institution_id,
        specialty=program.specialty,
        **data,
    )


# --------------------------------------------------------------------------- annual


@router.get("/annual", response={200: list[AnnualOut], **ERRORS}, operation_id="annual_list")
@paginate(Pagination)
def annual_list(request: HttpRequest) -> Any:
    """The annual assessments the caller sees: their own, or their training office's."""
    return selectors_completion.annual_list_visible_to(request.user)


@router.post("/annual", response={201: list[AnnualOut], **ERRORS}, operation_id="annual_schedule")
def annual_schedule(request: HttpRequest, payload: AnnualScheduleIn) -> Any:
    """An annual assessment with this exam date for every member of the cohort in the program."""
    _recorder(request, _("Only the training offices schedule annual exams."))
    cohort = (
        selectors_completion.cohorts_recorded_by(request.user).filter(pk=payload.cohort_id).first()
    )
    if cohort is None:
        raise field_error("cohort_id", _("Choose a cohort of your hospital."))
    done = services_completion.annual_schedule(
        actor=request.user,
        program=_program(request, payload.program_id),
        cohort=cohort,
        exam_on=payload.exam_on,
        due_on=payload.due_on,
    )
    return Status(201, done)


@router.get("/annual/{annual_id}", response={200: AnnualOut, **ERRORS}, operation_id="annual_get")
def annual_get(request: HttpRequest, annual_id: int) -> Any:
    return selectors_completion.annual_get_for_user_or_404(request.user, annual_id)


@router.post(
    "/annual/{annual_id}/result", response={200: AnnualOut, **ERRORS}, operation_id="annual_record"
)
def annual_record(request: HttpRequest, annual_id: int, payload: AnnualRecordIn) -> Any:
    """Record the scores (0–100) and decide; a failed one is re-examined as the plan allows."""
    assessment = selectors_completion.annual_get_for_user_or_404(request.user, annual_id)
    data = payload.dict()
    return services_completion.annual_record(
        actor=request.user, assessment=assessment, remarks=data.pop("remarks"), **data
    )


@router.get(
    "/annual-plans", response={200: list[AnnualPlanOut], **ERRORS}, operation_id="annual_plan_list"
)
def annual_plan_list(request: HttpRequest) -> Any:
    return selectors_completion.annual_plans_visible_to(request.user)


@router.put(
    "/annual-plans", response={200: AnnualPlanOut, **ERRORS}, operation_id="annual_plan_save"
)
def annual_plan_save(request: HttpRequest, payload: AnnualPlanIn) -> Any:
    _recorder(request, _("Only the training offices keep annual plans."))
    data = payload.dict()
    program = _program(request, data.pop("program_id"))
    return services_completion.annual_plan_save(actor=request.user, program=program, **data)


# --------------------------------------------------------------------------- setup


def _managed_program(request: HttpRequest, program_id: int) -> Any:
    program = selectors.programs_managed_by(request.user).filter(pk=program_id).first()
    if program is None:
        raise field_error("program_id", _("Choose a program of your hospital."))
    return program


def _manager(request: HttpRequest, message: str) -> None:
    if not selectors.programs_managed_by(request.user).exists():
        raise PermissionDenied(message)


@router.get(
    "/plans", response={200: list[AssessmentPlanOut], **ERRORS}, operation_id="assessment_plan_list"
)
def assessment_plan_list(request: HttpRequest) -> Any:
    """The rotation-end assessment plans of the caller's hospitals (the plans page)."""
    return selectors.plan_list_visible_to(request.user)


@router.put(
    "/plans", response={200: AssessmentPlanOut, **ERRORS}, operation_id="assessment_plan_save"
)
def assessment_plan_save(request: HttpRequest, payload: AssessmentPlanIn) -> Any:
    """Save the plan of a program in one department (or, with none, its default plan)."""
    _manager(request, _("Only the programs' training offices keep assessment plans."))
    data = payload.dict()
    program = _managed_program(request, data.pop("program_id"))
    department = None
    department_id = data.pop("department_id")
    if department_id is not None:
        department = selectors.departments_for_plans(request.user).filter(pk=department_id).first()
        if department is None:
            raise field_error("department_id", _("Choose a department you may see."))
    templates = selectors.templates_for_plans(request.user)
    for name in ("global_template", "department_template", "teacher_template"):
        template_id = data.pop(f"{name}_id")
        if template_id is None:
            data[name] = None
            continue
        data[name] = templates.filter(pk=template_id).first()
        if data[name] is None:
            raise field_error(f"{name}_id", _("Choose a current form you may use."))
    return services.plan_save(actor=request.user, program=program, department=department, **data)


@router.get("/wba-forms", response={200: list[WbaFormOut], **ERRORS}, operation_id="wba_form_list")
def wba_form_list(request: HttpRequest) -> Any:
    """The standard WBA forms and the forms of the caller's hospitals' programs."""
    services_wba.standard_forms()
    return selectors_plans.wba_form_list_visible_to(request.user)


@router.post("/wba-forms", response={201: WbaFormOut, **ERRORS}, operation_id="wba_form_create")
def wba_form_create(request: HttpRequest, payload: WbaFormIn) -> Any:
    """A WBA form of a program: domains rated on one scale."""
    _manager(request, _("Only the program's training office defines its forms."))
    form = services_wba.wba_form_create(
        actor=request.user,
        program=_managed_program(request, payload.program_id),
        name=payload.name,
        name_zh=payload.name_zh,
        domains=[d.dict() for d in payload.domains],
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
    )
    return Status(201, form)


@router.get(
    "/wba-requirements",
    response={200: list[WbaRequirementOut], **ERRORS},
    operation_id="wba_requirement_list",
)
def wba_requirement_list(request: HttpRequest) -> Any:
    return selectors_plans.wba_requirement_list_visible_to(request.user)


@router.put(
    "/wba-requirements",
    response={200: WbaRequirementOut, **ERRORS},
    operation_id="wba_requirement_set",
)
def wba_requirement_set(request: HttpRequest, payload: WbaRequirementIn) -> Any:
    """How many confirmed WBAs of a form per rotation (0 removes the requirement)."""
    _manager(request, _("Only the program's training office sets its requirements."))
    program = _managed_program(request, payload.program_id)
    form = selectors_plans.wba_form_list_visible_to(request.user).filter(pk=payload.form_id).first()
    if form is None:
        raise field_error("form_id", _("Choose a standard form or a form of this program."))
    department = None
    if payload.department_id is not None:
        department = (
            selectors.departments_for_plans(request.user).filter(pk=payload.department_id).first()
        )
        if department is None:
            raise field_error("department_id", _("Choose a department you may see."))
    found = services_wba.wba_requirement_set(
        actor=request.user,
        program=program,
        form=form,
        count=payload.count,
        department=department,
    )
    if found is None:
        return {
            "id": None,
            "program_id": program.pk,
            "form_id": form.pk,
            "department_id": department.pk if department else None,
            "count": 0,
        }
    return found
