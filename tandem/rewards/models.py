"""Rewards: a round (its kind, criteria, nomination window, committee and objection period),
nominations with their evidence, the committee's votes, the announcement (公示) with its
objections, and the award that becomes final once the objection period is over and every
objection is answered (decision 104).

The `__str__` of a nomination names no one: it is what the audit trail records as the target.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


class RewardKind(models.TextChoices):
    SCHOLARSHIP = "scholarship", _("Scholarship")
    HONOUR_TITLE = "honour_title", _("Honour title")
    MATERIAL_AWARD = "material_award", _("Material award")
    COMMENDATION = "commendation", _("Commendation")


class NomineeKind(models.TextChoices):
    TRAINEE = "trainee", _("A trainee")
    TUTOR = "tutor", _("A tutor")
    EITHER = "either", _("A trainee or a tutor")
    TUTOR_PAIR = "tutor_pair", _("A tutor pair")


class RewardRound(models.Model):
    """One call for nominations, decided by its own committee; deadlines are counted in the
    working days of `institution`'s calendar (the deciding institution)."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("deciding institution"),
        on_delete=models.PROTECT,
        related_name="reward_rounds",
    )
    consortium_wide = models.BooleanField(
        _("open to nominees of every institution of the consortium"), default=False
    )
    kind = models.CharField(_("kind of reward"), max_length=16, choices=RewardKind.choices)
    nominee_kind = models.CharField(
        _("who can be nominated"), max_length=12, choices=NomineeKind.choices
    )
    title = models.CharField(_("round title"), max_length=200)
    title_zh = models.CharField(_("round title in Chinese"), max_length=200)
    criteria = models.TextField(_("criteria (English)"), max_length=8000)
    criteria_zh = models.TextField(_("criteria (Chinese)"), max_length=8000)
    nominations_open = models.DateField(_("nominations open"))
    nominations_close = models.DateField(_("nominations close"))
    objection_days = models.PositiveSmallIntegerField(
        _("objection period (working days)"), default=5
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RoundMember",
        related_name="reward_committees",
        verbose_name=_("committee"),
    )
    announced_on = models.DateField(_("result announced on"), null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why the round is cancelled"), blank=True, max_length=4000)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reward round")
        verbose_name_plural = _("reward rounds")
        ordering = ["-nominations_open", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_close__gte=models.F("nominations_open")),
                name="rewards_window_positive",
            ),
            models.CheckConstraint(
                condition=Q(objection_days__gte=1, objection_days__lte=30),
                name="rewards_objection_days_range",
            ),
            models.CheckConstraint(
                condition=Q(announced_on__isnull=True) | Q(objection_until__isnull=False),
                name="rewards_announcement_has_period",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                name="rewards_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(announced_on__isnull=True),
                name="rewards_cancel_before_announcement",
            ),
        ]

    def __str__(self) -> str:
        return self.title_zh if _zh() and self.title_zh else self.title

    @property
    def criteria_text(self) -> str:
        return self.criteria_zh if _zh() and self.criteria_zh else self.criteria

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open_to_change(self) -> bool:
        """Nothing is decided yet: neither announced nor cancelled."""
        return self.announced_on is None and self.cancelled_at is None

    def accepts_nominations_on(self, day: datetime.date) -> bool:
        return self.is_open_to_change and self.nominations_open <= day <= self.nominations_close

    def in_objection_period_on(self, day: datetime.date) -> bool:
        return (
            self.announced_on is not None
            and self.objection_until is not None
            and self.announced_on <= day <= self.objection_until
        )


class RoundMember(models.Model):
    round = models.ForeignKey(RewardRound, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="rewards_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under review")
    DECLINED = "declined", _("Not awarded")
    ANNOUNCED = "announced", _("Awarded: in its objection period")
    FINAL = "final", _("Awarded: final")
    WITHDRAWN = "withdrawn", _("Withdrawn after an objection")
    CANCELLED = "cancelled", _("Closed: the round was cancelled")


AWARDED_STATUSES = (NominationStatus.ANNOUNCED, NominationStatus.FINAL, NominationStatus.WITHDRAWN)


class Nomination(models.Model):
    """One nominee, or the two tutors of a pair, nominated in a round with a statement."""

    round = models.ForeignKey(RewardRound, on_delete=models.PROTECT, related_name="nominations")
    nominees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reward_nominations", verbose_name=_("nominees")
    )
    statement = models.TextField(_("statement"), max_length=8000)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NominationStatus.choices,
        default=NominationStatus.SUBMITTED,
    )
    votes_for = models.PositiveSmallIntegerField(default=0)
    eligible = models.PositiveSmallIntegerField(default=0)
    final_on = models.DateField(_("final on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "nominated_at", "id"]
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="final") | Q(final_on__isnull=False),
                name="rewards_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Nomination %(number)s")) % {"number": self.pk}


class ReferenceKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    EVALUATION = "evaluation", _("Released evaluation")
    MILESTONE = "milestone", _("Passed milestone")


class Evidence(models.Model):
    """A file, or a reference to a record already in Tandem the nominator could see (checked
    through that app's selector when attached)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("what the evidence shows"), max_length=300)
    file = models.FileField(_("file"), upload_to="rewards/evidence/%Y/", blank=True)
    reference_kind = models.CharField(
        _("record in Tandem"), max_length=16, choices=ReferenceKind.choices, blank=True
    )
    reference_id = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_kind="") | Q(reference_id__isnull=False),
                name="rewards_reference_has_id",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Evidence"))


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="rewards_vote_once"),
        ]

    def __str__(self) -> str:
        return str(_("Vote"))


class Objection(models.Model):
    """A named objection to an announced award; the objector's name is for the committee."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds of the objection"), max_length=8000)
    lodged_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("the committee's written answer"), blank=True, max_length=8000)
    upheld = models.BooleanField(_("objection upheld"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | (~Q(answer="") & Q(upheld__isnull=False)),
                name="rewards_answer_is_written",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Objection %(number)s")) % {"number": self.pk}

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
