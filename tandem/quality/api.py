"""The quality API: the same selectors, permissions and services as the pages."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.quality import selectors, services
from tandem.quality.schemas import (
    QualityComplianceOut,
    QualityDecideIn,
    QualityRectificationOut,
    QualityRespondIn,
    QualitySelfAssessmentOut,
    QualityStandardOut,
)

router = Router(tags=["quality"])


@router.get(
    "/bases/{base_id}/standards",
    response={200: list[QualityStandardOut], **ERRORS},
    operation_id="quality_standard_list",
)
def standard_list(request: HttpRequest, base_id: int) -> Any:
    base = selectors.base_get_for_user_or_404(request.user, base_id)
    return list(selectors.standard_list_of(base))


@router.get(
    "/bases/{base_id}/compliance",
    response={200: QualityComplianceOut, **ERRORS},
    operation_id="quality_compliance_get",
)
def compliance_get(request: HttpRequest, base_id: int, month: datetime.date | None = None) -> Any:
    """The base's standards in the month holding `month` (default: this month), met or not with
    the evidence, and the twelve months up to it."""
    base = selectors.base_get_for_user_or_404(request.user, base_id)
    result = selectors.compliance_of(base, month or timezone.localdate())
    return {
        "base_id": base.pk,
        "month": result.month,
        "missed": result.missed,
        "standards": [
            {
                "standard": row["standard"],
                "status": row["status"],
                "outcomes": [
                    {"department_id": o.department_id, "status": o.status, "evidence": o.evidence}
                    for o in row["outcomes"]
                ],
            }
            for row in result.rows
        ],
        "history": result.history,
    }


@router.get(
    "/rectifications",
    response={200: list[QualityRectificationOut], **ERRORS},
    operation_id="quality_rectification_list",
)
@paginate(Pagination)
def rectification_list(request: HttpRequest, status: str | None = None) -> Any:
    """The rectification items the caller owns, supervises or manages, by deadline."""
    queryset = selectors.rectification_list_visible_to(request.user).order_by("deadline", "id")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@router.post(
    "/rectifications/{item_id}/respond",
    response={200: QualityRectificationOut, **ERRORS},
    operation_id="quality_rectification_respond",
)
def rectification_respond(request: HttpRequest, item_id: int, payload: QualityRespondIn) -> Any:
    item = selectors.rectification_get_for_user_or_404(request.user, item_id)
    return services.rectification_respond(actor=request.user, item=item, response=payload.response)


@router.post(
    "/rectifications/{item_id}/decide",
    response={200: QualityRectificationOut, **ERRORS},
    operation_id="quality_rectification_decide",
)
def rectification_decide(request: HttpRequest, item_id: int, payload: QualityDecideIn) -> Any:
    item = selectors.rectification_get_for_user_or_404(request.user, item_id)
    return services.rectification_decide(
        actor=request.user, item=item, accept=payload.accept, note=payload.note
    )


@router.get(
    "/self-assessments/{assessment_id}",
    response={200: QualitySelfAssessmentOut, **ERRORS},
    operation_id="quality_self_assessment_get",
)
def self_assessment_get(request: HttpRequest, assessment_id: int) -> Any:
    assessment = selectors.self_assessment_get_for_user_or_404(request.user, assessment_id)
    return {
        "id": assessment.pk,
        "base_id": assessment.base_id,
        "title": assessment.title,
        "status": assessment.status,
        "submitted_at": assessment.submitted_at,
        "scores": [
            {
                "indicator_id": r["indicator"].pk,
                "group": r["indicator"].group_label,
                "indicator": str(r["indicator"]),
                "max_score": r["indicator"].max_score,
                "score": r["score"],
                "comment": r["comment"],
                "evidence": [e.title for e in r["evidence"]],
            }
            for r in selectors.self_assessment_rows(assessment)
        ],
    }
