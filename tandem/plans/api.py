"""The plans API: the same selectors, permissions and services as the pages.

Version reasons follow the confidentiality rule: for a health-related change `change_reason` is
"Adjusted for personal reasons." and `confidential_note` is the text only for the coordinators
of home and host, the two current tutors and the trainee (null, with `confidential: true`, for
everyone else).
"""

import base64
import binascii
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.imports.rules import runs_in_background
from tandem.imports.schemas import ImportJobStartedOut, job_started
from tandem.plans import permissions, selectors, services, services_import, services_milestone
from tandem.plans.models import MilestoneSubmission, PlanMilestone, PlanVersion
from tandem.plans.pdf import render_record_pdf
from tandem.plans.record import joint_record_build
from tandem.plans.record_import import joint_record_import
from tandem.plans.schemas import (
    CourseIn,
    CourseOut,
    CultivationPlanOut,
    FileIn,
    ImportOut,
    MilestoneIn,
    MilestoneOut,
    OverdueOut,
    PlanOut,
    ReviewIn,
    ReviseIn,
    SubmissionOut,
    SubmitIn,
    TopicIn,
    VersionOut,
    WindowIn,
    WindowOut,
)
from tandem.plans.views_record import record_context

router = Router(tags=["plans"])


def _version_out(user: Any, version: PlanVersion, cultivation: JointCultivation) -> dict:
    reason = selectors.version_reason_for(user, version, cultivation)
    return {
        **{
            f: getattr(version, f)
            for f in (
                "number",
                "research_topic",
                "status",
                "reason_kind",
                "created_by_id",
                "created_at",
                "signed_at",
            )
        },
        "change_reason": reason["text"],
        "confidential": reason["confidential"],
        "confidential_note": reason["note"],
        "credits": sum((c.credits for c in version.courses.all()), start=Decimal("0")),
        "signatures": [
            {
                "tutor_id": s.tutor_id,
                "tutor_name": str(s.tutor),
                "role": s.role,
                "signed_at": s.signed_at,
            }
            for s in version.signatures.all()
        ],
        "courses": list(version.courses.all()),
        "milestone_windows": list(version.windows.all()),
    }


def _submission_out(cultivation_pk: int, milestone: PlanMilestone, s: MilestoneSubmission) -> dict:
    return {
        **{
            f: getattr(s, f)
            for f in (
                "number",
                "note",
                "submitted_by_id",
                "submitted_at",
                "outcome",
                "examiners",
                "comments",
                "reviewed_by_id",
                "reviewed_at",
            )
        },
        "evidence": [
            {
                "id": e.pk,
                "name": e.name,
                "sha256": e.sha256,
                "size": e.size,
                "download_url": reverse(
                    "plans:evidence_download", args=[cultivation_pk, milestone.pk, e.pk]
                )
                if e.file
                else None,
            }
            for e in s.evidence.all()
        ],
    }


def _milestone_out(cultivation_pk: int, m: PlanMilestone) -> dict:
    return {
        **{
            f: getattr(m, f) for f in ("id", "key", "kind", "title", "status", "earliest", "latest")
        },
        "overdue": selectors.is_overdue(m),
        "submissions": [_submission_out(cultivation_pk, m, s) for s in m.submissions.all()],
    }


def _plan_out(request: HttpRequest, cultivation: JointCultivation) -> dict:
    plan = selectors.plan_for_cultivation(cultivation)
    if plan is None:
        from django.http import Http404

        raise Http404
    draft = selectors.open_version(plan)
    return {
        "cultivation_id": cultivation.pk,
        "version_in_force": plan.current_version.number if plan.current_version else None,
        "open_version": draft.number if draft else None,
        "versions": [_version_out(request.user, v, cultivation) for v in plan.versions.all()],
        "milestones": [_milestone_out(cultivation.pk, m) for m in plan.milestones.all()],
    }


def _writer(request: HttpRequest, cultivation_id: int) -> JointCultivation:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.can_write_plan(request.user, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors write the plan."))
    return cultivation


def _draft(request: HttpRequest, cultivation: JointCultivation) -> PlanVersion:
    plan = selectors.plan_get_for_user_or_404(request.user, cultivation)
    draft = plan.versions.filter(status__in=["draft", "awaiting_signoff"]).first()
    if draft is None:
        raise field_error(
            "version", _("No version is open for changes: revise the signed plan first.")
        )
    return draft


@router.get(
    "/", response={200: list[CultivationPlanOut], **ERRORS}, operation_id="plans_cultivation_list"
)
@paginate(Pagination)
def cultivation_list(request: HttpRequest, q: str = "", state: str = "") -> Any:
    return selectors.cultivation_list_for_plans_page(request.user, search=q, state=state)


@router.get(
    "/overdue",
    response={200: list[OverdueOut], **ERRORS},
    operation_id="plans_milestone_overdue_list",
)
@paginate(Pagination)
def overdue_list(request: HttpRequest) -> Any:
    return [
        {
            "cultivation_id": m.plan.cultivation_id,
            "trainee": str(m.plan.cultivation.trainee),
            "milestone_id": m.pk,
            "title": m.title,
            "latest": m.latest,
            "status": m.status,
        }
        for m in selectors.overdue_milestones_visible_to(request.user)
    ]


@router.post(
    "/records/import",
    response={201: ImportOut, 202: ImportJobStartedOut, **ERRORS},
    operation_id="plans_record_import",
)
def record_import(
    request: HttpRequest, payload: Body[dict[str, Any]], background: bool = False
) -> Any:
    """Import a joint record (all of it or nothing): 201. A body above the background size (or
    `background=true`) is queued: 202 with the job's URLs (`GET /api/v1/imports/{id}`)."""
    if not permissions.can_import_record(request.user):
        raise PermissionDenied(_("Only consortium admins import joint records."))
    if runs_in_background(len(request.body), asked=background):
        job = services_import.joint_record_import_job_start(
            actor=request.user, file_name="joint-record.json", content=request.body
        )
        return Status(202, job_started(job))
    cultivation = joint_record_import(actor=request.user, data=payload)
    return Status(201, {"cultivation_id": cultivation.pk, "record_id": cultivation.external_id})


@router.get("/{cultivation_id}", response={200: PlanOut, **ERRORS}, operation_id="plans_plan_get")
def plan_get(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_id)
    return _plan_out(request, cultivation)


@router.post(
    "/{cultivation_id}", response={201: PlanOut, **ERRORS}, operation_id="plans_plan_start"
)
def plan_start(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = _writer(request, cultivation_id)
    services.plan_start(actor=request.user, cultivation=cultivation)
    return Status(201, _plan_out(request, cultivation))


@router.put(
    "/{cultivation_id}/draft", response={200: PlanOut, **ERRORS}, operation_id="plans_draft_update"
)
def draft_update(request: HttpRequest, cultivation_id: int, payload: TopicIn) -> Any:
    cultivation = _writer(request, cultivation_id)
    services.plan_version_update(
        actor=request.user,
        version=_draft(request, cultivation),
        research_topic=payload.research_topic,
    )
    return _plan_out(request, cultivation)


@router.post(
    "/{cultivation_id}/draft/courses",
    response={201: CourseOut, **ERRORS},
    operation_id="plans_course_add",
)
def course_add(request: HttpRequest, cultivation_id: int, payload: CourseIn) -> Any:
    cultivation = _writer(request, cultivation_id)
    sites = {cultivation.home.code: cultivation.home, cultivation.host.code: cultivation.host}
    course = services.plan_course_add(
        actor=request.user,
        version=_draft(request, cultivation),
        title=payload.title,
        credits=payload.credits,
        kind=payload.kind,
        institution=sites.get(payload.institution),
        term=payload.term,
    )
    return Status(201, course)


@router.delete(
    "/{cultivation_id}/draft/courses/{course_id}",
    response={200: PlanOut, **ERRORS},
    operation_id="plans_course_remove",
)
def course_remove(request: HttpRequest, cultivation_id: int, course_id: int) -> Any:
    cultivation = _writer(request, cultivation_id)
    draft = _draft(request, cultivation)
    course = get_object_or_404(draft.courses.all(), pk=course_id)
    services.plan_course_remove(actor=request.user, version=draft, course=course)
    return _plan_out(request, cultivation)


@router.post(
    "/{cultivation_id}/draft/milestones",
    response={201: MilestoneOut, **ERRORS},
    operation_id="plans_milestone_add",
)
def milestone_add(request: HttpRequest, cultivation_id: int, payload: MilestoneIn) -> Any:
    cultivation = _writer(request, cultivation_id)
    milestone = services.plan_milestone_add(
        actor=request.user,
        version=_draft(request, cultivation),
        kind=payload.kind,
        title=payload.title,
        earliest=payload.earliest,
        latest=payload.latest,
    )
    return Status(201, _milestone_out(cultivation.pk, milestone))


@router.put(
    "/{cultivation_id}/draft/milestones/{milestone_id}",
    response={200: WindowOut, **ERRORS},
    operation_id="plans_milestone_window_set",
)
def milestone_window_set(
    request: HttpRequest, cultivation_id: int, milestone_id: int, payload: WindowIn
) -> Any:
    cultivation = _writer(request, cultivation_id)
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation.pk, milestone_id)
    return services.plan_milestone_window_set(
        actor=request.user,
        version=_draft(request, cultivation),
        milestone=milestone,
        earliest=payload.earliest,
        latest=payload.latest,
    )


@router.post(
    "/{cultivation_id}/sign", response={200: VersionOut, **ERRORS}, operation_id="plans_plan_sign"
)
def plan_sign(request: HttpRequest, cultivation_id: int) -> Any:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_id)
    if not permissions.is_current_tutor(request.user, cultivation):
        raise PermissionDenied(_("Only the two current tutors sign the plan."))
    version = services.plan_version_sign(actor=request.user, version=_draft(request, cultivation))
    version = selectors.version_get_for_user_or_404(request.user, cultivation.pk, version.number)
    return _version_out(request.user, version, cultivation)


@router.post(
    "/{cultivation_id}/revise",
    response={201: VersionOut, **ERRORS},
    operation_id="plans_plan_revise",
)
def plan_revise(request: HttpRequest, cultivation_id: int, payload: ReviseIn) -> Any:
    cultivation = _writer(request, cultivation_id)
    plan = selectors.plan_get_for_user_or_404(request.user, cultivation)
    version = services.plan_revise(
        actor=request.user, plan=plan, reason=payload.reason, reason_kind=payload.reason_kind
    )
    version = selectors.version_get_for_user_or_404(request.user, cultivation.pk, version.number)
    return Status(201, _version_out(request.user, version, cultivation))


@router.get(
    "/{cultivation_id}/versions/{number}",
    response={200: VersionOut, **ERRORS},
    operation_id="plans_version_get",
)
def version_get(request: HttpRequest, cultivation_id: int, number: int) -> Any:
    version = selectors.version_get_for_user_or_404(request.user, cultivation_id, number)
    return _version_out(request.user, version, version.plan.cultivation)


@router.get(
    "/{cultivation_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **ERRORS},
    operation_id="plans_milestone_get",
)
def milestone_get(request: HttpRequest, cultivation_id: int, milestone_id: int) -> Any:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_id, milestone_id)
    return _milestone_out(cultivation_id, milestone)


def _decode(files: list[FileIn]) -> list[SimpleUploadedFile]:
    uploads = []
    for index, item in enumerate(files):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise field_error(
                f"files[{index}].content_base64", _("This is not base64-encoded content.")
            ) from None
        uploads.append(SimpleUploadedFile(item.name, content))
    return uploads


@router.post(
    "/{cultivation_id}/milestones/{milestone_id}/submit",
    response={201: SubmissionOut, **ERRORS},
    operation_id="plans_milestone_submit",
)
def milestone_submit(
    request: HttpRequest, cultivation_id: int, milestone_id: int, payload: SubmitIn
) -> Any:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_id, milestone_id)
    if not permissions.can_write_plan(request.user, milestone.plan.cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors submit milestones."))
    submission = services_milestone.milestone_submit(
        actor=request.user, milestone=milestone, files=_decode(payload.files), note=payload.note
    )
    return Status(201, _submission_out(cultivation_id, milestone, submission))


@router.post(
    "/{cultivation_id}/milestones/{milestone_id}/review",
    response={200: SubmissionOut, **ERRORS},
    operation_id="plans_milestone_review",
)
def milestone_review(
    request: HttpRequest, cultivation_id: int, milestone_id: int, payload: ReviewIn
) -> Any:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_id, milestone_id)
    if not permissions.may_review(request.user, milestone.plan.cultivation):
        raise PermissionDenied(
            _("Only the current tutors and the coordinators of home and host review milestones.")
        )
    submission = services_milestone.milestone_review(
        actor=request.user, milestone=milestone, **payload.dict()
    )
    return _submission_out(cultivation_id, milestone, submission)


@router.get(
    "/{cultivation_id}/record",
    response={200: dict[str, Any], **ERRORS},
    operation_id="plans_record_export",
)
def record_export(request: HttpRequest, cultivation_id: int) -> Any:
    """The joint record in the `tandem-joint-record/1` format (docs/joint-record-format.md)."""
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_id)
    return joint_record_build(
        cultivation,
        reveal_confidential=permissions.can_read_confidential(request.user, cultivation),
    )


@router.get(
    "/{cultivation_id}/record.pdf",
    response={**ERRORS},
    operation_id="plans_record_pdf",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The joint record as a PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def record_pdf(request: HttpRequest, cultivation_id: int, lang: str = "en") -> Any:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_id)
    if lang not in ("en", "zh-hans"):
        raise field_error("lang", _("Choose en or zh-hans."))
    pdf = render_record_pdf(record_context(request.user, cultivation), lang)
    return HttpResponse(pdf, content_type="application/pdf")
