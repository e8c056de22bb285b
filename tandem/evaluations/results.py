"""The results of a round for one target: aggregates only, a constant number of queries.

For an anonymous template nothing is shown below the consortium's threshold
(`settings.EVALUATIONS_MIN_RESPONSES`, decision 082): not the count of responses, not a mean —
so a single new response below it changes nothing visible. Comments come unattributed, ordered
by their random ids, which have nothing to do with the order of submission.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
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


Tally = dict[int, dict[Any, int]]  # item id → {number or "not_observed": answers}
TargetKey = tuple[int, str, int]  # template id, "person" or "institution", target id


def _tally(rows: Iterable[dict[str, Any]]) -> Tally:
    by_item: Tally = defaultdict(dict)
    for row in rows:
        key = "not_observed" if row["not_observed"] else row["number"]
        by_item[row["item_id"]][key] = by_item[row["item_id"]].get(key, 0) + row["n"]
    return by_item


def _tally_rows(answers: QuerySet[EvaluationAnswer], *group: str) -> QuerySet[Any]:
    """Answers counted per item and value in the database (narrative answers left out)."""
    return (
        answers.filter(Q(number__isnull=False) | Q(not_observed=True))
        .values(*group, "item_id", "number", "not_observed")
        .annotate(n=Count("id"))
        .order_by()
    )


Labels = dict[int, tuple[str, dict[str, str]]]  # item id → (its section's title, its choices)


def _labels(items: list[TemplateItem]) -> Labels:
    return {item.pk: (str(item.section), dict(item.choices)) for item in items}


def _sections(
    items: list[TemplateItem], by_item: Tally, labels: Labels | None = None
) -> list[SectionResult]:
    """Per item the count, mean and distribution; per section the mean of its scale items
    (yes/no left out) — arithmetic on the tallies, no query. `labels`: computed once for many
    targets of one template."""
    labels = labels if labels is not None else _labels(items)
    sections: dict[int, SectionResult] = {}
    section_sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in items:
        tally = by_item.get(item.pk, {})
        result = ItemResult(item=item, not_observed=tally.get("not_observed", 0))
        section_title, choices = labels[item.pk]
        if item.kind != ItemKind.NARRATIVE:
            numbers = {k: v for k, v in tally.items() if k != "not_observed"}
            result.count = sum(numbers.values())
            result.distribution = [
                (label, numbers.get(int(value), 0)) for value, label in choices.items()
            ]
            if item.kind in NUMERIC_KINDS and result.count:
                total = sum(value * n for value, n in numbers.items())
                result.mean = round(total / result.count, 2)
                if item.kind != ItemKind.YES_NO:
                    section_sums[item.section_id][0] += total
                    section_sums[item.section_id][1] += result.count
        section = sections.setdefault(
            item.section_id, SectionResult(title=section_title, mean=None, items=[])
        )
        section.items.append(result)
    for section_id, section in sections.items():
        total, n = section_sums[section_id]
        section.mean = round(total / n, 2) if n else None
    return list(sections.values())


def _hidden(template: EvaluationTemplate, count: int) -> bool:
    """Decision 082: an anonymous template below the threshold shows nothing, not the count."""
    return template.is_anonymous and count < threshold()


def target_result(
    round_: EvaluationRound, template: EvaluationTemplate, target: Any, *, reviewer: bool = False
) -> TargetResult:
    """Four queries whatever the number of answers. `reviewer`: the comment ids are included,
    so that a reviewer can hide one (hidden comments are left out for everyone)."""
    responses = EvaluationResponse.objects.filter(
        _target_filter(target), round=round_, template=template
    )
    count = responses.count()
    if _hidden(template, count):
        return TargetResult(template=template, shown=False, responses=None)
    items = list(TemplateItem.objects.filter(template=template).select_related("section"))
    answers = EvaluationAnswer.objects.filter(response__in=responses)
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
        sections=_sections(items, _tally(_tally_rows(answers))),
        comments=comments,
    )


def _key(template_id: int, person: int | None, place: int | None) -> TargetKey:
    return (template_id, "person", person) if person else (template_id, "institution", place or 0)


def _only(targets: list[TargetKey] | None, prefix: str = "") -> Q:
    """The rows of the given targets (any template: the keys pick the template after)."""
    if targets is None:
        return Q()
    people = {t[2] for t in targets if t[1] == "person"}
    places = {t[2] for t in targets if t[1] == "institution"}
    return Q(**{f"{prefix}target_user_id__in": people}) | Q(
        **{f"{prefix}target_institution_id__in": places}
    )


def round_results(
    round_: EvaluationRound, targets: Iterable[TargetKey] | None = None
) -> dict[TargetKey, TargetResult]:
    """The results of many targets of a round at once (`targets`: those keys only; None: every
    target), four queries whatever the number of targets and answers: the round's templates,
    their items, the responses counted per (template, target) and the answers counted per
    (template, target, item, value) — all grouped in the database. Keyed by (template id,
    "person" or "institution", target id); a target with no response, or of an anonymous
    template below the threshold, is missing (decision 082: no count either). No comments (the
    export has none); `target_result` gives them per target."""
    wanted = None if targets is None else list(targets)
    templates = {
        rt.template_id: rt.template for rt in round_.round_templates.select_related("template")
    }
    items: dict[int, list[TemplateItem]] = defaultdict(list)
    for item in TemplateItem.objects.filter(template_id__in=list(templates)).select_related(
        "section"
    ):
        items[item.template_id].append(item)
    keep = None if wanted is None else set(wanted)
    counts: dict[TargetKey, int] = {}
    for row in (
        EvaluationResponse.objects.filter(_only(wanted), round=round_)
        .values("template_id", "target_user_id", "target_institution_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = _key(row["template_id"], row["target_user_id"], row["target_institution_id"])
        template = templates.get(row["template_id"])
        if keep is not None and key not in keep:
            continue
        if template is not None and not _hidden(template, row["n"]):
            counts[key] = row["n"]
    tallies: dict[TargetKey, list[dict[str, Any]]] = defaultdict(list)
    for row in _tally_rows(
        EvaluationAnswer.objects.filter(_only(wanted, "response__"), response__round=round_),
        "response__template_id",
        "response__target_user_id",
        "response__target_institution_id",
    ):
        key = _key(
            row["response__template_id"],
            row["response__target_user_id"],
            row["response__target_institution_id"],
        )
        if key in counts:
            tallies[key].append(row)
    labels = {template_id: _labels(template_items) for template_id, template_items in items.items()}
    return {
        key: TargetResult(
            template=templates[key[0]],
            shown=True,
            responses=count,
            sections=_sections(items[key[0]], _tally(tallies.get(key, [])), labels[key[0]]),
        )
        for key, count in counts.items()
    }


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
        dict(row)
        for row in rows
        if not row["response__template__is_anonymous"] or row["responses"] >= minimum
    ]


def entrustment_for_target(
    target: Any, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """The mean entrustment level per EPA item (prompt) of released rounds opened between
    `start` and `end` about `target` (one query); an anonymous template's rows count only
    when the round has at least the threshold of responses. Read by the competency committee's
    evidence page (tandem/milestones)."""
    key = "response__target_user" if isinstance(target, User) else "response__target_institution"
    rows = (
        EvaluationAnswer.objects.filter(
            **{key: target},
            response__round__released_at__isnull=False,
            response__round__opens_on__gte=start,
            response__round__opens_on__lte=end,
            number__isnull=False,
            item__kind=ItemKind.ENTRUSTMENT,
        )
        .values(
            "item__prompt",
            "item__prompt_zh",
            "response__round_id",
            "response__template__is_anonymous",
        )
        .annotate(responses=Count("response_id", distinct=True), mean=Avg("number"))
        .order_by("item__prompt", "response__round_id")
    )
    minimum = threshold()
    shown: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row["response__template__is_anonymous"] and row["responses"] < minimum:
            continue
        entry = shown.setdefault(
            (row["item__prompt"], row["item__prompt_zh"]),
            {
                "prompt": row["item__prompt"],
                "prompt_zh": row["item__prompt_zh"],
                "sum": 0.0,
                "n": 0,
            },
        )
        entry["sum"] += float(row["mean"]) * row["responses"]
        entry["n"] += row["responses"]
    return [
        {
            "prompt": e["prompt"],
            "prompt_zh": e["prompt_zh"],
            "responses": e["n"],
            "mean": e["sum"] / e["n"],
        }
        for e in shown.values()
        if e["n"]
    ]
