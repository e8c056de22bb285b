"""How the change history reads the audit events of research funds. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "fund.register": _("registered the fund"),
        "expense.record": _("recorded an expense"),
        "expense.reverse": _("reversed an expense"),
        "allocation.propose": _("proposed the allocation"),
        "allocation.approve": _("approved the allocation"),
        "allocation.set_threshold": _("changed the low-balance warning"),
        "allocation.close": _("closed the allocation, its unspent money back to the fund"),
        "application.draft": _("drafted the joint fund application"),
        "application.submit": _("submitted the joint fund application"),
        "application.decide": _("recorded the funder's decision"),
    },
    keys={"returned": _("Returned to the fund (CNY)")},
    percent_fields=frozenset({"share"}),
)
