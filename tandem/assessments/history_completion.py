"""How the change history reads the audit events of annual assessments and completion
(decision 112). Imported by name by the portal's history renderer (`tandem.portal.history`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.assessments.models_completion import AnnualAssessment
from tandem.core.audit_labels import HistoryWording

BELOW = {
    "theory": _("Theory exam score"),
    "skills": _("Skills exam score"),
    "evaluation": _("Teachers' evaluation"),
    "attendance": _("Attendance (percent)"),
    "rotations": _("Rotations of the year passed"),
}


def _below(value: Any) -> Any:
    if isinstance(value, list):
        return [str(BELOW.get(item, item)) for item in value]
    return value


WORDING = HistoryWording(
    actions={
        "annual_plan.save": _("saved an annual assessment plan"),
        "annual.schedule": _("scheduled the annual exam of a cohort"),
        "annual.record": _("recorded an annual assessment"),
        "completion_rule.save": _("saved the completion rules of a specialty"),
        "completion.record": _("recorded the completion result"),
    },
    keys={
        "exam_on": _("Exam date"),
        "due_on": _("Result due on"),
        "count": _("Annual assessments"),
        "below": _("Below the pass mark"),
    },
    value_wording={(AnnualAssessment, "below"): _below},
)
