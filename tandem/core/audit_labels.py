"""The generic machinery of the change history's wording, importing no app.

- `HistoryWording`: the shape of one app's wording of its audit events. Each app declares its
  own in its `history.py` (`WORDING`): what each action reads as after the person's name ("Zhou
  Jie *published the schedule proposal*"), the keys it records that are no model field, how
  its ids and values read. The portal's history renderer (`tandem.portal.history`) imports
  every app's `WORDING` by name; `tandem/portal/tests/test_history.py` fails when a code has no
  label in the wording of the app that records it.
- `GENERATED_TEXTS`, `generated()`, `worded()`: texts the system writes, stored as codes and
  worded when read.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HistoryWording:
    """How one app's audit events read (see the module's docstring)."""

    # What the person did, as a short past-tense phrase that follows their name.
    actions: Mapping[str, Promise]
    # The keys the services write that are not a field of the target model (also the keys
    # inside recorded dicts, such as a program's sequence rules).
    keys: Mapping[str, Promise] = field(default_factory=dict)
    # Keys built from a value ("window Thesis"): the label, or None when the key is not the
    # app's.
    key_label: Callable[[str], str | None] | None = None
    # Histories that record the fields of a closely related model (a plan's versions).
    fields_recorded_from: Mapping[type[models.Model], tuple[type[models.Model], ...]] = field(
        default_factory=dict
    )
    # Fields whose stored values are choices the model field itself does not declare.
    recorded_choices: Mapping[tuple[type[models.Model], str], type[models.Choices]] = field(
        default_factory=dict
    )
    # Recorded values that need rewording before they are shown, by (model, key).
    value_wording: Mapping[tuple[type[models.Model], str], Callable[[Any], Any]] = field(
        default_factory=dict
    )
    # The kinds of stored choices a generated text's parameters refer to (see `choice`).
    choice_kinds: Mapping[str, type[models.Choices]] = field(default_factory=dict)
    # Events whose keys are people's ids, with the choices their values are taken from.
    person_keyed_actions: Mapping[str, type[models.Choices]] = field(default_factory=dict)
    # Fixed English words the services write as values.
    written_values: Mapping[str, Promise] = field(default_factory=dict)
    # Decimal fields with two places that are shares in per cent, not money.
    percent_fields: frozenset[str] = frozenset()
    # Events that name the app's objects by ids of its own format, in keys or values, and
    # the names behind a set of such ids (one query per kind, whatever the number).
    id_actions: frozenset[str] = frozenset()
    id_names: Callable[[set[str]], dict[str, str]] | None = None


# Texts the system writes (reasons it gives, ledger entries it makes): stored as one of these
# codes with its parameters, worded by `generated_text` when shown, in the reader's language —
# never in the language of whoever happened to act.
GENERATED_TEXTS: dict[str, Promise] = {
    "agreement.amended": _("The agreement was amended."),
    "agreement.term_ended": _("The term ended."),
    "booking.charge": _("Booking #%(pk)s: %(resource)s, %(day)s %(start)s–%(end)s"),
    "booking.cancelled": _("Booking #%(pk)s cancelled."),
    "booking.no_show_free": _("No-show on booking #%(pk)s: not charged by the owner's rules."),
    "expense.reversal": _("Reversal of: %(description)s"),
    # A person and the role in which they acted: "Li Wei (Theoretical/teaching tutor)", or
    # the institution they act for: "Li Wei (Eastern Medical University)".
    "person_in_role": _("%(person)s (%(role)s)"),
    # An author of a publication as its history records it: "1. Zhang Xiaoming * [Writing –
    # original draft, Investigation] (WMU; EMU)".
    "publication.author": _("%(position)s. %(name)s [%(roles)s] (%(institutions)s)"),
    # A milestone of a training plan and its time window.
    "plan.milestone_window": _("%(milestone)s: %(earliest)s – %(latest)s"),
    # One item of a division of responsibilities and the tutor role that holds it.
    "responsibility_held_by": _("%(item)s: %(role)s"),
    # A requirement of a residency program: departments and the least–most blocks in them.
    "residency.requirement": _("%(departments)s: %(least)s–%(most)s"),
    "residency.requirement_elective": _("%(departments)s: %(least)s–%(most)s (elective)"),
    # The sequence rules of a residency program, one sentence a rule.
    "residency.rule_precedence": _("all of %(first)s before any of %(second)s"),
    "residency.rule_forbidden": _("%(first)s never directly followed by %(second)s"),
    "residency.rule_max_consecutive": _("at most %(blocks)s blocks in a row in %(first)s"),
    "residency.rule_min_stint": _("at least %(blocks)s blocks in a row in %(first)s"),
    "residency.rules_none": _("no sequence rules"),
}


def choice(kind: str, value: str) -> dict[str, str]:
    """A parameter that is a stored choice (`choice("tutor_role", "experimental")`): worded
    with the label of its choices when shown (see `HistoryWording.choice_kinds`)."""
    return {"choice": kind, "value": value}


def generated(code: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A generated text as it is stored (in a JSON field, or as a value of an audit event's
    changes): its code and parameters. A parameter may itself be a generated text."""
    assert code in GENERATED_TEXTS, code
    return {"code": code, "params": dict(params or {})}


def is_generated(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"code", "params"}
        and value["code"] in GENERATED_TEXTS
        and isinstance(value["params"], dict)
    )


def worded(value: Any) -> str:
    """A stored generated text (see `generated`) in the active language; anything else as
    it is."""
    if is_generated(value):
        return generated_text(value["code"], value["params"])
    if isinstance(value, list) and value and all(is_generated(item) for item in value):
        return "; ".join(generated_text(item["code"], item["params"]) for item in value)
    return "" if value is None else str(value)


def in_site_language(value: Any) -> str:
    """A generated text in the site's language (LANGUAGE_CODE), whoever acts: the plain copy
    kept beside the code for search and exports."""
    with translation.override(settings.LANGUAGE_CODE):
        return worded(value)


def generated_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The text of a generated code in the active language; an unknown code, or parameters
    that do not fit its text, show the code itself rather than failing a page."""
    label = GENERATED_TEXTS.get(code)
    if label is None:
        return code
    values = {key: worded(value) for key, value in (params or {}).items()}
    try:
        return str(label) % values
    except (KeyError, TypeError, ValueError):
        return str(label)
