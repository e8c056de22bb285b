"""Checks on templates and answers, without the database: the services call these.

Answers arrive as `{str(item_id): value}` where value is the chosen number as text, the text of
a narrative, or NOT_OBSERVED.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.evaluations.models import ItemKind, TemplateItem

NOT_OBSERVED = "not_observed"
SCALED_KINDS = (ItemKind.RATING, ItemKind.ENTRUSTMENT, ItemKind.CHOICE)


@dataclass(frozen=True)
class CleanAnswer:
    item_id: int
    number: int | None
    text: str
    not_observed: bool


def check_item(kind: str, options: list[dict[str, Any]], field: str) -> None:
    """A scale needs at least two labelled anchors with distinct whole-number values."""
    if kind not in ItemKind.values:
        raise ValidationError({field: [_("Choose a kind of item.")]})
    if kind not in SCALED_KINDS:
        return
    values = []
    for option in options:
        value = option.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError({field: [_("Every anchor or choice needs a whole number.")]})
        if not str(option.get("label", "")).strip():
            raise ValidationError({field: [_("Every anchor or choice needs a label.")]})
        values.append(value)
    if len(values) < 2 or len(set(values)) != len(values):
        raise ValidationError(
            {field: [_("A scale or choice needs at least two distinct anchors.")]}
        )


def _field(item: TemplateItem) -> str:
    return f"item_{item.pk}"


def clean_answers(
    items: Iterable[TemplateItem], answers: Mapping[str, Any], *, complete: bool
) -> list[CleanAnswer]:
    """The answers that were given, checked. `complete`: every required item must be answered
    (a submission); otherwise a draft may leave any item out."""
    errors: dict[str, list[str]] = {}
    cleaned: list[CleanAnswer] = []
    for item in items:
        raw = answers.get(str(item.pk))
        value = "" if raw is None else str(raw).strip()
        field = _field(item)
        if value == "":
            if complete and item.is_required:
                errors[field] = [_("Answer this question.")]
            continue
        if value == NOT_OBSERVED:
            if not item.allows_not_observed:
                errors[field] = [_("“Not observed” is not an answer to this question.")]
            else:
                cleaned.append(CleanAnswer(item.pk, None, "", True))
            continue
        if item.kind == ItemKind.NARRATIVE:
            cleaned.append(CleanAnswer(item.pk, None, value[:5000], False))
            continue
        allowed = {choice for choice, _label in item.choices}
        if value not in allowed:
            errors[field] = [_("Choose one of the answers offered.")]
            continue
        cleaned.append(CleanAnswer(item.pk, int(value), "", False))
    if errors:
        raise ValidationError(errors)
    return cleaned
