"""How the change history reads the audit events of institutions and their units. Imported by name
by the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "institution.create": _("registered the institution"),
        "institution.update": _("edited the institution"),
        "unit.create": _("created the unit"),
        "unit.update": _("edited the unit"),
        "calendar_day.add": _("added a date to the working calendar"),
        "calendar_day.remove": _("removed a date from the working calendar"),
    },
    keys={"calendar_day": _("Calendar date")},
)
