"""Writing and reading the audit trail.

Every service calls `audit_record` inside its own transaction, so a change and its audit row
commit or roll back together.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from tandem.core.models import AuditEvent, BilingualName


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return _name_of(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):  # e.g. a generated text's parameters
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _name_of(obj: models.Model) -> Any:
    """How a related object is recorded: by its name, both names for an institution, unit or
    resource named in both languages ({"name": …, "name_zh": …}), so that the history shows
    the reader's, not the actor's (see portal.history.humanise)."""
    if isinstance(obj, BilingualName) and type(obj).__str__ is BilingualName.__str__:
        if obj.name_zh and obj.name_zh != obj.name:
            return {"name": obj.name, "name_zh": obj.name_zh}
        return obj.name
    return str(obj)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` on `obj`, in a JSON-friendly form, to diff before and after."""
    return {field: _plain(getattr(obj, field)) for field in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict[str, Any] | None = None,
) -> AuditEvent:
    """`reason`: what a person wrote; `reason_code` and `reason_params`: a reason the system
    gives, a code of `audit_labels.GENERATED_TEXTS`, worded when the history is read."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes={key: _plain(value) for key, value in (changes or {}).items()},
        reason=reason,
        reason_code=reason_code,
        reason_params={key: _plain(value) for key, value in (reason_params or {}).items()},
    )


def audit_history(target: models.Model) -> models.QuerySet[AuditEvent]:
    """The history of one object, newest first. Callers check access to `target` first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
    ).select_related("actor")
