"""How the change history reads the audit events of the teachers' data. Imported by name by
the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.faculty.models import DevelopmentPlan, GoalStatus

WORDING = HistoryWording(
    actions={
        "faculty_policy.set": _("set the teacher qualification rule of the base"),
        "faculty_profile.create": _("added a teacher profile"),
        "faculty_profile.change": _("changed a teacher profile"),
        "faculty_profile.certificate": _("kept a scan of a teacher-training certificate"),
        "faculty_training.record": _("recorded a teacher-training course"),
        "faculty_plan.start": _("started a development plan"),
        "faculty_plan.submit": _("submitted a development plan for review"),
        "faculty_plan.review": _("reviewed a development plan"),
        "faculty_goal.add": _("added a development goal"),
        "faculty_goal.change": _("changed a development goal"),
        "faculty_responsible.assign": _("assigned a responsible teacher"),
        "faculty_responsible.end": _("removed a responsible teacher"),
    },
    keys={
        "teacher": _("Teacher"),
        "base": _("Training base"),
        "profile": _("Teacher profile"),
        "resident": _("Resident"),
        "department": _("Department"),
        "goal": _("Goal"),
        "goal_status": _("Status of the goal"),
        "target": _("Target"),
        "note": _("Review note"),
        "cancelled": _("Removed"),
        "year": _("Year"),
    },
    recorded_choices={(DevelopmentPlan, "goal_status"): GoalStatus},
)
