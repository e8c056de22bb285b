"""The self-assessment in Excel, for accreditation reviews: one line per indicator."""

from typing import Any

from django.utils.translation import gettext as _

from tandem.core.spreadsheets import workbook
from tandem.quality import selectors
from tandem.quality.models import SelfAssessment


def self_assessment_workbook(assessment: SelfAssessment) -> bytes:
    header = [
        _("Group"),
        _("Indicator"),
        _("Maximum score"),
        _("Score"),
        _("Comment"),
        _("Evidence"),
    ]

    def lines() -> Any:
        for row in selectors.self_assessment_rows(assessment):
            indicator = row["indicator"]
            yield [
                indicator.group_label,
                str(indicator),
                float(indicator.max_score),
                float(row["score"]) if row["score"] is not None else "",
                row["comment"],
                "; ".join(e.title for e in row["evidence"]),
            ]

    return workbook(_("Self-assessment"), header, lines())
