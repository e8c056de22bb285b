"""The assessments API: the same selectors, permissions and services as the pages. A
service's ValidationError answers 400 with the field in `errors`; a body that does not fit
422; an assessment or WBA the caller may not see 404, an action of another role 403."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.models import User
from tandem.assessments import permissions, selectors, services, services_wba
from tandem.assessments.schemas import (
    AssessmentOut,
    AssessmentRecordIn,
    AssessmentRemediationIn,
    AssessmentSignoffIn,
    AssessmentSummaryIn,
    WbaCodeIn,
    WbaCodeOut,
    WbaConfirmIn,
    WbaIn,
    WbaOut,
)
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.residency.models import ScheduleProposal

router = Router(tags=["assessments"])


def _get(request: HttpRequest, assessment_id: int) -> Any:
    return selectors.assessment_get_for_user_or_404(request.user, assessment_id)


@router.get(
    "/assessments", response={200: list[AssessmentOut], **ERRORS}, operation_id="assessment_list"
)
@paginate(Pagination)
def assessment_list(request: HttpRequest) -> Any:
    """The rotation-end assessments the caller sees, the latest rotations first."""
    return selectors.assessment_list_visible_to(request.user).prefetch_related("components")


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_get",
)
def assessment_get(request: HttpRequest, assessment_id: int) -> Any:
    return _get(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/components",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_record",
)
def assessment_record(request: HttpRequest, assessment_id: int, payload: AssessmentRecordIn) -> Any:
    """Record a theory score, the stations of a skills exam or the attendance (0–100)."""
    assessment = _get(request, assessment_id)
    if not permissions.is_examiner_of(request.user, assessment):
        raise PermissionDenied(
            _("Only the department's teachers and the training offices record results.")
        )
    services.component_record(
        actor=request.user,
        assessment=assessment,
        kind=payload.kind,
        score=payload.score,
        stations=[s.dict() for s in payload.stations] if payload.stations is not None else None,
        note=payload.note,
    )
    return _get(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/summary",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_summary",
)
def assessment_summary(
    request: HttpRequest, assessment_id: int, payload: AssessmentSummaryIn
) -> Any:
    assessment = _get(request, assessment_id)
    if assessment.resident_id != request.user.pk:
        raise PermissionDenied(_("Only the resident writes the rotation summary."))
    services.summary_submit(actor=request.user, assessment=assessment, text=payload.text)
    return _get(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/signoff",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_signoff",
)
def assessment_signoff(
    request: HttpRequest, assessment_id: int, payload: AssessmentSignoffIn
) -> Any:
    assessment = _get(request, assessment_id)
    if not permissions.is_department_head_of(request.user, assessment):
        raise PermissionDenied(_("Only the department head signs off."))
    services.signoff_record(
        actor=request.user, assessment=assessment, approve=payload.approve, note=payload.note
    )
    return _get(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/decide",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_decide",
)
def assessment_decide(request: HttpRequest, assessment_id: int) -> Any:
    assessment = _get(request, assessment_id)
    if not permissions.is_office_of(request.user, assessment):
        raise PermissionDenied(_("Only the resident's training office decides assessments."))
    services.assessment_decide(actor=request.user, assessment=assessment)
    return _get(request, assessment_id)


@router.post(
    "/assessments/{assessment_id}/remediation",
    response={200: AssessmentOut, **ERRORS},
    operation_id="assessment_remediate",
)
def assessment_remediate(
    request: HttpRequest, assessment_id: int, payload: AssessmentRemediationIn
) -> Any:
    """Re-examination, or a repeat rotation pinned in a proposal of the cohort."""
    assessment = _get(request, assessment_id)
    if not permissions.is_office_of(request.user, assessment):
        raise PermissionDenied(_("Only the resident's training office plans a remediation."))
    proposal = None
    if payload.proposal_id is not None:
        proposal = ScheduleProposal.objects.filter(
            pk=payload.proposal_id, cohort_id=assessment.member.cohort_id
        ).first()
        if proposal is None:
            raise field_error("proposal_id", _("Choose an open proposal of the cohort."))
    services.remediation_plan(
        actor=request.user,
        assessment=assessment,
        kind=payload.kind,
        note=payload.note,
        proposal=proposal,
        block=payload.block,
    )
    return _get(request, assessment_id)


# --------------------------------------------------------------------------- WBAs


@router.get("/wbas", response={200: list[WbaOut], **ERRORS}, operation_id="wba_list")
@paginate(Pagination)
def wba_list(request: HttpRequest) -> Any:
    """The WBAs the caller sees: their own, those they observed, their offices'."""
    return selectors.wba_list_visible_to(request.user)


@router.post("/wbas", response={201: WbaOut, **ERRORS}, operation_id="wba_start")
def wba_start(request: HttpRequest, payload: WbaIn) -> Any:
    if not permissions.can_start_wba(request.user):
        raise PermissionDenied(_("Only residents on a published schedule start WBAs."))
    wba_forms, departments = selectors.wba_choices(request.user, timezone.localdate())
    department = departments.filter(pk=payload.department_id).first()
    if department is None:
        raise field_error("department_id", _("Choose a department of one of your rotations."))
    form = wba_forms.filter(pk=payload.form_id).first()
    if form is None:
        raise field_error("form_id", _("Choose a form of your program."))
    teacher = department.teachers.filter(pk=payload.teacher_id).first()
    if teacher is None:
        raise field_error("teacher_id", _("Choose a teacher of this department."))
    wba = services_wba.wba_start(
        actor=request.user,
        department=department,
        form=form,
        teacher=teacher,
        date=payload.date,
        case=payload.case,
        ratings=payload.ratings,
        feedback=payload.feedback,
    )
    return Status(201, wba)


@router.get("/wbas/{wba_id}", response={200: WbaOut, **ERRORS}, operation_id="wba_get")
def wba_get(request: HttpRequest, wba_id: int) -> Any:
    return selectors.wba_get_for_user_or_404(request.user, wba_id)


@router.post("/wbas/{wba_id}/confirm", response={200: WbaOut, **ERRORS}, operation_id="wba_confirm")
def wba_confirm(request: HttpRequest, wba_id: int, payload: WbaConfirmIn) -> Any:
    """The WBA's teacher confirms (or declines, with a reason) on their own account."""
    wba = selectors.wba_get_for_user_or_404(request.user, wba_id)
    return services_wba.wba_confirm(
        actor=request.user, wba=wba, confirm=payload.confirm, note=payload.note
    )


@router.post(
    "/wbas/{wba_id}/code", response={200: WbaOut, **ERRORS}, operation_id="wba_confirm_code"
)
def wba_confirm_code(request: HttpRequest, wba_id: int, payload: WbaCodeIn) -> Any:
    """On the resident's phone: the teacher's one-time code confirms the WBA."""
    wba = selectors.wba_get_for_user_or_404(request.user, wba_id)
    return services_wba.wba_confirm_with_code(actor=request.user, wba=wba, code=payload.code)


@router.post("/codes", response={201: WbaCodeOut, **ERRORS}, operation_id="wba_code_issue")
def wba_code_issue(request: HttpRequest) -> Any:
    """A one-time code for the caller (a teacher), shown once: ten minutes, one use."""
    user: User = request.user  # type: ignore[assignment]
    row, plain = services_wba.wba_code_issue(actor=user)
    return Status(201, {"code": plain, "expires_at": row.expires_at})


# Annual assessments, completion and the programs' setup (decision 112).
from tandem.assessments.api_completion import router as completion_router  # noqa: E402

router.add_router("", completion_router)
