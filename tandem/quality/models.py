"""Quality assurance of the training bases (decision 115).

- `Standard`: a rule a base sets itself, of three kinds: at least N activities of a kind in
  every department every P days, weeks or months; an orientation (入科教育) for every new
  rotation start within D days; at most N residents per responsible teacher at once. Checked
  by the pure function in `compliance.py`, on demand.
- Supervision (督导/听课): a `Supervisor` is designated per base; an `Observation` of a
  teaching activity is scored with the engine's built-in supervision form (an evaluation pair of
  the supervisor and the teacher); each finding is a `Rectification` with an owner and a
  deadline, answered by the owner and accepted or returned by the supervisor.
- Self-assessment: a base scores itself against an `IndicatorList` (grouped, bilingual
  indicators with maximum scores), with comments and evidence files, and submits it; the
  submitted version is read-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.quality.texts import standard_text


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


class StandardKind(models.TextChoices):
    FREQUENCY = "frequency", _("Activities of a kind in every department")
    ORIENTATION = "orientation", _("Orientation for every new rotation start")
    TEACHER_LOAD = "teacher_load", _("Residents per responsible teacher at most")


class PeriodUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")
    MONTH = "month", _("months")


class Standard(models.Model):
    base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("training base"),
        on_delete=models.CASCADE,
        related_name="quality_standards",
    )
    kind = models.CharField(_("kind of standard"), max_length=16, choices=StandardKind.choices)
    activity_kind = models.ForeignKey(
        "teaching.ActivityKind",
        verbose_name=_("kind of activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(_("how many"), default=1)
    period = models.PositiveSmallIntegerField(_("every"), default=1)
    unit = models.CharField(
        _("period"), max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.WEEK
    )
    within_days = models.PositiveSmallIntegerField(_("within (days)"), default=3)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("base standard")
        verbose_name_plural = _("base standards")
        ordering = ["base", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=100), name="quality_standard_count"
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=52), name="quality_standard_period"
            ),
            models.CheckConstraint(
                condition=~Q(kind="frequency") | Q(activity_kind__isnull=False),
                name="quality_standard_frequency_kind",
            ),
        ]

    def __str__(self) -> str:
        return standard_text(self)


class Supervisor(models.Model):
    """A person designated to supervise (督导) the teaching of a base."""

    base = models.ForeignKey(
        "institutions.Unit", on_delete=models.CASCADE, related_name="quality_supervisors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.CASCADE,
        related_name="quality_supervisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        constraints = [
            models.UniqueConstraint(fields=["base", "user"], name="quality_supervisor_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.base}"


class Observation(models.Model):
    """A supervisor's observation (听课) of one teaching activity."""

    activity = models.ForeignKey(
        "teaching.Activity",
        verbose_name=_("teaching activity"),
        on_delete=models.PROTECT,
        related_name="quality_observations",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="quality_observations",
    )
    # The scoring form: an engine pair of the supervisor (evaluator) and the teacher (target).
    pair = models.OneToOneField(
        "evaluations.EvaluationPair",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quality_observation",
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("supervision observation")
        verbose_name_plural = _("supervision observations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "supervisor"], name="quality_observation_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.activity)


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Action reported")
    ACCEPTED = "accepted", _("Accepted")


class Rectification(models.Model):
    """A finding of an observation, to be rectified by its owner before the deadline."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="rectifications"
    )
    finding = models.TextField(_("finding"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="quality_rectifications",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    response = models.TextField(_("action taken"), blank=True)
    responded_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="quality_rect_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="responded") | ~Q(response=""),
                name="quality_rect_response",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="quality_rect_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.finding[:80]


class IndicatorList(models.Model):
    """A list of indicators a base assesses itself against; `code` names a built-in one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indicator list")
        verbose_name_plural = _("indicator lists")

    def __str__(self) -> str:
        return self.title_zh if self.title_zh and _zh() else self.title


class Indicator(models.Model):
    indicator_list = models.ForeignKey(
        IndicatorList, on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(default=0)
    group = models.CharField(_("group"), max_length=200)
    group_zh = models.CharField(_("group in Chinese"), max_length=200, blank=True)
    name = models.CharField(_("indicator"), max_length=300)
    name_zh = models.CharField(_("indicator in Chinese"), max_length=300, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_list", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="quality_indicator_max")
        ]

    def __str__(self) -> str:
        return self.name_zh if self.name_zh and _zh() else self.name

    @property
    def group_label(self) -> str:
        return self.group_zh if self.group_zh and _zh() else self.group


class SelfAssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class SelfAssessment(models.Model):
    base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("training base"),
        on_delete=models.CASCADE,
        related_name="quality_self_assessments",
    )
    indicator_list = models.ForeignKey(
        IndicatorList, verbose_name=_("indicator list"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SelfAssessmentStatus.choices,
        default=SelfAssessmentStatus.DRAFT,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("base self-assessment")
        verbose_name_plural = _("base self-assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="quality_self_submitted",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SelfScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("self-assessment score")
        verbose_name_plural = _("self-assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="quality_score_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="quality_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"quality/{instance.assessment_id}/{filename}"


class Evidence(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["indicator__position", "id"]

    def __str__(self) -> str:
        return self.title
