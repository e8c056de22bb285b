"""How the change history reads the audit events of discipline cases and the rules. Imported
by name by the portal's history renderer (`tandem.portal.history`).

The events carry no fact, response or reasons: "responded in writing", "decided the case"."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "conduct_regulation.create": _("recorded a regulation"),
        "conduct_article.version": _("recorded the text of an article"),
        "conduct_article.repeal": _("set the last day an article is in force"),
        "conduct_committee.create": _("set up a committee"),
        "conduct_committee.member_add": _("added a committee member"),
        "conduct_committee.member_remove": _("removed a committee member"),
        "conduct_case.open": _("opened a discipline case"),
        "conduct_case.evidence": _("added evidence to a discipline case"),
        "conduct_case.respond": _("responded in writing"),
        "conduct_case.waive": _("waived the written response"),
        "conduct_case.hearing_request": _("requested a hearing"),
        "conduct_case.hearing_schedule": _("scheduled the hearing"),
        "conduct_case.hearing_record": _("recorded the hearing"),
        "conduct_case.comment": _("commented for the other institution"),
        "conduct_case.vote": _("voted"),
        "conduct_case.decide": _("decided the case"),
        "conduct_case.accept": _("accepted the decision and gave up the appeal"),
        "conduct_case.appeal": _("appealed the decision"),
        "conduct_case.appeal_decide": _("decided the appeal"),
        "conduct_case.in_force": _("the sanction came into force"),
        "conduct_case.lift": _("lifted the sanction"),
        "conduct_case.home_outcome": _("recorded the home institution's own decision"),
    },
    keys={
        "proposed_level": _("Sanction considered"),
        "response_due": _("Written response due"),
        "hearing_at": _("Hearing"),
        "outcome": _("Sanction decided"),
        "appeal_due": _("Appeal to be lodged by"),
        "appeal": _("Appeal decision"),
        "review_date": _("Review date"),
        "early": _("Lifted before the review date"),
        "article": _("Article"),
        "version": _("Version"),
        "member": _("Committee member"),
    },
)
