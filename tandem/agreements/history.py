"""How the change history reads the audit events of cooperation agreements. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "agreement.draft": _("drafted the agreement"),
        "agreement.update": _("edited the agreement"),
        "agreement.sign": _("signed the agreement"),
        "agreement.amend": _("created this amendment"),
        "agreement.amendment_open": _("started an amendment of the agreement"),
        "agreement.supersede": _("replaced the agreement with its amendment"),
        "agreement.withdraw": _("withdrew the agreement"),
        "agreement.terminate": _("terminated the agreement"),
        "agreement.expire": _("marked the agreement as expired"),
        "agreement.attachment_add": _("attached a file to the agreement"),
        "resource_opening.repoint": _("moved the resource opening to the amended agreement"),
        # the demo data records an agreement's state directly
        "agreement.signing": _("sent the agreement out for signature"),
        "agreement.active": _("put the agreement in force"),
        "agreement.superseded": _("marked the agreement as superseded"),
        "agreement.expired": _("marked the agreement as expired"),
        "agreement.terminated": _("terminated the agreement"),
    },
    keys={
        "amendment": _("Amendment"),
        "attachments": _("Attachments"),
        "parties": _("Parties"),
        "quotas": _("Quotas"),
        "resource_openings_moved": _("Resource openings moved"),
        "signed_by": _("Signed by"),
        "signed_for": _("Signed for"),
        "superseded_by": _("Superseded by"),
    },
    percent_fields=frozenset({"funding_share"}),
)
