"""The results of a round for one target: aggregates only, a constant number of queries.

For an anonymous template nothing is shown below the consortium's threshold
(`settings.EVALUATIONS_MIN_RESPONSES`, decision 082): not the count of responses, not a mean —
so a single new response below it changes nothing visible. Comments come unattributed, ordered
by their random ids, which have nothing to do with the order of submission.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.evaluations.models import (
    NUMERIC_KINDS,
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    TemplateItem,
)
from tandem.evaluations.selectors import rounds_visible_to


def threshold() -> int:
    return max(1, int(getattr(settings, "EVALUATIONS_MIN_RESPONSES", 3)))


@dataclass
class ItemResult:
    item: TemplateItem
    count: int = 0
    mean: float | None = None
    not_observed: int = 0
    distribution: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class SectionResult:
    title: str
    mean: float | None
    items: list[ItemResult]


@dataclass
class TargetResult:
    template: EvaluationTemplate
    shown: bool
    responses: int | None  # None when below the threshold: not even the count is shown
    sections: list[SectionResult] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)


def _target_filter(target: Any) -> Q:
    if isinstance(target, User):
        return Q(target_user=target)
    return Q(target_institution=target)


def target_result(
    round_: EvaluationRound, template: EvaluationTemplate, target: Any, *, reviewer: bool = False
) -> TargetResult:
    """Four queries whatever the number of answers. `reviewer`: the comment ids are included,
    so that a reviewer can hide one (hidden comments are left out for everyone)."""
    responses = EvaluationResponse.objects.filter(
        _target_filter(target), round=round_, template=template
    )
    count = responses.count()
    if template.is_anonymous and count < threshold():
        return TargetResult(template=template, shown=False, responses=None)
    items = list(TemplateItem.objects.filter(template=template).select_related("section"))
    answers = EvaluationAnswer.objects.filter(response__in=responses)
    tallies = (
        answers.values("item_id", "number", "not_observed")
        .annotate(n=Count("id"))
        .filter(Q(number__isnull=False) | Q(not_observed=True))
        .order_by()
    )
    by_item: dict[int, dict[Any, int]] = defaultdict(dict)
    for row in tallies:
        key = "not_observed" if row["not_observed"] else row["number"]
        by_item[row["item_id"]][key] = by_item[row["item_id"]].get(key, 0) + row["n"]
    sections: dict[int, SectionResult] = {}
    section_sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in items:
        tally = by_item.get(item.pk, {})
        result = ItemResult(item=item, not_observed=tally.get("not_observed", 0))
        if item.kind != ItemKind.NARRATIVE:
            labels = dict(item.choices)
            numbers = {k: v for k, v in tally.items() if k != "not_observed"}
            result.count = sum(numbers.values())
            result.distribution = [
                (label, numbers.get(int(value), 0)) for value, label in labels.items()
            ]
            if item.kind in NUMERIC_KINDS and result.count:
                total = sum(value * n for value, n in numbers.items())
                result.mean = round(total / result.count, 2)
                if item.kind != ItemKind.YES_NO:
                    section_sums[item.section_id][0] += total
                    section_sums[item.section_id][1] += result.count
        section = sections.setdefault(
            item.section_id, SectionResult(title=str(item.section), mean=None, items=[])
        )
        section.items.append(result)
    for section_id, section in sections.items():
        total, n = section_sums[section_id]
        section.mean = round(total / n, 2) if n else None
    comment_rows = (
        answers.filter(item__kind=ItemKind.NARRATIVE, hidden_reason="")
        .exclude(text="")
        .order_by("id")  # random ids: not the order of submission
        .values("id", "item_id", "text")
    )
    comments = [
        {"item_id": row["item_id"], "text": row["text"], **({"id": row["id"]} if reviewer else {})}
        for row in comment_rows
    ]
    return TargetResult(
        template=template,
        shown=True,
        responses=count,
        sections=list(sections.values()),
        comments=comments,
    )


def round_targets(round_: EvaluationRound) -> QuerySet[Any]:
    """The targets of a round, per template (paginate it), from the pairs."""
    return (
        round_.pairs.exclude(status="withdrawn")
        .values(
            "template_id",
            "template__title",
            "template__title_zh",
            "target_user_id",
            "target_user__full_name",
            "target_institution_id",
            "target_institution__name",
            "target_institution__name_zh",
        )
        .annotate(pairs=Count("id"))
        .order_by("template_id", "target_user__full_name", "target_institution__name")
    )


def rounds_with_results_for(user: Any) -> QuerySet[EvaluationRound]:
    """Rounds whose results the user may read: those they run, and released rounds in which
    they (or an institution they coordinate) were evaluated."""
    evaluated = Q(released_at__isnull=False) & (
        Q(responses__target_user_id=getattr(user, "pk", None))
        | Q(responses__target_institution_id__in=tenancy.coordinated_institution_ids(user))
    )
    return EvaluationRound.objects.filter(
        Q(pk__in=rounds_visible_to(user).values("pk")) | evaluated
    ).distinct()


def trend_for_target(target: Any) -> list[dict[str, Any]]:
    """The mean of the scale items per released round, oldest first (one query); a round of an
    anonymous template below the threshold is left out."""
    key = "response__target_user" if isinstance(target, User) else "response__target_institution"
    rows = (
        EvaluationAnswer.objects.filter(
            **{key: target},
            response__round__released_at__isnull=False,
            number__isnull=False,
            item__kind__in=[ItemKind.RATING, ItemKind.ENTRUSTMENT],
        )
        .values(
            "response__round_id",
            "response__round__title",
            "response__round__title_zh",
            "response__round__opens_on",
            "response__template_id",
            "response__template__is_anonymous",
        )
        .annotate(responses=Count("response_id", distinct=True), mean=Avg("number"))
        .order_by("response__round__opens_on", "response__round_id")
    )
    minimum = threshold()
    return [
        row
        for row in rows
        if not row["response__template__is_anonymous"] or row["responses"] >= minimum
    ]
