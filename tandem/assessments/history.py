"""How the change history reads the audit events of rotation-end assessments and WBAs.
Imported by name by the portal's history renderer (`tandem.portal.history`). No event holds
a one-time code."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.assessments.models import Assessment, ComponentKind, RemediationKind
from tandem.core.audit_labels import HistoryWording


def _labels(choices: type[ComponentKind] | type[RemediationKind]) -> Callable[[Any], Any]:
    """Recorded codes (one, or a list) in the reader's words."""

    def word(value: Any) -> Any:
        if isinstance(value, list):
            return [word(item) for item in value]
        return choices(value).label if value in choices.values else value

    return word


WORDING = HistoryWording(
    actions={
        "assessments.sync": _("created the rotation-end assessments of the schedule"),
        "assessment_plan.save": _("saved an assessment plan"),
        "assessment.record": _("recorded an assessment result"),
        "assessment.decide": _("decided a rotation-end assessment"),
        "assessment.remediate": _("planned a remediation"),
        "assessment.apply_plan": _("applied the current plan to an assessment"),
        "wba.start": _("started a WBA"),
        "wba.confirm": _("confirmed a WBA"),
        "wba.decline": _("declined a WBA"),
        "wba.confirm_code": _("confirmed a WBA with a one-time code"),
        "wba.code_issue": _("issued a one-time code"),
        "wba_form.create": _("created a WBA form"),
        "wba_requirement.set": _("set a WBA requirement"),
    },
    keys={
        "created": _("Assessments created"),
        "moved": _("Assessments moved"),
        "cancelled": _("Assessments cancelled"),
        "component": _("Component"),
        "components": _("Components"),
        "due_on": _("Due on"),
        "attempt": _("Attempt"),
        "score": _("Score"),
        "characters": _("Characters"),
        "signed": _("Signed off"),
        "failed": _("Failed components"),
        "kind": _("Remedy"),
        "block": _("Block"),
        "form": _("Assessment form"),
        "teacher": _("Teacher"),
        "minutes": _("Valid for (minutes)"),
        "count": _("At least"),
        "due_days": _("Due days after the rotation ends"),
        "theory_pass": _("Theory exam pass mark"),
        "skills_pass": _("Skills exam pass mark"),
        "global_pass": _("Global evaluation pass mark"),
        "attendance_pass": _("Attendance pass mark"),
        "caselog_pass": _("Case-log completion pass mark"),
        "summary_required": _("Rotation summary required"),
        "signoff_required": _("Sign-off required"),
        "global_template": _("Global evaluation form"),
        "department_template": _("Form for evaluating the department"),
        "teacher_template": _("Form for evaluating the teachers"),
    },
    value_wording={
        (Assessment, "components"): _labels(ComponentKind),
        (Assessment, "component"): _labels(ComponentKind),
        (Assessment, "failed"): _labels(ComponentKind),
        (Assessment, "kind"): _labels(RemediationKind),
    },
)
