"""How the change history reads the audit events of exchange visits. Imported by name by the
portal's history renderer (`tandem.portal.history`). A side's internal notes are recorded as
changed, never with their words."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.visits.models import DelegateRole, PresentationTopic, Session, SessionTopic, Visit

WORDING = HistoryWording(
    actions={
        "visits_visit.create": _("planned an exchange visit"),
        "visits_visit.status": _("changed the status of an exchange visit"),
        "visits_visit.notes_host": _("changed the host's internal notes"),
        "visits_visit.notes_visiting": _("changed the visiting side's internal notes"),
        "visits_visit.invite": _("sent the invitations to an exchange visit"),
        "visits_agenda.add": _("added a presentation to the agenda"),
        "visits_delegate.add": _("added a person taking part"),
        "visits_delegate.remove": _("removed a person taking part"),
        "visits_session.add": _("planned a discussion session"),
        "visits_session.remove": _("removed a discussion session"),
        "visits_visit.update": _("changed the visit's details"),
        "visits_session.minutes": _("recorded the minutes of a session"),
        "visits_practice.share": _("shared a practice"),
        "visits_action.add": _("added an improvement action"),
        "visits_action.step": _("followed up an improvement action"),
    },
    keys={
        "host": _("Host"),
        "visiting": _("Visiting institution"),
        "agreement": _("Agreement"),
        "title": _("Title"),
        "title_zh": _("Title in Chinese"),
        "starts_on": _("First day"),
        "ends_on": _("Last day"),
        "status": _("Status"),
        "agenda": _("Agenda"),
        "topic": _("Topic"),
        "topics": _("Topics"),
        "person": _("Person"),
        "role": _("Role"),
        "institution": _("Institution"),
        "specialty": _("Specialty"),
        "host_base": _("The host's base"),
        "visiting_base": _("The visiting side's base"),
        "invited": _("Invited"),
        "owner": _("Owner"),
        "deadline": _("Deadline"),
    },
    # Values recorded on the visit for its agenda and people, and a session's topics.
    recorded_choices={
        (Visit, "topic"): PresentationTopic,
        (Visit, "role"): DelegateRole,
        (Session, "topics"): SessionTopic,
    },
)
