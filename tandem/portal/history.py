"""The change history in words: what an audit event says, in the reader's language.

The audit trail stores codes (`proposal.publish`), field names (`time_limit`) and plain JSON
values. `describe` turns one event into a sentence's parts — who, what they did, what changed
and why — without a query (the content types come from their cache). The few ids some events
record (people, residents, departments) are named by `names_in` for a whole list at once, so a
history costs a fixed number of queries whatever its length.

Each app words its own events in its `history.py` (a `HistoryWording`); this module imports
them by name (`WORDINGS`) and merges them. `tandem/portal/tests/test_history.py` fails when a
service records a code without a label in its app's wording.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts import history as accounts_history
from tandem.agreements import history as agreements_history
from tandem.alerts import history as alerts_history
from tandem.assessments import history as assessments_history
from tandem.assessments import history_completion as completion_history
from tandem.bookings import history as bookings_history
from tandem.conduct import history as conduct_history
from tandem.core import history as core_history
from tandem.core.audit_labels import HistoryWording, generated_text, is_generated
from tandem.core.models import AuditEvent
from tandem.core.numbers import format_money, format_number
from tandem.cultivation import history as cultivation_history
from tandem.evaluations import history as evaluations_history
from tandem.faculty import history as faculty_history
from tandem.feedback import history as feedback_history
from tandem.funds import history as funds_history
from tandem.institutions import history as institutions_history
from tandem.logbook import history as logbook_history
from tandem.meetings import history as meetings_history
from tandem.milestones import history as milestones_history
from tandem.plans import history as plans_history
from tandem.publications import history as publications_history
from tandem.quality import history as quality_history
from tandem.residency import history as residency_history
from tandem.resources import history as resources_history
from tandem.rewards import history as rewards_history
from tandem.teaching import history as teaching_history
from tandem.visits import history as visits_history
from tandem.wellbeing import history as wellbeing_history
from tandem.workhours import history as workhours_history

# Every app's wording of its audit events, by name: a new app adds its `history.WORDING` here.
WORDINGS: tuple[HistoryWording, ...] = (
    core_history.WORDING,
    accounts_history.WORDING,
    institutions_history.WORDING,
    agreements_history.WORDING,
    resources_history.WORDING,
    bookings_history.WORDING,
    cultivation_history.WORDING,
    plans_history.WORDING,
    funds_history.WORDING,
    publications_history.WORDING,
    meetings_history.WORDING,
    alerts_history.WORDING,
    feedback_history.WORDING,
    residency_history.WORDING,
    evaluations_history.WORDING,
    wellbeing_history.WORDING,
    logbook_history.WORDING,
    conduct_history.WORDING,
    workhours_history.WORDING,
    teaching_history.WORDING,
    quality_history.WORDING,
    rewards_history.WORDING,
    visits_history.WORDING,
    assessments_history.WORDING,
    # The portal's own: the annual reports people ask for.
    HistoryWording(actions={"annual_report.requested": _("asked for an annual report")}),
    faculty_history.WORDING,
    milestones_history.WORDING,
    completion_history.WORDING,
)

ACTION_LABELS: dict[str, Promise] = {
    code: label for wording in WORDINGS for code, label in wording.actions.items()
}
OTHER_KEYS: dict[str, Promise] = {
    key: label for wording in WORDINGS for key, label in wording.keys.items()
}
FIELDS_RECORDED_FROM: dict[type[models.Model], tuple[type[models.Model], ...]] = {
    model: related
    for wording in WORDINGS
    for model, related in wording.fields_recorded_from.items()
}
RECORDED_CHOICES: dict[tuple[type[models.Model], str], type[models.Choices]] = {
    key: choices for wording in WORDINGS for key, choices in wording.recorded_choices.items()
}
VALUE_WORDING: dict[tuple[type[models.Model], str], Callable[[Any], Any]] = {
    key: reword for wording in WORDINGS for key, reword in wording.value_wording.items()
}
CHOICE_KINDS: dict[str, type[models.Choices]] = {
    kind: choices for wording in WORDINGS for kind, choices in wording.choice_kinds.items()
}
PERSON_KEYED_ACTIONS: dict[str, type[models.Choices]] = {
    code: choices for wording in WORDINGS for code, choices in wording.person_keyed_actions.items()
}
WRITTEN_VALUES: dict[str, Promise] = {
    word: label for wording in WORDINGS for word, label in wording.written_values.items()
}
PERCENT_FIELDS = frozenset().union(*(wording.percent_fields for wording in WORDINGS))
KEY_LABELS = tuple(wording.key_label for wording in WORDINGS if wording.key_label is not None)
# Events naming objects by an app's own ids, and the app that names them.
ID_WORDINGS: dict[str, HistoryWording] = {
    code: wording for wording in WORDINGS for code in wording.id_actions
}

EMPTY = "—"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True)
class ChangeText:
    field: str
    old: str | None  # None: nothing before, or the event records a value rather than a change
    new: str


@dataclass(frozen=True)
class EventText:
    at: datetime.datetime
    actor: str
    action: str
    changes: list[ChangeText]
    reason: str


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def describe(event: AuditEvent, names: Mapping[str, str] | None = None) -> EventText:
    """One event in the reader's language. `names`: what `names_in` found for the ids some
    events record (people, residents, departments); without it those stay ids."""
    model = _model_of(event)
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    person_choices = PERSON_KEYED_ACTIONS.get(event.action)
    ids = (names or {}) if event.action in ID_WORDINGS else {}
    texts = []
    for key, value in changes.items():
        if person_choices is not None:
            label = (names or {}).get(key, key)
            text = _change(label, value, dict(person_choices.choices))
        else:
            field = _field(model, key)
            label = " / ".join(ids.get(part, part) for part in field_label(model, key).split(" / "))
            if isinstance(field, models.DecimalField):
                value = _numbers(value, field)
            elif (reword := VALUE_WORDING.get((model, key))) is not None:
                value = reword(value)
            text = _change(
                label, value, _choices(model, key, field), written=field is None, names=ids
            )
        if text is not None:
            texts.append(text)
    return EventText(
        at=event.at,
        actor=str(event.actor) if event.actor is not None else gettext("System"),
        action=action_label(event.action),
        changes=texts,
        reason=(
            generated_text(event.reason_code, event.reason_params)
            if event.reason_code
            else event.reason
        ),
    )


def names_in(events: Iterable[AuditEvent]) -> dict[str, str]:
    """The names behind the ids some events record, at most one query per kind of id for a
    whole list: people keying attendance, and each app's own ids (residents and departments
    in the rotation instance format)."""
    people: set[str] = set()
    app_ids: dict[int, tuple[HistoryWording, set[str]]] = {}
    for event in events:
        if not isinstance(event.changes, dict):
            continue
        if event.action in PERSON_KEYED_ACTIONS:
            people |= {key for key in event.changes if key.isdigit()}
        elif (wording := ID_WORDINGS.get(event.action)) is not None:
            tokens = app_ids.setdefault(id(wording), (wording, set()))[1]
            tokens |= {part for key in event.changes for part in key.split(" / ")}
            tokens |= set(_strings(list(event.changes.values())))
    found: dict[str, str] = {}
    if people:
        found |= {str(u.pk): str(u) for u in get_user_model().objects.filter(pk__in=people)}
    for wording, tokens in app_ids.values():
        if wording.id_names is not None:
            found |= wording.id_names(tokens)
    return found


def _numbers(value: Any, field: models.DecimalField) -> Any:
    """A decimal field's recorded values as the pages show them: money (two places) with
    two decimals and grouped thousands, other numbers (credits) without trailing zeros."""
    if isinstance(value, list):
        return [_numbers(item, field) for item in value]
    if value is None or value == "":
        return value
    money = field.decimal_places == 2 and field.name not in PERCENT_FIELDS
    return format_money(value) if money else format_number(value)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _model_of(event: AuditEvent) -> type[models.Model] | None:
    # get_for_id answers from the content-type cache: no query per event.
    return ContentType.objects.get_for_id(event.target_type_id).model_class()


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for candidate in (model, *FIELDS_RECORDED_FROM.get(model, ())):
        try:
            field = candidate._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):  # not a reverse relation
            return field
    return None


def _choices(
    model: type[models.Model] | None, key: str, field: models.Field | None
) -> dict[Any, Any] | None:
    if field is not None and field.choices:
        return dict(field.flatchoices)
    recorded = RECORDED_CHOICES.get((model, key)) if model is not None else None
    return dict(recorded.choices) if recorded is not None else None


def field_label(model: type[models.Model] | None, key: str) -> str:
    """The field's verbose name on the target model, else the label of a key the services
    write, else the key itself."""
    field = _field(model, key)
    if field is not None:
        return capfirst(str(field.verbose_name))
    if key in OTHER_KEYS:
        return str(OTHER_KEYS[key])
    for key_label in KEY_LABELS:
        if (label := key_label(key)) is not None:
            return label
    head, sep, tail = key.rpartition(" — ")
    if sep and head and tail:
        return f"{head} — {field_label(model, tail)}"
    return key


def _change(
    label: str,
    value: Any,
    choices: Mapping[Any, Any] | None,
    *,
    written: bool = False,
    names: Mapping[str, str] | None = None,
) -> ChangeText | None:
    if isinstance(value, list) and len(value) == 2:
        old, new = (humanise(v, choices, written=written, names=names) for v in value)
        if old == new == EMPTY:
            return None
        return ChangeText(label, None if old == EMPTY else old, new)
    return ChangeText(label, None, humanise(value, choices, written=written, names=names))


def humanise(
    value: Any,
    choices: Mapping[Any, Any] | None = None,
    *,
    written: bool = False,
    names: Mapping[str, str] | None = None,
) -> str:
    """One recorded value in the reader's words: empty as a dash, yes/no, lists joined the way
    the language joins them, dicts as "key: value", ISO dates in the locale's format, stored
    choices as their label. `written`: the value may be one of the fixed English words the
    services write (WRITTEN_VALUES); `names`: ids to show by name."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return _separator().join(humanise(v, choices, written=written, names=names) for v in value)
    if is_generated(value):
        params = {key: _param(item) for key, item in value["params"].items()}
        return generated_text(value["code"], params)
    if _is_choice(value):
        return str(_param(value))
    if isinstance(value, dict) and set(value) == {"name", "name_zh"}:
        # Named in both languages (audit._name_of): the reader's.
        chinese = (get_language() or "").startswith("zh")
        return str(value["name_zh"] if chinese and value["name_zh"] else value["name"])
    if isinstance(value, dict):
        return _separator().join(
            f"{field_label(None, str(k))}: {humanise(v, written=written, names=names)}"
            for k, v in value.items()
        )
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, str):
        if names and value in names:
            return names[value]
        return _text(value, written=written)
    return str(value)


def _is_choice(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"choice", "value"}


def _param(value: Any) -> Any:
    """A generated text's parameter in the reader's words: a stored choice as its label, a
    list joined, anything else left to `generated_text`."""
    if _is_choice(value):
        choices = CHOICE_KINDS.get(str(value["choice"]))
        labels = dict(choices.choices) if choices is not None else {}
        return str(labels.get(value["value"], value["value"]))
    if isinstance(value, list):
        return _separator().join(str(_param(item)) for item in value)
    if isinstance(value, dict | str):  # a generated text, a name in both languages, a date
        return humanise(value)
    return value


def _separator() -> str:
    return pgettext("list separator", ", ")


def _text(value: str, *, written: bool) -> str:
    if _DATE.match(value):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    if _DATETIME.match(value):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if _TIME.match(value):
        try:
            return formats.time_format(datetime.time.fromisoformat(value), "TIME_FORMAT")
        except ValueError:
            return value
    if written and value in WRITTEN_VALUES:
        return str(WRITTEN_VALUES[value])
    return value
