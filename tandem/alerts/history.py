"""How the change history reads the audit events of early warnings. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "notification_preference.update": _("changed the e-mail settings"),
        "warning.acknowledge": _("acknowledged the warning"),
        "warning.resolve": _("resolved the warning"),
        "warning_thresholds.update": _("changed the warning thresholds"),
    },
)
