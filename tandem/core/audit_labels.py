"""What each audited action reads as, after the person's name: "Zhou Jie *published the
schedule proposal*". One label per action code that `audit_record` is called with across the
services, admin and demo data, grouped by app. `tandem/core/tests/test_audit_text.py` fails when
a code has no label here; an unknown code is shown as it is (see `audit_text.action_label`).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What the person did, as a short past-tense phrase that follows their name.
ACTION_LABELS: dict[str, Promise] = {
    # core: the admin site
    "admin.add": _("added this record in the admin site"),
    "admin.change": _("changed this record in the admin site"),
    "admin.delete": _("deleted this record in the admin site"),
    "admin.add_inline": _("added a related entry in the admin site"),
    "admin.change_inline": _("changed a related entry in the admin site"),
    "admin.delete_inline": _("deleted a related entry in the admin site"),
    # accounts
    "api_token.create": _("created an API token"),
    "api_token.revoke": _("revoked an API token"),
    # accounts: the one calendar feed (decision 079)
    "calendar_feed.create": _("created a calendar feed"),
    "calendar_feed.rotate": _("replaced the calendar feed address"),
    "calendar_feed.scopes": _("changed what the calendar feed shows"),
    "calendar_feed.stop": _("revoked the calendar feed address"),
    "user.settings": _("changed their settings"),
    "membership.add": _("gave this role"),
    "membership.end": _("ended this role"),
    "person.invite": _("invited this person"),
    "trainee_profile.save": _("updated the trainee profile"),
    "tutor_profile.save": _("updated the tutor profile"),
    "people.import": _("imported people from a file"),
    # institutions
    "institution.create": _("registered the institution"),
    "institution.update": _("edited the institution"),
    "unit.create": _("created the unit"),
    "unit.update": _("edited the unit"),
    # agreements
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
    # resources
    "resource.create": _("registered the shared resource"),
    "resource.update": _("edited the shared resource"),
    "resource.open": _("opened the resource to a partner"),
    "resource.close": _("closed the resource to a partner"),
    # bookings
    "booking_rules.set": _("changed the booking rules"),
    "booking.request": _("requested the booking"),
    "booking.approve": _("confirmed the booking"),
    "booking.reject": _("rejected the booking"),
    "booking.cancel": _("cancelled the booking"),
    "booking.completed": _("recorded the booking as completed"),
    "booking.no_show": _("recorded the booking as a no-show"),
    # the bookings feeds before decision 079, still in older histories
    "booking_feed.create": _("created a calendar feed"),
    "booking_feed.revoke": _("revoked the calendar feed"),
    # cultivation
    "cultivation.propose": _("proposed the joint cultivation"),
    "cultivation.approve": _("approved the joint cultivation"),
    "cultivation.activate": _("started the joint cultivation"),
    "cultivation.suspend": _("suspended the joint cultivation"),
    "cultivation.resume": _("resumed the joint cultivation"),
    "cultivation.complete": _("completed the joint cultivation"),
    "cultivation.terminate": _("terminated the joint cultivation"),
    "cultivation.tutor_assign": _("assigned a tutor"),
    "cultivation.tutor_change_request": _("requested a change of tutor"),
    "cultivation.tutor_change_approve": _("approved the change of tutor"),
    "cultivation.tutor_change_reject": _("rejected the change of tutor"),
    "cultivation.tutor_training_record": _("recorded a tutor training"),
    "cultivation.responsibility_template_update": _("edited the responsibilities template"),
    "cultivation.responsibilities_divide": _("divided the responsibilities"),
    "cultivation.responsibilities_sign": _("signed the division of responsibilities"),
    # plans
    "plan.start": _("started the training plan"),
    "plan.update": _("edited the training plan"),
    "plan.course_add": _("added a course"),
    "plan.course_remove": _("removed a course"),
    "plan.milestone_add": _("added a milestone"),
    "plan.milestone_window": _("changed a milestone's time window"),
    "plan.sign": _("signed the training plan"),
    "plan.revise": _("started a new version of the training plan"),
    "milestone.submit": _("submitted the milestone"),
    "milestone.review": _("reviewed the milestone"),
    "joint_record.import": _("imported the joint record"),
    # funds
    "fund.register": _("registered the fund"),
    "expense.record": _("recorded an expense"),
    "expense.reverse": _("reversed an expense"),
    "allocation.propose": _("proposed the allocation"),
    "allocation.approve": _("approved the allocation"),
    "allocation.set_threshold": _("changed the low-balance warning"),
    "application.draft": _("drafted the joint fund application"),
    "application.submit": _("submitted the joint fund application"),
    "application.decide": _("recorded the funder's decision"),
    # publications
    "publication.record": _("recorded the publication"),
    "publication.update": _("edited the publication"),
    "publication.waive": _("waived the authorship rules for the publication"),
    "publication.confirm": _("confirmed the publication"),
    # meetings
    "meeting_series.create": _("scheduled the debriefing series"),
    "meeting_series.update": _("changed the debriefing series"),
    "meeting_series.end": _("ended the debriefing series"),
    "meeting_series.invite": _("invited a participant"),
    "meeting_series.remove": _("removed a participant"),
    "meeting.cancel": _("cancelled the debriefing"),
    "meeting.notes": _("wrote the notes for the minutes"),
    "meeting.attendance": _("recorded the attendance"),
    "progress_report.submit": _("submitted the progress report"),
    "progress_report.revise": _("revised the progress report"),
    "report_comment.save": _("commented on the progress report"),
    "action_item.create": _("added an action item"),
    "action_item.close": _("closed the action item"),
    "mentoring_contact.log": _("logged a mentoring contact"),
    # the debriefing feed before decision 079, still in older histories
    "calendar_feed.revoke": _("replaced the calendar feed address"),
    # alerts
    "notification_preference.update": _("changed the e-mail settings"),
    "warning.acknowledge": _("acknowledged the warning"),
    "warning.resolve": _("resolved the warning"),
    "warning_thresholds.update": _("changed the warning thresholds"),
    # residency
    "department.create": _("created the department"),
    "department.update": _("edited the department"),
    "department.capacity_set": _("changed the department's capacity per block"),
    "calendar.create": _("created the block calendar"),
    "program.create": _("created the program"),
    "program.update": _("edited the program"),
    "program.requirement_add": _("added a rotation requirement"),
    "program.requirement_update": _("changed a rotation requirement"),
    "program.requirement_remove": _("removed a rotation requirement"),
    "cohort.create": _("created the cohort"),
    "cohort.member_add": _("added a resident to the cohort"),
    "cohort.member_update": _("changed a resident's rotation plan"),
    "cohort.member_remove": _("removed a resident from the cohort"),
    "exchange_quota.set": _("set an exchange quota"),
    "exchange_quota.remove": _("removed an exchange quota"),
    "proposal.generate": _("started solving a schedule proposal"),
    "proposal.done": _("finished solving the schedule proposal"),
    "proposal.infeasible": _("found that no schedule can meet every rule"),
    "proposal.failed": _("could not finish solving the schedule proposal"),
    "proposal.pin": _("pinned a cell of the schedule proposal"),
    "proposal.approve": _("approved the schedule proposal for their hospital"),
    "proposal.publish": _("published the schedule proposal"),
    "schedule.publish": _("published the schedule"),
    "schedule.leave": _("entered approved leave in the schedule"),
    "schedule.swap": _("entered an approved swap in the schedule"),
    "leave.request": _("requested leave"),
    "leave.approved": _("approved the leave request"),
    "leave.refused": _("refused the leave request"),
    "swap.request": _("requested a swap"),
    "swap.approved": _("approved the swap request"),
    "swap.refused": _("refused the swap request"),
    "swap.accept": _("accepted the swap"),
    "swap.decline": _("declined the swap"),
}

# Texts the system writes (reasons it gives, ledger entries it makes): stored as one of these
# codes with its parameters, worded by `generated_text` when shown, in the reader's language —
# never in the language of whoever happened to act.
GENERATED_TEXTS: dict[str, Promise] = {
    "agreement.amended": _("The agreement was amended."),
    "agreement.term_ended": _("The term ended."),
    "booking.charge": _("Booking #%(pk)s: %(resource)s, %(day)s %(start)s–%(end)s"),
    "booking.cancelled": _("Booking #%(pk)s cancelled."),
    "booking.no_show_free": _("No-show on booking #%(pk)s: not charged by the owner's rules."),
    "expense.reversal": _("Reversal of: %(description)s"),
    # A person and the role in which they acted: "Li Wei (Theoretical/teaching tutor)", or
    # the institution they act for: "Li Wei (Eastern Medical University)".
    "person_in_role": _("%(person)s (%(role)s)"),
    # An author of a publication as its history records it: "1. Zhang Xiaoming * [Writing –
    # original draft, Investigation] (WMU; EMU)".
    "publication.author": _("%(position)s. %(name)s [%(roles)s] (%(institutions)s)"),
    # A milestone of a training plan and its time window.
    "plan.milestone_window": _("%(milestone)s: %(earliest)s – %(latest)s"),
    # One item of a division of responsibilities and the tutor role that holds it.
    "responsibility_held_by": _("%(item)s: %(role)s"),
    # A requirement of a residency program: departments and the least–most blocks in them.
    "residency.requirement": _("%(departments)s: %(least)s–%(most)s"),
    "residency.requirement_elective": _("%(departments)s: %(least)s–%(most)s (elective)"),
    # The sequence rules of a residency program, one sentence a rule.
    "residency.rule_precedence": _("all of %(first)s before any of %(second)s"),
    "residency.rule_forbidden": _("%(first)s never directly followed by %(second)s"),
    "residency.rule_max_consecutive": _("at most %(blocks)s blocks in a row in %(first)s"),
    "residency.rule_min_stint": _("at least %(blocks)s blocks in a row in %(first)s"),
    "residency.rules_none": _("no sequence rules"),
}


def choice(kind: str, value: str) -> dict[str, str]:
    """A parameter that is a stored choice (`choice("tutor_role", "experimental")`): worded
    with the label of its choices when shown (see audit_text.CHOICE_KINDS)."""
    return {"choice": kind, "value": value}


def generated(code: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A generated text as it is stored (in a JSON field, or as a value of an audit event's
    changes): its code and parameters. A parameter may itself be a generated text."""
    assert code in GENERATED_TEXTS, code
    return {"code": code, "params": dict(params or {})}


def is_generated(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"code", "params"}
        and value["code"] in GENERATED_TEXTS
        and isinstance(value["params"], dict)
    )


def worded(value: Any) -> str:
    """A stored generated text (see `generated`) in the active language; anything else as
    it is."""
    if is_generated(value):
        return generated_text(value["code"], value["params"])
    if isinstance(value, list) and value and all(is_generated(item) for item in value):
        return "; ".join(generated_text(item["code"], item["params"]) for item in value)
    return "" if value is None else str(value)


def in_site_language(value: Any) -> str:
    """A generated text in the site's language (LANGUAGE_CODE), whoever acts: the plain copy
    kept beside the code for search and exports."""
    with translation.override(settings.LANGUAGE_CODE):
        return worded(value)


def generated_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The text of a generated code in the active language; an unknown code, or parameters
    that do not fit its text, show the code itself rather than failing a page."""
    label = GENERATED_TEXTS.get(code)
    if label is None:
        return code
    values = {key: worded(value) for key, value in (params or {}).items()}
    try:
        return str(label) % values
    except (KeyError, TypeError, ValueError):
        return str(label)
