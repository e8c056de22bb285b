"""How the change history reads the audit events of case and procedure logs. Imported by name
by the portal's history renderer (`tandem.portal.history`). No event names a patient."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "logbook_entry.log": _("logged a case or procedure"),
        "logbook_entry.correct": _("corrected a log entry"),
        "logbook_entry.withdraw": _("withdrew a log entry"),
        "logbook_entry.verify": _("verified a log entry"),
        "logbook_entry.return": _("returned a log entry for correction"),
        "logbook_catalogue.create": _("created a case and procedure catalogue"),
        "logbook_item.save": _("saved a catalogue item"),
        "logbook_minimum.set": _("set a minimum of a catalogue"),
    },
    keys={
        "department": _("Department"),
        "item": _("Case or procedure"),
        "role": _("Role"),
        "date": _("Date"),
        "note": _("Note"),
        "specialty": _("Specialty"),
        "name": _("Name"),
        "name_zh": _("Name in Chinese"),
        "is_active": _("Active"),
        "code": _("Code"),
        "kind": _("Kind"),
        "count": _("At least"),
    },
)
