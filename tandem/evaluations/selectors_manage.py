"""Reads for running rounds and for a target's own results, scoped to the reader.

A target's results: the released rounds in which the person (or an institution they
coordinate) is evaluated, taken from the round's pairs and not its responses, so that whether
anyone has answered yet is not given away below the threshold (decision 088).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Role, User
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.core import tenancy
from tandem.core.audit import audit_history
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    PairStatus,
)
from tandem.evaluations.selectors import round_target_get_or_404
from tandem.institutions.models import Institution


def round_institution_choices(user: Any) -> QuerySet[Institution]:
    """The institutions the user may open a round for."""
    qs = Institution.objects.order_by("name")
    if tenancy.is_consortium_admin(user):
        return qs
    return qs.filter(pk__in=tenancy.coordinated_institution_ids(user))


def round_agreement_choices(user: Any) -> QuerySet[Any]:
    return agreement_list_visible_to(user).order_by("-id")


def round_pairs_for_manager(round_: EvaluationRound, status: str = "") -> QuerySet[Any]:
    """The pairs of a round the caller runs (paginate it), to extend, reassign or withdraw."""
    qs = round_.pairs.select_related(
        "template", "evaluator", "target_user", "target_institution", "institution"
    ).order_by("status", "due_on", "id")
    return qs.filter(status=status) if status in PairStatus.values else qs


def comment_get_for_manager_or_404(round_: EvaluationRound, answer_id: Any) -> EvaluationAnswer:
    """A comment of a round the caller runs; any other id is missing."""
    try:
        return EvaluationAnswer.objects.get(pk=answer_id, response__round=round_)
    except (EvaluationAnswer.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None  # a malformed id too


def _target_q(target: Any, prefix: str = "") -> Q:
    if isinstance(target, User):
        return Q(**{f"{prefix}target_user": target})
    return Q(**{f"{prefix}target_institution": target})


def hidden_comments(
    round_: EvaluationRound, template: EvaluationTemplate, target: Any
) -> list[dict[str, Any]]:
    """For those who run the round: the comments hidden from a target's results, each with
    who hid it and why (two queries). Callers show them only where the results are shown."""
    rows = list(
        EvaluationAnswer.objects.filter(
            _target_q(target, "response__"),
            response__round=round_,
            response__template=template,
        )
        .exclude(hidden_reason="")
        .order_by("id")
        .values("id", "text", "hidden_reason")
    )
    if not rows:
        return []
    by_whom: dict[tuple[str, str], Any] = {}
    for event in audit_history(round_).filter(action="evaluations.comment_hide"):
        key = (str(event.changes.get("comment", "")), event.reason)
        by_whom.setdefault(key, event.actor)
    return [
        {
            "id": row["id"],
            "text": row["text"],
            "reason": row["hidden_reason"],
            "hidden_by": by_whom.get((row["text"][:80], row["hidden_reason"])),
        }
        for row in rows
    ]


# --- a target's own results -----------------------------------------------------------------


def my_targets(user: Any) -> list[Any]:
    """Whose results the user reads as the one evaluated: themselves and the institutions they
    coordinate."""
    if not getattr(user, "is_authenticated", False):
        return []
    coordinated = tenancy.coordinated_institution_ids(user)
    institutions = list(Institution.objects.filter(pk__in=coordinated).order_by("name"))
    return [user, *institutions]


def _mine_q(user: Any) -> Q:
    return Q(target_user_id=getattr(user, "pk", None)) | Q(
        target_institution_id__in=tenancy.coordinated_institution_ids(user)
    )


def my_result_entries(user: Any) -> QuerySet[Any]:
    """One row per released round, template and target the user reads as the one evaluated
    (paginate it): one query, from the pairs."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationPair.objects.none().values()
    return (
        EvaluationPair.objects.filter(_mine_q(user), round__released_at__isnull=False)
        .exclude(status=PairStatus.WITHDRAWN)
        .values(
            "round_id",
            "round__title",
            "round__title_zh",
            "round__opens_on",
            "round__released_at",
            "template_id",
            "template__title",
            "template__title_zh",
            "target_user_id",
            "target_institution_id",
            "target_institution__name",
            "target_institution__name_zh",
        )
        .distinct()
        .order_by("-round__opens_on", "-round_id", "template_id", "target_institution_id")
    )


def my_result_get_or_404(
    user: Any, round_pk: int, template_pk: int, kind: str, target_pk: int
) -> tuple[EvaluationRound, EvaluationTemplate, Any]:
    """A released round, one of its templates and a target the user reads as the one
    evaluated. Not released, not theirs, not in the round: the same 404."""
    if kind == "person" and target_pk != getattr(user, "pk", None):
        raise Http404
    if kind == "institution" and target_pk not in tenancy.coordinated_institution_ids(user):
        raise Http404
    round_ = EvaluationRound.objects.filter(pk=round_pk, released_at__isnull=False).first()
    if round_ is None:
        raise Http404
    round_template = (
        round_.round_templates.select_related("template").filter(template_id=template_pk).first()
    )
    if round_template is None:
        raise Http404
    target = round_target_get_or_404(round_, template_pk, kind, target_pk)
    return round_, round_template.template, target


def institution_evaluators(institution_ids: Any) -> QuerySet[User]:
    """The people holding the evaluator role (active) at these institutions."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.EVALUATOR,
            memberships__institution_id__in=institution_ids,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def round_evaluator_choices(user: Any) -> QuerySet[User]:
    """Assigned evaluators the user may pick when opening a round: the evaluators of the
    institutions they may open rounds for (the service checks the one chosen runs it)."""
    return institution_evaluators(round_institution_choices(user).values("pk"))
