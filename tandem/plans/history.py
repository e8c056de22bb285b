"""How the change history reads the audit events of training plans and milestones. Imported by name
by the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.plans.models import MilestoneKind, PlanVersion, TrainingPlan


def _window_label(key: str) -> str | None:
    # A milestone's time window: "window <milestone>".
    if not key.startswith("window "):
        return None
    return str(_("Time window of %(milestone)s") % {"milestone": key[len("window ") :]})


WORDING = HistoryWording(
    actions={
        "plan.start": _("started the training plan"),
        "plan.update": _("edited the training plan"),
        "plan.course_add": _("added a course"),
        "plan.course_remove": _("removed a course"),
        "plan.milestone_add": _("added a milestone"),
        "plan.milestone_window": _("changed a milestone's time window"),
        "plan.sign": _("signed the training plan"),
        "plan.revise": _("started a new version of the training plan"),
        "milestone.submit": _("submitted the milestone"),
        "milestone.review": _("reviewed the milestone"),
        "joint_record.import": _("imported the joint record"),
    },
    keys={
        "courses": _("Course"),
        "evidence": _("Evidence"),
        "files": _("Files"),
        "milestones": _("Milestone"),
        "record": _("Joint record"),
        "signatures_withdrawn": _("Signatures withdrawn"),
        "version": _("Version"),
    },
    key_label=_window_label,
    # A plan's events carry its versions' fields.
    fields_recorded_from={TrainingPlan: (PlanVersion,)},
    choice_kinds={"milestone_kind": MilestoneKind},
)
