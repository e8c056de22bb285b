"""How the change history reads the audit events of wellbeing check-ins. Imported by name by
the portal's history renderer (`tandem.portal.history`).

The events carry no score, note or outcome: "submitted a check-in", "acknowledged an alert".
"""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "wellbeing_checkin.submit": _("submitted a wellbeing check-in"),
        "wellbeing_consent.give": _("let their tutors see their check-in scores"),
        "wellbeing_consent.withdraw": _("withdrew their tutors' view of their check-in scores"),
        "wellbeing_alert.acknowledge": _("acknowledged a wellbeing alert"),
        "wellbeing_alert.note": _("recorded a confidential note on a wellbeing alert"),
        "wellbeing_alert.close": _("closed a wellbeing alert"),
        "wellbeing_alert.propose": _("proposed a health-related plan adjustment"),
        "wellbeing_proposal.accept": _("accepted a proposed plan adjustment"),
        "wellbeing_proposal.decline": _("declined a proposed plan adjustment"),
        "wellbeing_officer.appoint": _("named a wellbeing officer"),
        "wellbeing_officer.end": _("ended a wellbeing officer's appointment"),
        "wellbeing_settings.update": _("changed the wellbeing check-in settings"),
    },
    keys={
        "officer": _("Wellbeing officer"),
        "period_weeks": _("Check-in every (weeks)"),
        "physical_alert_at": _("Alert on physical health at or below"),
        "mental_alert_at": _("Alert on mental health at or below"),
        "workload_alert_at": _("Alert on workload at or below"),
        "living_alert_at": _("Alert on living conditions at or below"),
    },
)
