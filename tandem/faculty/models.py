"""Teachers of the training bases (带教师资): their profile per base, the base's qualification
policy, teacher-training records, development plans with goals for the year, and the
responsible teacher of a resident's stint in a department.

Whether a teacher is qualified on a day is a pure function of the profile and the policy
(`qualification.py`); the assignment of a responsible teacher asks it and the limit of
residents at once (decision 113).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_MIN_ATTENDING_YEARS = 3
DEFAULT_MAX_RESIDENTS = 3


class Tier(models.TextChoices):
    GENERAL = "general", _("General teacher")
    KEY = "key", _("Key faculty")


class Title(models.TextChoices):
    RESIDENT = "resident", _("Resident physician")
    ATTENDING = "attending", _("Attending physician")
    ASSOCIATE_CHIEF = "associate_chief", _("Associate chief physician")
    CHIEF = "chief", _("Chief physician")


class TeacherPolicy(models.Model):
    """The qualification rule of one base. A base without a row uses the defaults."""

    base = models.OneToOneField(
        "institutions.Unit",
        verbose_name=_("training base"),
        on_delete=models.CASCADE,
        related_name="teacher_policy",
    )
    min_attending_years = models.PositiveSmallIntegerField(
        _("years as attending physician at least"), default=DEFAULT_MIN_ATTENDING_YEARS
    )
    certificate_required = models.BooleanField(
        _("teacher-training certificate required"), default=True
    )
    max_residents_general = models.PositiveSmallIntegerField(
        _("residents at once, general teacher"), default=DEFAULT_MAX_RESIDENTS
    )
    max_residents_key = models.PositiveSmallIntegerField(
        _("residents at once, key faculty"), default=DEFAULT_MAX_RESIDENTS
    )

    class Meta:
        verbose_name = _("teacher qualification policy")
        verbose_name_plural = _("teacher qualification policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_residents_general__gte=1, max_residents_key__gte=1),
                name="faculty_policy_limits",
            ),
            models.CheckConstraint(
                condition=Q(min_attending_years__lte=40), name="faculty_policy_years"
            ),
        ]

    def __str__(self) -> str:
        return str(self.base)

    def max_residents(self, tier: str) -> int:
        return self.max_residents_key if tier == Tier.KEY else self.max_residents_general


class TeacherProfile(models.Model):
    """One teacher at one training base."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="teacher_profiles",
    )
    base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("training base"),
        on_delete=models.PROTECT,
        related_name="teacher_profiles",
    )
    title = models.CharField(_("professional title"), max_length=20, choices=Title.choices)
    attending_since = models.DateField(_("attending physician since"), null=True, blank=True)
    certificate_number = models.CharField(
        _("teacher-training certificate number"), max_length=64, blank=True
    )
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)
    # A scan of the certificate, served only through the profile's access check.
    certificate_file = models.FileField(
        _("certificate file"), upload_to="faculty/certificates/%Y/", blank=True
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.GENERAL)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("teacher profile")
        verbose_name_plural = _("teacher profiles")
        ordering = ["base", "teacher__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "base"], name="faculty_profile_once"),
            models.CheckConstraint(
                condition=Q(certificate_expires_on__isnull=True)
                | Q(certificate_issued_on__isnull=True)
                | Q(certificate_expires_on__gte=F("certificate_issued_on")),
                name="faculty_certificate_dates",
            ),
        ]
        indexes = [models.Index(fields=["certificate_expires_on"], name="faculty_cert_expiry")]

    def __str__(self) -> str:
        return f"{self.teacher.full_name or self.teacher.username} — {self.base}"


class TrainingLevel(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class TrainingRecord(models.Model):
    """A teacher-training course a teacher took (师资培训)."""

    profile = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices)
    date = models.DateField(_("date"))
    certificate = models.CharField(_("certificate"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("teacher-training record")
        verbose_name_plural = _("teacher-training records")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=1000), name="faculty_training_hours"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.date.isoformat()})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed")


class DevelopmentPlan(models.Model):
    """A teacher's development plan for one year, reviewed by the base's coordinator."""

    profile = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "year"], name="faculty_plan_once"),
            models.CheckConstraint(
                condition=~Q(status="reviewed") | Q(reviewed_by__isnull=False),
                name="faculty_plan_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} — {self.year}"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class PlanGoal(models.Model):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    target = models.CharField(_("target"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.text


class ResponsibleTeacher(models.Model):
    """The responsible teacher of a resident's stint in a department, from one day to another
    (inside the stint). Ended early: `ends_on` moves back; removed: `cancelled_at`."""

    member = models.ForeignKey("residency.CohortMember", on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stint_start = models.DateField(_("rotation starts"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible teacher"),
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("responsible teacher")
        verbose_name_plural = _("responsible teachers")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="faculty_responsible_dates"
            ),
            models.CheckConstraint(
                condition=~Q(teacher=F("resident")), name="faculty_responsible_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "starts_on"], name="faculty_responsible_teacher"),
            models.Index(fields=["member", "department"], name="faculty_responsible_stint"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.teacher} ({self.starts_on.isoformat()})"
