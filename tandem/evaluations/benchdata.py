"""Submitted answers in bulk, for the scale tests and `bench_evaluation_results` only.

Answering goes through `services_respond.response_submit` everywhere else (the demo too); two
million answers through it would take hours, so this writes the rows the service would write —
a response per submitted pair (anonymous: no evaluator, pair or time, decision 082), an answer
per item — with `bulk.write_rows`, and marks those pairs submitted. Never used by a page.
"""

import random
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from tandem.evaluations import bulk
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationResponse,
    EvaluationTemplate,
    ItemKind,
    PairStatus,
    TemplateItem,
)

RESPONSE_FIELDS = (
    "id",
    "round",
    "template",
    "target_user",
    "target_institution",
    "is_anonymous",
    "evaluator",
    "pair",
    "submitted_at",
)
CHUNK = 5000
ANSWER_FIELDS = ("id", "response", "item", "number", "text", "not_observed", "hidden_reason")


def _values(item: TemplateItem) -> list[int]:
    if item.kind == ItemKind.YES_NO:
        return [0, 1]
    return [int(option["value"]) for option in item.options]


@transaction.atomic
def store_answers(
    pairs: list[EvaluationPair], *, per_pair: int = 1, seed: int = 2026
) -> tuple[int, int]:
    """Submit `pairs` (still to do) with random answers; an anonymous pair's target gets
    `per_pair` responses (more answers without more people). (responses, answers) written."""
    rng = random.Random(seed)
    now = timezone.now()
    templates = {pair.template_id for pair in pairs}
    items: dict[int, list[tuple[TemplateItem, list[int]]]] = {}
    for item in TemplateItem.objects.filter(template_id__in=templates).order_by("id"):
        items.setdefault(item.template_id, []).append((item, _values(item)))
    anonymous = dict(
        EvaluationTemplate.objects.filter(pk__in=templates).values_list("pk", "is_anonymous")
    )
    responses: list[tuple[Any, ...]] = []
    for pair in pairs:
        named = not anonymous[pair.template_id]
        for _copy in range(1 if named else per_pair):
            responses.append(
                (
                    uuid.uuid4(),
                    pair.round_id,
                    pair.template_id,
                    pair.target_user_id,
                    pair.target_institution_id,
                    not named,
                    pair.evaluator_id if named else None,
                    pair.pk if named else None,
                    now if named else None,
                )
            )

    def answers() -> Iterator[tuple[Any, ...]]:
        for response in responses:
            for item, values in items.get(response[2], []):
                if item.kind == ItemKind.NARRATIVE:
                    if rng.random() < 0.3:
                        yield (uuid.uuid4(), response[0], item.pk, None, "Helpful.", False, "")
                elif item.allows_not_observed and rng.random() < 0.05:
                    yield (uuid.uuid4(), response[0], item.pk, None, "", True, "")
                else:
                    yield (uuid.uuid4(), response[0], item.pk, rng.choice(values), "", False, "")

    written = bulk.write_rows(EvaluationResponse, RESPONSE_FIELDS, responses)
    answered = bulk.write_rows(EvaluationAnswer, ANSWER_FIELDS, answers())
    ids = [pair.pk for pair in pairs]
    for start in range(0, len(ids), CHUNK):
        EvaluationPair.objects.filter(pk__in=ids[start : start + CHUNK]).update(
            status=PairStatus.SUBMITTED, submitted_at=now
        )
    return written, answered


def vacuum() -> None:
    """PostgreSQL: clear the dead rows a previous (rolled-back) benchmark run left in the
    evaluation tables, and refresh their statistics, so that runs are comparable."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (EvaluationPair, EvaluationResponse, EvaluationAnswer):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
