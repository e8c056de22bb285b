"""How the change history reads the audit events of shared resources. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "resource.create": _("registered the shared resource"),
        "resource.update": _("edited the shared resource"),
        "resource.open": _("opened the resource to a partner"),
        "resource.close": _("closed the resource to a partner"),
    },
    keys={
        "opening": _("Opened to"),
    },
)
