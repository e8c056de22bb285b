"""The evaluations API: the evaluator's to-do list and answering, through the same selectors,
permissions and services as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.evaluations import selectors, services_respond
from tandem.evaluations.api_manage import router as manage_router
from tandem.evaluations.api_templates import router as templates_router
from tandem.evaluations.schemas import EvaluationsAnswersIn, EvaluationsPairOut, EvaluationsTodoOut

router = Router(tags=["evaluations"])
router.add_router("", templates_router)  # the template builder (decision 087)


@router.get(
    "/todo",
    response={200: list[EvaluationsTodoOut], **ERRORS},
    operation_id="evaluations_todo_list",
)
@paginate(Pagination)
def todo_list(request: HttpRequest) -> Any:
    return selectors.pairs_to_do(request.user)


@router.post(
    "/{pair_id}/answers",
    response={200: EvaluationsPairOut, **ERRORS},
    operation_id="evaluations_answer",
)
def answer(request: HttpRequest, pair_id: int, payload: EvaluationsAnswersIn) -> Any:
    """Save a draft, or submit (`submit: true`); a submitted evaluation cannot change."""
    pair = selectors.pair_get_for_evaluator_or_404(request.user, pair_id)
    if payload.submit:
        return services_respond.response_submit(
            actor=request.user, pair=pair, answers=payload.answers
        )
    services_respond.response_save_draft(actor=request.user, pair=pair, answers=payload.answers)
    pair.refresh_from_db()
    return pair


# Running rounds and the target's own results.
router.add_router("", manage_router)
