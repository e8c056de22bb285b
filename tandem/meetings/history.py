"""How the change history reads the audit events of progress debriefings. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.meetings.models import AttendanceStatus

WORDING = HistoryWording(
    actions={
        "meeting_series.create": _("scheduled the debriefing series"),
        "meeting_series.update": _("changed the debriefing series"),
        "meeting_series.end": _("ended the debriefing series"),
        "meeting_series.invite": _("invited a participant"),
        "meeting_series.remove": _("removed a participant"),
        "meeting.cancel": _("cancelled the debriefing"),
        "meeting.notes": _("wrote the notes for the minutes"),
        "meeting.attendance": _("recorded the attendance"),
        "progress_report.submit": _("submitted the progress report"),
        "progress_report.revise": _("revised the progress report"),
        "report_comment.save": _("commented on the progress report"),
        "action_item.create": _("added an action item"),
        "action_item.close": _("closed the action item"),
        "mentoring_contact.log": _("logged a mentoring contact"),
    },
    keys={
        "cancelled": _("Cancelled"),
        "cancelled_meetings": _("Cancelled debriefings"),
        "meetings": _("Debriefings"),
        "participant": _("Participant"),
        "rescheduled": _("Rescheduled"),
        "restored": _("Restored"),
        "trainees": _("Trainees"),
        "tutors": _("Tutors"),
    },
    # Attendance is recorded by the people's ids.
    person_keyed_actions={"meeting.attendance": AttendanceStatus},
)
