"""How the change history reads the audit events of the admin site
(`tandem.core.admin.AuditedModelAdmin`). Imported by name by the portal's history renderer
(`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "admin.add": _("added this record in the admin site"),
        "admin.change": _("changed this record in the admin site"),
        "admin.delete": _("deleted this record in the admin site"),
        "admin.add_inline": _("added a related entry in the admin site"),
        "admin.change_inline": _("changed a related entry in the admin site"),
        "admin.delete_inline": _("deleted a related entry in the admin site"),
    },
)
