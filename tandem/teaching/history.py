"""How the change history reads the audit events of teaching activities. Imported by name by
the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "teaching_kind.add": _("added a kind of teaching activity"),
        "teaching_rating_form.set": _("chose the rating form of teaching activities"),
        "teaching_activity.schedule": _("scheduled a teaching activity"),
        "teaching_activity.change": _("changed a teaching activity"),
        "teaching_activity.cancel": _("cancelled a teaching activity"),
        "teaching_activity.rating_round": _("opened the rating of a teaching activity"),
        "teaching_attendance.sign_in": _("signed in to a teaching activity"),
        "teaching_attendance.correct": _("corrected the attendance at a teaching activity"),
    },
    keys={
        "kind": _("Kind"),
        "teacher": _("Teacher"),
        "topic": _("Topic"),
        "place": _("Place"),
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "department": _("Department"),
        "audience": _("Residents in the audience"),
        "status": _("Status"),
        "base": _("Training base"),
        "code": _("Code"),
        "name": _("Name"),
        "template": _("Rating form"),
        "due_days": _("Days to rate"),
        "round": _("Evaluation round"),
        "due_on": _("Due on"),
    },
)
