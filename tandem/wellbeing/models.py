"""Wellbeing check-ins: who the confidential role is at each institution, the check-ins,
the trainee's consent to show scores to their tutors, and the confidential alerts.

Nothing here is registered in the Django admin (decision 089). The `__str__` of a check-in
and of an alert names no one and no score: it is what the audit trail records as the target.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the type of a gettext_lazy text exists in the stubs only
    from django.utils.functional import _StrPromise as StrPromise

SCORE_FIELDS = ("physical", "mental", "workload", "living")


class Score(models.IntegerChoices):
    VERY_BAD = 1, _("1 — very bad")
    BAD = 2, _("2 — bad")
    SO_SO = 3, _("3 — so-so")
    GOOD = 4, _("4 — good")
    VERY_GOOD = 5, _("5 — very good")


def _score(label: "str | StrPromise") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        choices=Score.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class WellbeingOfficer(models.Model):
    """A person an institution's coordinator designates to read its trainees' check-ins (a
    counsellor or the graduate-school officer). Ended appointments are kept, with an end."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="wellbeing_officers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="wellbeing_appointments",
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wellbeing officer")
        verbose_name_plural = _("wellbeing officers")
        ordering = ["institution", "appointed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "user"],
                condition=Q(ended_at__isnull=True),
                name="wellbeing_officer_once",
            )
        ]

    def __str__(self) -> str:
        return str(_("Wellbeing officer %(name)s") % {"name": self.user})


class WellbeingSettings(models.Model):
    """Per institution: how often its trainees check in, and which scores raise an alert
    (a score at or below the threshold; 0 turns a dimension's alert off)."""

    institution = models.OneToOneField(
        "institutions.Institution", on_delete=models.CASCADE, related_name="wellbeing_settings"
    )
    period_weeks = models.PositiveSmallIntegerField(
        _("check-in every (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    physical_alert_at = models.PositiveSmallIntegerField(
        _("alert on physical health at or below"), default=0, validators=[MaxValueValidator(4)]
    )
    mental_alert_at = models.PositiveSmallIntegerField(
        _("alert on mental health at or below"), default=2, validators=[MaxValueValidator(4)]
    )
    workload_alert_at = models.PositiveSmallIntegerField(
        _("alert on workload at or below"), default=0, validators=[MaxValueValidator(4)]
    )
    living_alert_at = models.PositiveSmallIntegerField(
        _("alert on living conditions at or below"), default=0, validators=[MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = _("wellbeing settings")
        verbose_name_plural = _("wellbeing settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_weeks__gte=1, period_weeks__lte=26),
                name="wellbeing_period_range",
            )
        ]

    def __str__(self) -> str:
        return str(_("Wellbeing settings"))


class CheckIn(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wellbeing_checkins"
    )
    # Fixed when submitted: whose officers read it. The host's only if the trainee chose so.
    home = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    share_with_host = models.BooleanField(_("the host institution's officers may read it too"))
    share_with_tutors = models.BooleanField(_("my tutors may see the scores of this check-in"))
    physical = _score(_("physical health"))
    mental = _score(_("mental health"))
    workload = _score(_("workload"))
    living = _score(_("living conditions"))
    note = models.TextField(_("anything else you would like to say"), blank=True, max_length=2000)
    wants_contact = models.BooleanField(_("I would like someone to contact me"))
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wellbeing check-in")
        verbose_name_plural = _("wellbeing check-ins")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["trainee", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    physical__gte=1,
                    physical__lte=5,
                    mental__gte=1,
                    mental__lte=5,
                    workload__gte=1,
                    workload__lte=5,
                    living__gte=1,
                    living__lte=5,
                ),
                name="wellbeing_scores_in_range",
            ),
            models.CheckConstraint(
                condition=Q(share_with_host=False) | Q(host__isnull=False),
                name="wellbeing_host_share_needs_host",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Wellbeing check-in"))


class TutorConsent(models.Model):
    """A trainee's standing consent that their current tutors see the scores of their
    check-ins (never the note, never an alert). Withdrawing ends it; a new one is a new row."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_consents"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent to share check-in scores")
        verbose_name_plural = _("consents to share check-in scores")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(withdrawn_at__isnull=True),
                name="wellbeing_one_standing_consent",
            )
        ]

    def __str__(self) -> str:
        return str(_("Consent to share check-in scores"))


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Needs attention")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class WellbeingAlert(models.Model):
    """A worrying check-in, for the officers of its home (and host, when shared)."""

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="alert")
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wellbeing alert")
        verbose_name_plural = _("wellbeing alerts")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(_("Wellbeing alert"))


class NoteKind(models.TextChoices):
    CONTACT = "contact", _("Contact made")
    OUTCOME = "outcome", _("Outcome")
    NOTE = "note", _("Note")


class AlertNote(models.Model):
    """The officers' confidential record of an alert: contact made, outcome, notes."""

    alert = models.ForeignKey(WellbeingAlert, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    text = models.TextField(_("text"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="wellbeing_note_not_empty")
        ]

    def __str__(self) -> str:
        return str(_("Confidential note"))


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the trainee")
    ACCEPTED = "accepted", _("Accepted: plan revision opened")
    DECLINED = "declined", _("Declined by the trainee")


class AdjustmentProposal(models.Model):
    """An officer's proposal of a health-related plan adjustment. It reaches the plan only when
    the trainee accepts it: then the plans service opens a revision whose confidential note is
    `note` (what the tutors and coordinators of the plan may read) — nothing of the check-in."""

    alert = models.ForeignKey(WellbeingAlert, on_delete=models.CASCADE, related_name="proposals")
    plan = models.ForeignKey("plans.TrainingPlan", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("what the plan's confidential note says"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert"],
                condition=Q(status="proposed"),
                name="wellbeing_one_open_proposal",
            )
        ]

    def __str__(self) -> str:
        return str(_("Proposed plan adjustment"))
