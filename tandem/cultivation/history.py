"""How the change history reads the audit events of joint cultivations and their tutors. Imported
by name by the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.cultivation.models import EndingKind, JointCultivation, ResponsibilityKey, TutorRole

WORDING = HistoryWording(
    actions={
        "cultivation.propose": _("proposed the joint cultivation"),
        "cultivation.approve": _("approved the joint cultivation"),
        "cultivation.activate": _("started the joint cultivation"),
        "cultivation.suspend": _("suspended the joint cultivation"),
        "cultivation.resume": _("resumed the joint cultivation"),
        "cultivation.complete": _("completed the joint cultivation"),
        "cultivation.terminate": _("terminated the joint cultivation"),
        "cultivation.terminate_close": _(
            "closed what the joint cultivation held: stays, debriefings, bookings and allocations"
        ),
        "cultivation.ending_request": _("asked the other institution to confirm"),
        "cultivation.ending_confirm": _("confirmed the other institution's request"),
        "cultivation.ending_decline": _("declined the other institution's request"),
        "cultivation.tutor_assign": _("assigned a tutor"),
        "cultivation.tutor_change_request": _("requested a change of tutor"),
        "cultivation.tutor_change_approve": _("approved the change of tutor"),
        "cultivation.tutor_change_reject": _("rejected the change of tutor"),
        "cultivation.tutor_training_record": _("recorded a tutor training"),
        "cultivation.training_requirement_set": _("set the tutor training requirement"),
        "cultivation.insurance_record": _("put a trainee's insurance on file"),
        "cultivation.stay_add": _("added a stay"),
        "cultivation.stay_change": _("changed the dates of a stay"),
        "cultivation.responsibility_template_update": _("edited the responsibilities template"),
        "cultivation.responsibilities_divide": _("divided the responsibilities"),
        "cultivation.responsibilities_sign": _("signed the division of responsibilities"),
    },
    keys={
        "approved_for": _("Approved for"),
        "certificate": _("Certificate"),
        "change_request": _("Change request"),
        "ending_request": _("Request"),
        "experimental": TutorRole.EXPERIMENTAL.label,
        "theoretical": TutorRole.THEORETICAL.label,
        "responsibilities": _("Responsibilities"),
        "responsibility_items": _("Responsibility items"),
        "shares": _("Shares"),
        "stays": _("Stay periods"),
        "series_ended": _("Debriefing series ended"),
        "series_left": _("Debriefing series left"),
        "bookings_cancelled": _("Bookings cancelled"),
        "returned": _("Returned to the funds (CNY)"),
        "hours_per_period": _("Training hours required per year"),
        "period_start_month": _("Year counted from the month"),
        "mandatory_courses": _("Mandatory courses for new tutors"),
        "new_tutor_months": _("Months a tutor counts as new"),
        "insurer": _("Insurer"),
        "policy_number": _("Policy number"),
        "valid_from": _("Valid from"),
        "valid_until": _("Valid until"),
    },
    recorded_choices={(JointCultivation, "ending_request"): EndingKind},
    choice_kinds={
        "tutor_role": TutorRole,
        "responsibility": ResponsibilityKey,
    },
)
