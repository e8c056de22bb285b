"""How the change history reads the audit events of publications and their authors. Imported by
name by the portal's history renderer (`tandem.portal.history`)."""

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from tandem.core.audit_labels import HistoryWording
from tandem.publications.models import CreditRole, Publication
from tandem.publications.rules import ViolationCode

_CREDIT_CODES = re.compile(r"\[([a-z_]+(?:, [a-z_]+)*)\]")


def _credit_codes_worded(value: Any) -> Any:
    """Authors recorded before their CRediT roles were stored as codes in parameters: the
    codes inside "[…]" of the recorded line, as their labels."""
    if isinstance(value, list):
        return [_credit_codes_worded(item) for item in value]
    if not isinstance(value, str):
        return value
    labels = dict(CreditRole.choices)
    separator = pgettext("list separator", ", ")

    def word(match: re.Match[str]) -> str:
        codes = match[1].split(", ")
        if not all(code in labels for code in codes):
            return match[0]
        return "[" + separator.join(str(labels[code]) for code in codes) + "]"

    return _CREDIT_CODES.sub(word, value)


WORDING = HistoryWording(
    actions={
        "publication.record": _("recorded the publication"),
        "publication.update": _("edited the publication"),
        "publication.waive": _("waived the authorship rules for the publication"),
        "publication.confirm": _("confirmed the publication"),
    },
    keys={
        "authors": _("Authors"),
        "confirmed_by": _("Confirmed by"),
    },
    recorded_choices={
        (Publication, "violations"): ViolationCode,
        (Publication, "waived_codes"): ViolationCode,
    },
    value_wording={(Publication, "authors"): _credit_codes_worded},
    choice_kinds={"credit_role": CreditRole},
)
