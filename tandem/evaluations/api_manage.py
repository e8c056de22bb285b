"""The API for running rounds and for a target's own results: the same selectors, permissions
and services as the pages (`views_manage`). A service's ValidationError answers 400 with the
field names in `errors`; a body that does not fit the schema 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.evaluations import (
    permissions,
    results,
    selectors,
    selectors_manage,
    services,
    services_manage,
    services_respond,
)
from tandem.evaluations.models import EvaluationRound, RoundTemplate
from tandem.evaluations.schemas import (
    EvaluationsCompletionOut,
    EvaluationsHiddenCommentOut,
    EvaluationsManagedPairOut,
    EvaluationsMyResultOut,
    EvaluationsPairExtendIn,
    EvaluationsPairReassignIn,
    EvaluationsPersonOut,
    EvaluationsReasonIn,
    EvaluationsResultOut,
    EvaluationsRoundOpenIn,
    EvaluationsRoundOpenOut,
    EvaluationsRoundOut,
    EvaluationsTargetOut,
    EvaluationsTrendOut,
)

router = Router(tags=["evaluations"])


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


def _pick(english: str, chinese: str) -> str:
    return chinese if _zh() and chinese else english


def _require_coordinating(user: Any) -> None:
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        raise PermissionDenied(_("Evaluation rounds are run by coordinators."))


def _rounds(user: Any) -> Any:
    return selectors.rounds_visible_to(user).prefetch_related(
        Prefetch("round_templates", queryset=RoundTemplate.objects.order_by("relationship"))
    )


def _round(user: Any, round_id: int) -> EvaluationRound:
    try:
        round_: EvaluationRound = _rounds(user).get(pk=round_id)
    except EvaluationRound.DoesNotExist:
        raise Http404 from None
    return round_


@router.get(
    "/rounds",
    response={200: list[EvaluationsRoundOut], **ERRORS},
    operation_id="evaluations_round_list",
)
@paginate(Pagination)
def round_list(request: HttpRequest) -> Any:
    _require_coordinating(request.user)
    return _rounds(request.user)


@router.get(
    "/rounds/{round_id}",
    response={200: EvaluationsRoundOut, **ERRORS},
    operation_id="evaluations_round_get",
)
def round_get(request: HttpRequest, round_id: int) -> Any:
    return _round(request.user, round_id)


@router.post(
    "/rounds",
    response={200: EvaluationsRoundOpenOut, 201: EvaluationsRoundOpenOut, **ERRORS},
    operation_id="evaluations_round_open",
)
def round_open(request: HttpRequest, payload: EvaluationsRoundOpenIn) -> Any:
    """Open a round and generate its pairs; with `dry_run: true`, only count them (200)."""
    user = request.user
    _require_coordinating(user)
    institution = (
        selectors_manage.round_institution_choices(user).filter(pk=payload.institution_id).first()
    )
    if institution is None:
        raise field_error("institution_id", _("Choose an institution you coordinate."))
    agreement = None
    if payload.agreement_id is not None:
        agreement = (
            selectors_manage.round_agreement_choices(user).filter(pk=payload.agreement_id).first()
        )
        if agreement is None:
            raise field_error("agreement_id", _("Choose an agreement of your institution."))
    templates = {}
    for relationship, template_id in payload.templates.items():
        template = selectors.template_choices_for(user, relationship).filter(pk=template_id).first()
        if template is None:
            raise field_error(
                f"template_{relationship}", _("Choose a current template for this relationship.")
            )
        templates[relationship] = template
    if payload.due_on < payload.opens_on:
        raise field_error("due_on", _("The due date cannot be before the opening date."))
    wanted = set(payload.evaluator_ids)
    evaluators = list(selectors_manage.round_evaluator_choices(user).filter(pk__in=wanted))
    if len(evaluators) != len(wanted):
        raise field_error("evaluator_ids", _("Choose evaluators of an institution you coordinate."))
    kwargs: dict[str, Any] = {
        "actor": user,
        "institution": institution,
        "title": payload.title,
        "title_zh": payload.title_zh,
        "population": payload.population,
        "agreement": agreement,
        "cohort": payload.cohort,
        "opens_on": payload.opens_on,
        "due_on": payload.due_on,
        "templates": templates,
        "evaluators": evaluators,
    }
    if payload.dry_run:
        counts = services_manage.round_preview(**kwargs)
        return {"dry_run": True, "pairs": counts, "total": sum(counts.values()), "round": None}
    round_ = services.round_open(**kwargs)
    counts = services_manage.pair_counts(round_)
    return Status(
        201,
        {
            "dry_run": False,
            "pairs": counts,
            "total": sum(counts.values()),
            "round": _round(user, round_.pk),
        },
    )


@router.get(
    "/rounds/{round_id}/completion/institutions",
    response={200: list[EvaluationsCompletionOut], **ERRORS},
    operation_id="evaluations_round_completion_institutions",
)
def completion_institutions(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request.user, round_id)
    if not permissions.can_see_completion(request.user, round_):
        raise PermissionDenied(_("Only the coordinators running the round can see completion."))
    return [
        {
            "institution_id": row["institution_id"],
            "institution_name": _pick(row["institution__name"], row["institution__name_zh"]),
            "submitted": row["submitted"],
            "pending": row["pending"],
            "total": row["total"],
        }
        for row in selectors.round_completion_by_institution(round_)
    ]


@router.get(
    "/rounds/{round_id}/completion/evaluators",
    response={200: list[EvaluationsCompletionOut], **ERRORS},
    operation_id="evaluations_round_completion_evaluators",
)
@paginate(Pagination)
def completion_evaluators(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request.user, round_id)
    if not permissions.can_see_completion(request.user, round_):
        raise PermissionDenied(_("Only the coordinators running the round can see completion."))
    return _EvaluatorRows(selectors.round_completion_by_evaluator(round_))


class _EvaluatorRows:
    """The completion rows per evaluator, named as the schema names them; sliced lazily so
    that pagination stays one query."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        rows = self.queryset[index]
        return [
            {
                "evaluator_id": row["evaluator_id"],
                "evaluator_name": row["evaluator__full_name"] or row["evaluator__username"],
                "submitted": row["submitted"],
                "pending": row["pending"],
                "total": row["total"],
            }
            for row in rows
        ]


@router.get(
    "/rounds/{round_id}/pairs",
    response={200: list[EvaluationsManagedPairOut], **ERRORS},
    operation_id="evaluations_round_pairs",
)
@paginate(Pagination)
def round_pairs(request: HttpRequest, round_id: int, status: str = "") -> Any:
    round_ = _round(request.user, round_id)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the coordinators running the round can change it."))
    return selectors_manage.round_pairs_for_manager(round_, status)


def _managed_pair(user: Any, pair_id: int) -> Any:
    pair = selectors.pair_get_for_manager_or_404(user, pair_id)
    if not permissions.can_manage_round(user, pair.round):
        raise PermissionDenied(_("Only the coordinators running the round can change it."))
    return pair


@router.post(
    "/pairs/{pair_id}/extend",
    response={200: EvaluationsManagedPairOut, **ERRORS},
    operation_id="evaluations_pair_extend",
)
def pair_extend(request: HttpRequest, pair_id: int, payload: EvaluationsPairExtendIn) -> Any:
    pair = _managed_pair(request.user, pair_id)
    services.pair_extend(
        actor=request.user, pair=pair, due_on=payload.due_on, reason=payload.reason
    )
    return selectors.pair_get_for_manager_or_404(request.user, pair_id)


@router.get(
    "/pairs/{pair_id}/reassign-choices",
    response={200: list[EvaluationsPersonOut], **ERRORS},
    operation_id="evaluations_pair_reassign_choices",
)
@paginate(Pagination)
def pair_reassign_choices(request: HttpRequest, pair_id: int) -> Any:
    pair = _managed_pair(request.user, pair_id)
    return selectors.reassign_choices_for(request.user, pair)


@router.post(
    "/pairs/{pair_id}/reassign",
    response={200: EvaluationsManagedPairOut, **ERRORS},
    operation_id="evaluations_pair_reassign",
)
def pair_reassign(request: HttpRequest, pair_id: int, payload: EvaluationsPairReassignIn) -> Any:
    """Give the pair to another evaluator: answers the new pair (the old one is withdrawn)."""
    pair = _managed_pair(request.user, pair_id)
    evaluator = (
        selectors.reassign_choices_for(request.user, pair).filter(pk=payload.evaluator_id).first()
    )
    if evaluator is None:
        raise field_error("evaluator_id", _("Choose another person of the round's institutions."))
    replacement = services.pair_reassign(
        actor=request.user, pair=pair, evaluator=evaluator, reason=payload.reason
    )
    return selectors.pair_get_for_manager_or_404(request.user, replacement.pk)


@router.post(
    "/pairs/{pair_id}/withdraw",
    response={200: EvaluationsManagedPairOut, **ERRORS},
    operation_id="evaluations_pair_withdraw",
)
def pair_withdraw(request: HttpRequest, pair_id: int, payload: EvaluationsReasonIn) -> Any:
    pair = _managed_pair(request.user, pair_id)
    services.pair_withdraw(actor=request.user, pair=pair, reason=payload.reason)
    return selectors.pair_get_for_manager_or_404(request.user, pair_id)


@router.post(
    "/rounds/{round_id}/release",
    response={200: EvaluationsRoundOut, **ERRORS},
    operation_id="evaluations_round_release",
)
def round_release(request: HttpRequest, round_id: int) -> Any:
    """Release the round's results to those evaluated (cannot be undone)."""
    round_ = _round(request.user, round_id)
    services_respond.round_release(actor=request.user, round_=round_)
    return _round(request.user, round_id)


def _target_name(target: Any) -> str:
    return str(target.full_name or target.username) if isinstance(target, User) else str(target)


@router.get(
    "/rounds/{round_id}/targets",
    response={200: list[EvaluationsTargetOut], **ERRORS},
    operation_id="evaluations_round_targets",
)
@paginate(Pagination)
def round_targets(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request.user, round_id)
    return _TargetRows(results.round_targets(round_))


class _TargetRows(_EvaluatorRows):
    def __getitem__(self, index: Any) -> Any:
        return [
            {
                "template_id": row["template_id"],
                "kind": "person" if row["target_user_id"] else "institution",
                "target_id": row["target_user_id"] or row["target_institution_id"],
                "name": row["target_user__full_name"]
                if row["target_user_id"]
                else _pick(row["target_institution__name"], row["target_institution__name_zh"]),
            }
            for row in self.queryset[index]
        ]


def _result_body(
    round_: EvaluationRound, template: Any, kind: str, target: Any, *, reviewer: bool
) -> dict[str, Any]:
    result = results.target_result(round_, template, target, reviewer=reviewer)
    body: dict[str, Any] = {
        "round_id": round_.pk,
        "template_id": template.pk,
        "template_title": str(template.display_title),
        "kind": kind,
        "target_id": target.pk,
        "target_name": _target_name(target),
        "shown": result.shown,
        "responses": result.responses,
    }
    if not result.shown:
        return body
    body["sections"] = [
        {
            "title": section.title,
            "mean": section.mean,
            "items": [
                {
                    "item_id": row.item.pk,
                    "prompt": str(row.item),
                    "kind": row.item.kind,
                    "count": row.count,
                    "mean": row.mean,
                    "not_observed": row.not_observed,
                    "distribution": [(str(label), n) for label, n in row.distribution],
                }
                for row in section.items
                if row.item.kind != "narrative"
            ],
        }
        for section in result.sections
    ]
    body["comments"] = [
        {**comment, "id": str(comment["id"]) if "id" in comment else None}
        for comment in result.comments
    ]
    if reviewer:
        body["hidden_comments"] = [
            {
                "id": str(row["id"]),
                "text": row["text"],
                "reason": row["reason"],
                "hidden_by": _target_name(row["hidden_by"]) if row["hidden_by"] else "",
            }
            for row in selectors_manage.hidden_comments(round_, template, target)
        ]
    return body


@router.get(
    "/rounds/{round_id}/results/{template_id}/{kind}/{target_id}",
    response={200: EvaluationsResultOut, **ERRORS},
    operation_id="evaluations_target_result",
)
def target_result(
    request: HttpRequest, round_id: int, template_id: int, kind: str, target_id: int
) -> Any:
    """One target's results for those running the round, with the comments' ids (to hide one)
    and the comments hidden already."""
    round_ = _round(request.user, round_id)
    round_template = get_object_or_404(
        round_.round_templates.select_related("template"), template_id=template_id
    )
    target = selectors.round_target_get_or_404(round_, template_id, kind, target_id)
    return _result_body(round_, round_template.template, kind, target, reviewer=True)


@router.post(
    "/rounds/{round_id}/comments/{answer_id}/hide",
    response={200: EvaluationsHiddenCommentOut, **ERRORS},
    operation_id="evaluations_comment_hide",
)
def comment_hide(
    request: HttpRequest, round_id: int, answer_id: str, payload: EvaluationsReasonIn
) -> Any:
    round_ = _round(request.user, round_id)
    answer = selectors_manage.comment_get_for_manager_or_404(round_, answer_id)
    hidden = services_respond.comment_hide(
        actor=request.user, round_=round_, answer=answer, reason=payload.reason
    )
    return {
        "id": str(hidden.pk),
        "text": hidden.text,
        "reason": hidden.hidden_reason,
        "hidden_by": _target_name(request.user),
    }


@router.get(
    "/mine",
    response={200: list[EvaluationsMyResultOut], **ERRORS},
    operation_id="evaluations_my_results",
)
@paginate(Pagination)
def my_results(request: HttpRequest) -> Any:
    """The released results about the caller and the institutions they coordinate."""
    return _MineRows(selectors_manage.my_result_entries(request.user))


class _MineRows(_EvaluatorRows):
    def __getitem__(self, index: Any) -> Any:
        return [
            {
                "round_id": row["round_id"],
                "round_title": _pick(row["round__title"], row["round__title_zh"]),
                "released_at": row["round__released_at"],
                "template_id": row["template_id"],
                "template_title": _pick(row["template__title"], row["template__title_zh"]),
                "kind": "person" if row["target_user_id"] else "institution",
                "target_id": row["target_user_id"] or row["target_institution_id"],
                "target_name": ""
                if row["target_user_id"]
                else _pick(row["target_institution__name"], row["target_institution__name_zh"]),
            }
            for row in self.queryset[index]
        ]


@router.get(
    "/mine/trend",
    response={200: list[EvaluationsTrendOut], **ERRORS},
    operation_id="evaluations_my_trend",
)
def my_trend(request: HttpRequest) -> Any:
    """Per target (the caller, each institution they coordinate): the mean of the rating
    questions per released round, oldest first; anonymous rounds below the threshold left out."""
    return [
        {
            "kind": "person" if isinstance(target, User) else "institution",
            "target_id": target.pk,
            "target_name": _target_name(target),
            "rounds": [
                {
                    "round_id": row["response__round_id"],
                    "round_title": _pick(
                        row["response__round__title"], row["response__round__title_zh"]
                    ),
                    "opens_on": row["response__round__opens_on"],
                    "template_id": row["response__template_id"],
                    "responses": row["responses"],
                    "mean": round(float(row["mean"]), 2),
                }
                for row in results.trend_for_target(target)
            ],
        }
        for target in selectors_manage.my_targets(request.user)
    ]


@router.get(
    "/mine/{round_id}/{template_id}/{kind}/{target_id}",
    response={200: EvaluationsResultOut, **ERRORS},
    operation_id="evaluations_my_result",
)
def my_result(
    request: HttpRequest, round_id: int, template_id: int, kind: str, target_id: int
) -> Any:
    round_, template, target = selectors_manage.my_result_get_or_404(
        request.user, round_id, template_id, kind, target_id
    )
    return _result_body(round_, template, kind, target, reviewer=False)
