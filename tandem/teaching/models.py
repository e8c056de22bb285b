"""Teaching activities of the training bases (教学活动) and their attendance.

A department schedules an activity (one-off, or a series repeating every N weeks until a date:
each occurrence is its own `Activity`, with its own sign-in secret and attendance). The
audience is, by default, the residents whom the published schedule places in the department
on that day; each of them has an `Attendance` row from the start ("expected"), so attendance
statistics are plain aggregates in the database.

Sign-in uses a code derived from the activity's secret and the 30-second step (`codes.py`,
decision 108): the secret never leaves the server.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import BilingualName


def new_secret() -> str:
    return secrets.token_hex(32)


class ActivityKind(BilingualName):
    """A kind of teaching activity. Built-in kinds (no base) are offered everywhere; a base
    adds its own."""

    base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("training base"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=32)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kind of teaching activity")
        verbose_name_plural = _("kinds of teaching activity")
        ordering = ["position", "name"]
        # Two partial constraints instead of `nulls_distinct=False`, which SQLite ignores.
        constraints = [
            models.UniqueConstraint(
                fields=["base", "code"],
                condition=models.Q(base__isnull=False),
                name="teaching_kind_code",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(base__isnull=True),
                name="teaching_kind_code_built_in",
            ),
        ]


# The built-in kinds (code, English, Chinese), as migration 0002 writes them.
BUILT_IN_KINDS = [
    ("orientation", "Orientation on entering the department", "入科教育"),
    ("teaching_rounds", "Teaching rounds", "教学查房"),
    ("small_lecture", "Small lecture", "小讲课"),
    ("case_discussion", "Case discussion", "病例讨论"),
    ("difficult_case", "Difficult case discussion", "疑难病例讨论"),
    ("skills_training", "Skills training", "技能培训"),
    ("procedure_demo", "Procedure demonstration", "操作示范"),
    ("journal_club", "Journal club", "文献研读会"),
]


class ActivitySeries(models.Model):
    """A recurring activity as scheduled: what it was asked to be. Its occurrences are the
    activities pointing here."""

    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=1)
    until = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("series of teaching activities")
        verbose_name_plural = _("series of teaching activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=12),
                name="teaching_series_interval",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ActivityStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="teaching_activities",
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activities"
    )
    series = models.ForeignKey(
        ActivitySeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="teaching_activities",
    )
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.SCHEDULED
    )
    # The key of the sign-in codes (hex); never shown, never sent.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    # The evaluation round its residents rate it in, made at the first sign-in (`rating.py`).
    rating_round = models.OneToOneField(
        "evaluations.EvaluationRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teaching_activity",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("teaching activity")
        verbose_name_plural = _("teaching activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["department", "starts_at"], name="teaching_activity_dept"),
            models.Index(fields=["teacher", "starts_at"], name="teaching_activity_teacher"),
            models.Index(fields=["starts_at"], name="teaching_activity_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="teaching_activity_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Not signed in")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")


class AttendanceSource(models.TextChoices):
    AUDIENCE = "audience", _("In the audience")
    CODE = "code", _("Signed in with the code")
    TEACHER = "teacher", _("Corrected by the teacher")


class Attendance(models.Model):
    """One resident at one activity: expected (in the audience, not signed in), present, or
    excused. `in_audience`: the resident was in the audience (the default audience from the
    published schedule, or added); a resident who signed in without being in it counts as
    present, never as expected."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="teaching_attendances",
    )
    # The cohort membership whose published schedule placed the resident in the department.
    member = models.ForeignKey(
        "residency.CohortMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_audience = models.BooleanField(_("in the audience"), default=True)
    status = models.CharField(
        _("attendance"),
        max_length=16,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.EXPECTED,
    )
    source = models.CharField(
        max_length=16, choices=AttendanceSource.choices, default=AttendanceSource.AUDIENCE
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["activity", "resident__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "resident"], name="teaching_attend_once"),
            models.CheckConstraint(
                condition=~Q(source="teacher") | ~Q(reason=""),
                name="teaching_correction_reason",
            ),
            models.CheckConstraint(
                condition=~Q(source="code") | Q(signed_in_at__isnull=False),
                name="teaching_code_signed_in_at",
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "status"], name="teaching_attend_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.activity}"


class RatingForm(models.Model):
    """The anonymous evaluation template (relationship "trainee evaluates each tutor") a
    hospital's residents rate its teaching activities with; none: activities are not rated."""

    institution = models.OneToOneField(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    template = models.ForeignKey(
        "evaluations.EvaluationTemplate",
        verbose_name=_("rating form"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(_("days to rate"), default=7)

    class Meta:
        verbose_name = _("rating form of teaching activities")
        verbose_name_plural = _("rating forms of teaching activities")

    def __str__(self) -> str:
        return str(self.template)
