"""How the change history reads the audit events of milestones and the competency committee.
Imported by name by the portal's history renderer (`tandem.portal.history`). No member's note
is recorded in an event."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "milestone_set.create": _("created a milestone set"),
        "milestone_sub.save": _("saved a subcompetency"),
        "milestone_epa.save": _("saved an EPA"),
        "committee.create": _("set up a competency committee"),
        "committee.member_add": _("added a member to the competency committee"),
        "committee.member_remove": _("removed a member from the competency committee"),
        "committee.chair_set": _("changed the chair of the competency committee"),
        "competency_review.open": _("opened a competency review period"),
        "competency_review.rate": _("rated a resident's milestones"),
        "competency_review.finalise": _("finalised a resident's competency review"),
    },
    keys={
        "specialty": _("Specialty"),
        "version": _("Version"),
        "name": _("Name"),
        "code": _("Code"),
        "domain": _("Competency domain"),
        "members": _("Members"),
        "member": _("Member"),
        "chair": _("Chair"),
        "label": _("Period"),
        "period_start": _("Period starts"),
        "period_end": _("Period ends"),
        "due_on": _("Decisions due on"),
        "residents": _("Residents"),
        "ratings": _("Ratings"),
        "decision": _("Decision"),
        "plan": _("Remediation plan"),
        "plan_owner": _("Plan owner"),
        "plan_due": _("Plan due on"),
    },
)
