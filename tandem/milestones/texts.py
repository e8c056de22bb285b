"""What the competency committee's warnings and notifications say, worded when shown (in the
reader's language)."""

from typing import Any

from django.utils.translation import gettext as _

from tandem.milestones.models import Decision


def overdue_text(detail: dict[str, Any]) -> str:
    return (
        _(
            "The competency review %(period)s of %(trainee)s was due on %(due)s and is not "
            "finalised yet."
        )
        % detail
    )


def not_reviewed_text(detail: dict[str, Any]) -> str:
    if detail.get("last"):
        return (
            _(
                "%(trainee)s has not been reviewed by the competency committee since %(last)s "
                "(more than six months of training)."
            )
            % detail
        )
    return (
        _(
            "%(trainee)s has been in training for more than six months and was never reviewed "
            "by the competency committee."
        )
        % detail
    )


def summary_text(params: dict[str, Any]) -> str:
    decision = params.get("decision", "")
    label = str(Decision(decision).label) if decision in Decision.values else decision
    return _(
        "The competency committee finalised your review %(period)s: %(decision)s. Read the summary."
    ) % {"period": params.get("period", ""), "decision": label}
