"""How the change history reads the audit events of feedback items and seminars. Imported by
name by the portal's history renderer (`tandem.portal.history`).

An anonymous raiser's events have no actor: the history names no one for them."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "feedback_item.raise": _("raised the feedback item"),
        "feedback_item.acknowledge": _("acknowledged the feedback item"),
        "feedback_item.start": _("started work on the feedback item"),
        "feedback_item.resolve": _("resolved the feedback item"),
        "feedback_item.confirm": _("confirmed the feedback item closed"),
        "feedback_item.reopen": _("reopened the feedback item"),
        "feedback_routing.set": _("changed the routing of feedback"),
        "seminar.create": _("scheduled the seminar"),
        "seminar.invite": _("invited a person to the seminar"),
        "seminar.attendance": _("recorded the seminar's attendance"),
        "seminar.minutes": _("wrote the seminar's minutes"),
    },
    keys={
        "invited": _("Invited"),
        "attendance": _("Attendance"),
        "person": _("Person"),
        "site": _("Site"),
    },
)
