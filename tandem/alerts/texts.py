"""What a warning or a notification says, built when shown so it is in the reader's language."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.alerts.models import EarlyWarning, Notification, Rule
from tandem.assessments import texts as assessment_texts
from tandem.core.numbers import format_money
from tandem.cultivation.texts import termination_text
from tandem.evaluations.texts import reminder_text
from tandem.faculty import texts as faculty_texts
from tandem.faculty.texts import expiring_text
from tandem.feedback.texts import feedback_warning_text
from tandem.logbook.texts import pace_warning_text, returned_text
from tandem.milestones import texts as milestone_texts
from tandem.plans.models import MilestoneKind
from tandem.quality import texts as quality_texts
from tandem.teaching.texts import attendance_corrected_text, scheduled_text
from tandem.visits.texts import action_text, invited_text, overdue_text
from tandem.workhours import texts as workhours_texts


def warning_text(warning: EarlyWarning) -> str:
    d: dict[str, Any] = warning.detail or {}
    if warning.rule == Rule.NO_REPORT:
        if d.get("since"):
            return _("No progress report from %(trainee)s since %(since)s.") % d
        return _("No progress report from %(trainee)s yet.") % d
    if warning.rule == Rule.MILESTONE:
        # A standard milestone is stored without wording: its kind, in the reader's language.
        kind = d.get("kind")
        if not d.get("milestone") and kind in MilestoneKind.values:
            d = d | {"milestone": MilestoneKind(kind).label}
        if d.get("overdue"):
            return _("Milestone “%(milestone)s” of %(trainee)s is overdue (due %(due)s).") % d
        return _("Milestone “%(milestone)s” of %(trainee)s is due on %(due)s.") % d
    if warning.rule == Rule.TUTORS_SILENT:
        if d.get("since"):
            return _("The tutors of %(trainee)s have logged no contact since %(since)s.") % d
        return _("The tutors of %(trainee)s have logged no contact yet.") % d
    if warning.rule == Rule.ACTION_OVERDUE:
        return _("Action “%(title)s” (%(owner)s) was due on %(due)s.") % d
    if warning.rule == Rule.ABSENCES:
        return _("%(trainee)s was absent from %(count)s meetings in a row of “%(series)s”.") % d
    if warning.rule == Rule.LOW_FUNDS:
        money = {key: format_money(d.get(key)) for key in ("remaining", "warn_below")}
        return _(
            "Fund %(fund)s for %(trainee)s: %(remaining)s CNY left, below %(warn_below)s CNY."
        ) % (d | money)
    if warning.rule == Rule.FEEDBACK_OVERDUE:
        return feedback_warning_text(d)
    if warning.rule == Rule.STAY_UNINSURED:
        if (get_language() or "").startswith("zh") and d.get("host_zh"):
            d = d | {"host": d["host_zh"]}
        if d.get("begun"):
            return (
                _(
                    "The stay of %(trainee)s at %(host)s began on %(start)s without the insurance "
                    "the agreement requires on file."
                )
                % d
            )
        return (
            _(
                "The stay of %(trainee)s at %(host)s starts on %(start)s and the insurance the "
                "agreement requires is not on file: record it before the stay starts."
            )
            % d
        )
    if warning.rule == Rule.LOGBOOK_BEHIND:
        return pace_warning_text(d)
    if warning.rule == Rule.WORKHOURS_VIOLATION:
        return workhours_texts.warning_text(d)
    if warning.rule == Rule.VISIT_ACTION_OVERDUE:
        return overdue_text(d)
    if warning.rule == Rule.ASSESSMENT_OVERDUE:
        return assessment_texts.overdue_text(d)
    if warning.rule == Rule.COMPONENT_FAILED:
        return assessment_texts.failed_text(d)
    if warning.rule == Rule.WBA_SHORT:
        return assessment_texts.wba_short_text(d)
    if warning.rule in (Rule.CERT_EXPIRING, Rule.EXPIRED_TEACHER):
        return expiring_text(d)
    if warning.rule == Rule.CCC_REVIEW_OVERDUE:
        return milestone_texts.overdue_text(d)
    if warning.rule == Rule.CCC_NOT_REVIEWED:
        return milestone_texts.not_reviewed_text(d)
    if warning.rule == Rule.ANNUAL_OVERDUE:
        return assessment_texts.annual_overdue_text(d)
    if warning.rule == Rule.COMPLETION_AT_RISK:
        return assessment_texts.completion_at_risk_text(d)
    if warning.rule == Rule.STANDARDS_MISSED:
        return quality_texts.missed_text(d)
    if warning.rule == Rule.RECTIFICATION_OVERDUE:
        return quality_texts.overdue_text(d)
    return str(warning)


def notification_text(notification: Notification) -> str:
    if notification.kind == "warning" and notification.warning is not None:
        return warning_text(notification.warning)
    p: dict[str, Any] = notification.params or {}
    if notification.kind == "warning_informed" and notification.warning is not None:
        return _("%(warning)s %(first)s, the first tutor in charge, is asked to respond.") % {
            "warning": warning_text(notification.warning),
            "first": p.get("first", ""),
        }
    if notification.kind == "action_assigned":
        return _("You have a new action item: “%(title)s”, due %(due)s.") % p
    if notification.kind == "report_commented":
        return _("%(tutor)s commented on your report for %(meeting)s.") % p
    if notification.kind == "series_changed":
        return _("The debriefing series “%(series)s” has changed; see the meetings ahead.") % p
    if notification.kind == "series_ended":
        return _("The debriefing series “%(series)s” ends: no meetings after %(after)s.") % p
    if notification.kind == "cultivation_ended":
        return termination_text(p)
    if notification.kind == "participant_removed":
        return _("You are no longer invited to the debriefing series “%(series)s”.") % p
    if notification.kind in ("evaluation_due", "evaluation_overdue", "eval_round_overdue"):
        return reminder_text(notification.kind, p)
    if notification.kind == "swap_asked":
        return (
            _(
                "%(requester)s asks to swap block %(block)s of the rotation schedule with you: "
                "accept or decline it on your rotation page."
            )
            % p
        )
    if notification.kind == "log_returned":
        return returned_text(p)
    if notification.kind == "workhours_violation":
        return workhours_texts.notification_text(p)
    if notification.kind == "teaching_scheduled":
        return scheduled_text(p)
    if notification.kind == "attendance_fixed":
        return attendance_corrected_text(p)
    if notification.kind == "visit_invited":
        return invited_text(p)
    if notification.kind == "visit_action":
        return action_text(p)
    if notification.kind == "assessment_decided":
        return assessment_texts.decided_text(p)
    if notification.kind == "wba_to_confirm":
        return assessment_texts.wba_to_confirm_text(p)
    if notification.kind == "ccc_summary":
        return milestone_texts.summary_text(p)
    if notification.kind == "rectification":
        return quality_texts.rectification_text(p)
    if notification.kind == "responsible_teacher":
        return faculty_texts.assigned_text(p)
    return notification.get_kind_display()
