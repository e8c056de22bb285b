"""Excel workbook of a round's aggregate results, headers in the reader's language.

Built from `results.round_results`, which applies `target_result`'s rule (decision 082) to
every target at once: a target of an anonymous template below the threshold has no row at all —
neither its means nor its count of responses appear. Comments are not exported; only aggregates
are. Eight queries whatever the number of targets and answers (decision 090).
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.spreadsheets import workbook
from tandem.evaluations import results
from tandem.evaluations.models import EvaluationRound, ItemKind
from tandem.institutions.models import Institution

MAX_TARGETS = 2000


def _targets(round_: EvaluationRound) -> list[tuple[Any, str, Any]]:
    """(template, kind, target) for the round's targets, in the order of the result list (its
    first MAX_TARGETS); four queries."""
    rows = list(results.round_targets(round_)[:MAX_TARGETS])
    templates = {
        rt.template_id: rt.template for rt in round_.round_templates.select_related("template")
    }
    people = User.objects.in_bulk({r["target_user_id"] for r in rows if r["target_user_id"]})
    places = Institution.objects.in_bulk(
        {r["target_institution_id"] for r in rows if r["target_institution_id"]}
    )
    pairs = []
    for row in rows:
        template = templates.get(row["template_id"])
        kind = "person" if row["target_user_id"] else "institution"
        target = (
            people.get(row["target_user_id"])
            if row["target_user_id"]
            else places.get(row["target_institution_id"])
        )
        if template is not None and target is not None:
            pairs.append((template, kind, target))
    return pairs


def round_results_workbook(round_: EvaluationRound) -> bytes:
    header = [
        _("Template"),
        _("Person or institution evaluated"),
        _("Responses"),
        _("Section"),
        _("Question"),
        _("Mean"),
        _("Answers"),
        _("Not observed"),
    ]

    targets = _targets(round_)
    every = results.round_results(round_, [(t.pk, kind, target.pk) for t, kind, target in targets])

    def rows() -> Iterable[list[Any]]:
        for template, kind, target in targets:
            result = every.get((template.pk, kind, target.pk))
            if result is None or not result.shown or not result.responses:
                continue  # below the threshold: no row, not even the count
            for section in result.sections:
                for item in section.items:
                    if item.item.kind == ItemKind.NARRATIVE:
                        continue
                    yield [
                        template.display_title,
                        str(target),
                        result.responses,
                        section.title,
                        str(item.item),
                        item.mean,
                        " · ".join(f"{label}: {n}" for label, n in item.distribution),
                        item.not_observed,
                    ]

    return workbook(_("Evaluation results"), header, rows())
