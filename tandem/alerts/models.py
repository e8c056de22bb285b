"""Early warning: per-institution thresholds, the warnings the evaluation raises, and the
notifications (in-app and e-mail) that tell the responsible people.

A warning is keyed by (rule, subject type, subject id). The database guarantees that at most one
warning per key is open, and that the same cause (`cause`: e.g. "no report since 2026-03-02")
is never raised twice, even after someone resolved it by hand while the cause persisted.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rule(models.TextChoices):
    NO_REPORT = "no_report", _("No progress report")
    MILESTONE = "milestone", _("Milestone overdue or due soon")
    TUTORS_SILENT = "tutors_silent", _("No contact between the tutors")
    ACTION_OVERDUE = "action_overdue", _("Action item overdue")
    ABSENCES = "absences", _("Absent from meetings in a row")
    LOW_FUNDS = "low_funds", _("Low research funds")
    FEEDBACK_OVERDUE = "feedback_overdue", _("Feedback item overdue")
    STAY_UNINSURED = "stay_uninsured", _("Host stay without the required insurance")
    LOGBOOK_BEHIND = "logbook_behind", _("Case log far behind the pace")
    WORKHOURS_VIOLATION = "workhours_violation", _("Work-hour rule broken")
    VISIT_ACTION_OVERDUE = "visit_action_overdue", _("Exchange-visit action overdue")
    ASSESSMENT_OVERDUE = "assessment_overdue", _("Rotation-end assessment overdue")
    WBA_SHORT = "wba_short", _("Too few WBAs near the rotation end")
    COMPONENT_FAILED = "component_failed", _("Assessment component failed")
    CERT_EXPIRING = "cert_expiring", _("Teacher-training certificate expiring")
    EXPIRED_TEACHER = "expired_teacher", _("Responsible teacher with an expired certificate")
    CCC_REVIEW_OVERDUE = "ccc_review_overdue", _("Competency review past its due date")
    CCC_NOT_REVIEWED = "ccc_not_reviewed", _("Resident not reviewed by the competency committee")
    ANNUAL_OVERDUE = "annual_overdue", _("Annual assessment overdue")
    COMPLETION_AT_RISK = "completion_at_risk", _("Not on track for completion near the end")
    STANDARDS_MISSED = "standards_missed", _("Base standards missed this month")
    RECTIFICATION_OVERDUE = "rectify_overdue", _("Rectification item overdue")


class SubjectType(models.TextChoices):
    CULTIVATION = "cultivation", _("Joint cultivation")
    MILESTONE = "milestone", _("Milestone")
    ACTION_ITEM = "action_item", _("Action item")
    PARTICIPANT = "participant", _("Meeting participant")
    ALLOCATION = "allocation", _("Fund allocation")
    FEEDBACK_ITEM = "feedback_item", _("Feedback item")
    STAY = "stay", _("Stay")
    ROTATION = "rotation", _("Rotation")
    COHORT_MEMBER = "cohort_member", _("Resident in a cohort")
    VISIT_ACTION = "visit_action", _("Exchange-visit action")
    ASSESSMENT = "assessment", _("Rotation-end assessment")
    TEACHER_PROFILE = "teacher_profile", _("Teacher profile")
    RESIDENT_REVIEW = "resident_review", _("Competency review of a resident")
    ANNUAL = "annual", _("Annual assessment")
    TRAINING_BASE = "training_base", _("Training base")
    RECTIFICATION = "rectification", _("Rectification item")


DEFAULT_THRESHOLDS = {
    "no_report_weeks": 4,
    "milestone_days": 14,
    "tutor_silence_weeks": 8,
    "action_overdue_days": 0,
    "absences_in_row": 3,
}


class WarningThresholds(models.Model):
    """The thresholds of one institution (its joint trainees and its meeting series). Without a
    row the defaults apply."""

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="warning_thresholds",
    )
    no_report_weeks = models.PositiveSmallIntegerField(
        _("no progress report for (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    milestone_days = models.PositiveSmallIntegerField(
        _("warn about a milestone due within (days)"),
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(180)],
    )
    tutor_silence_weeks = models.PositiveSmallIntegerField(
        _("no contact between the tutors for (weeks)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    action_overdue_days = models.PositiveSmallIntegerField(
        _("action item overdue by more than (days)"),
        default=0,
        validators=[MaxValueValidator(90)],
    )
    absences_in_row = models.PositiveSmallIntegerField(
        _("absent from meetings in a row"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warning thresholds")
        verbose_name_plural = _("warning thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    no_report_weeks__gte=1, tutor_silence_weeks__gte=1, absences_in_row__gte=1
                ),
                name="warning_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)


class WarningStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    CLOSED_AUTOMATICALLY = "closed_automatically", _("Closed automatically")


ACTIVE_STATUSES = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)


class EarlyWarning(models.Model):
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    subject_type = models.CharField(_("subject"), max_length=16, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    cause = models.CharField(_("cause"), max_length=64)
    # Who is responsible: the tutors of the cultivation and the coordinators of `institution`
    # (and of the cultivation's host); `extra_recipient` for an owner outside the pair.
    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="early_warnings",
        verbose_name=_("joint cultivation"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="early_warnings",
    )
    extra_recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trainee"),
    )
    is_urgent = models.BooleanField(_("urgent"), default=False)
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    note = models.TextField(_("note"), blank=True)
    # The evaluation run that raised it: lets that run, and only it, notify people.
    run_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="warning_one_open_per_subject",
            ),
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "cause"],
                name="warning_once_per_cause",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "acknowledged"], closed_at__isnull=True)
                | Q(status__in=["resolved", "closed_automatically"], closed_at__isnull=False),
                name="warning_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["institution", "status"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} #{self.subject_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EmailMode(models.TextChoices):
    DIGEST = "digest", _("Daily digest, urgent ones at once")
    IMMEDIATE = "immediate", _("Every notification at once")
    DIGEST_ONLY = "digest_only", _("Daily digest only")
    OFF = "off", _("No e-mail")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=16, choices=EmailMode.choices, default=EmailMode.DIGEST
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_mode}"


class NotificationKind(models.TextChoices):
    WARNING = "warning", _("Early warning")
    # A warning the first tutor in charge is asked to answer, sent to the other tutor to know.
    WARNING_INFORMED = "warning_informed", _("Early warning, for your information")
    ACTION_ASSIGNED = "action_assigned", _("Action item assigned")
    REPORT_COMMENTED = "report_commented", _("Report commented")
    SERIES_CHANGED = "series_changed", _("Debriefing series changed")
    SERIES_ENDED = "series_ended", _("Debriefing series ended")
    PARTICIPANT_REMOVED = "participant_removed", _("No longer invited to a debriefing series")
    SWAP_ASKED = "swap_asked", _("A rotation swap asked of you")
    # Evaluation reminders (tandem/evaluations/reminders.py): due soon, overdue, and the
    # coordinators' summary of a round past its due date.
    EVALUATION_DUE = "evaluation_due", _("Evaluation due soon")
    EVALUATION_OVERDUE = "evaluation_overdue", _("Evaluation overdue")
    EVALUATION_ROUND_OVERDUE = "eval_round_overdue", _("Evaluation round past its due date")
    # No detail of the check-in: its label is the whole text (tandem.wellbeing, decision 089).
    WELLBEING_ATTENTION = "wellbeing_attention", _("A wellbeing check-in needs your attention")
    # A joint cultivation terminated and closed (tandem.cultivation, decision 098).
    CULTIVATION_TERMINATED = "cultivation_ended", _("Joint cultivation terminated")
    # A teacher returned a case-log entry for correction (tandem.logbook).
    LOG_RETURNED = "log_returned", _("A log entry was returned to you")
    # A teaching activity was scheduled with you as teacher or in its audience (tandem.teaching).
    TEACHING_SCHEDULED = "teaching_scheduled", _("A teaching activity was scheduled for you")
    # A teacher corrected your attendance at a teaching activity (tandem.teaching).
    ATTENDANCE_CORRECTED = (
        "attendance_fixed",
        _("Your attendance at a teaching activity was corrected"),
    )
    # No detail of the case: its label and the link are the whole text (tandem.conduct).
    CONDUCT_STEP = "conduct_step", _("A discipline case you take part in has a new step")
    # A shift the resident logged broke a work-hour rule (tandem.workhours).
    WORKHOURS_VIOLATION = "workhours_violation", _("Your shifts break a work-hour rule")
    # No detail either: a nomination, vote, announcement or objection step (tandem.rewards).
    REWARD_STEP = "reward_step", _("A reward nomination you take part in has a new step")
    # Invited to an exchange visit; an exchange-visit action assigned, accepted or returned.
    VISIT_INVITED = "visit_invited", _("Invited to an exchange visit")
    VISIT_ACTION = "visit_action", _("An exchange-visit action of yours")
    RECTIFICATION = "rectification", _("A rectification item after a supervision visit")
    RESPONSIBLE_TEACHER = "responsible_teacher", _("A responsible teacher assigned")
    # Rotation-end assessments and WBAs (tandem.assessments).
    ASSESSMENT_DECIDED = "assessment_decided", _("Your rotation-end assessment was decided")
    WBA_TO_CONFIRM = "wba_to_confirm", _("A WBA waits for your confirmation")
    # The competency committee finalised a review of the resident (tandem.milestones).
    CCC_SUMMARY = "ccc_summary", _("Your competency review is finalised")


class Notification(models.Model):
    """An entry in a person's inbox. Its text is built when shown, in the reader's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    warning = models.ForeignKey(
        EarlyWarning,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_batch = models.UUIDField(null=True, blank=True, db_index=True)
    # A notification that must reach a person once only (e.g. one reminder per evaluation and
    # step): the database refuses a second row with the same key, even from concurrent runs.
    once_key = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "warning"],
                condition=Q(warning__isnull=False),
                name="notification_once_per_warning",
            ),
            models.UniqueConstraint(
                fields=["user", "once_key"],
                condition=~Q(once_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
