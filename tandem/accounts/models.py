"""People, their roles at institutions, and their trainee and tutor profiles."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    CONSORTIUM_ADMIN = "consortium_admin", _("Consortium admin")
    COORDINATOR = "coordinator", _("Institution coordinator")
    TUTOR = "tutor", _("Tutor")
    TEACHER = "teacher", _("Teacher")
    TRAINEE = "trainee", _("Trainee")
    BASE_DIRECTOR = "base_director", _("Training-base director")
    EVALUATOR = "evaluator", _("Evaluator")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="en",
    )
    failed_login_count = models.PositiveIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="accounts_user_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Membership(models.Model):
    """A role a person holds at an institution (optionally at one unit of it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="consortium_admin") | Q(institution__isnull=False),
                name="membership_institution_required_except_admin",
            ),
            # One row per role and place; NULLs spelled out so SQLite and PostgreSQL agree.
            models.UniqueConstraint(
                fields=["user", "role", "institution", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unique_role_at_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "institution"],
                condition=Q(unit__isnull=True, institution__isnull=False),
                name="membership_unique_role_at_institution",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(institution__isnull=True),
                name="membership_unique_consortium_role",
            ),
        ]
        indexes = [models.Index(fields=["institution", "role"])]

    def __str__(self) -> str:
        where = self.unit or self.institution
        label = Role(self.role).label
        return f"{self.user} — {label}" + (f" @ {where}" if where else "")


class TraineeKind(models.TextChoices):
    ACADEMIC_MASTER = "academic_master", _("Academic master's")
    PROFESSIONAL_MASTER = "professional_master", _("Professional master's")
    DOCTORAL = "doctoral", _("Doctoral")
    RESIDENT = "resident", _("Resident")


class TraineeProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="trainee_profile")
    kind = models.CharField(_("trainee kind"), max_length=32, choices=TraineeKind.choices)
    cohort = models.PositiveSmallIntegerField(
        _("cohort (year of entry)"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    specialty = models.CharField(_("specialty or discipline"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__gte=1950) & Q(cohort__lte=2100), name="trainee_cohort_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()} {self.cohort})"


class StudentNumber(models.Model):
    """A trainee's student or staff number at one institution."""

    trainee = models.ForeignKey(
        TraineeProfile, on_delete=models.CASCADE, related_name="student_numbers"
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT
    )
    number = models.CharField(_("student number"), max_length=40)

    class Meta:
        verbose_name = _("student number")
        verbose_name_plural = _("student numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="student_number_unique_per_institution"
            ),
            models.UniqueConstraint(
                fields=["trainee", "institution"], name="one_student_number_per_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.number}"


MAX_ANNUAL_QUOTA = 50


class SupervisorQualification(models.TextChoices):
    NONE = "none", _("Not a supervisor")
    MASTER = "master", _("Master's supervisor")
    DOCTORAL = "doctoral", _("Doctoral supervisor")


class TutorProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="tutor_profile")
    title = models.CharField(pgettext_lazy("academic", "title"), max_length=80, blank=True)
    qualification = models.CharField(
        _("supervisor qualification"),
        max_length=16,
        choices=SupervisorQualification.choices,
        default=SupervisorQualification.MASTER,
    )
    research_areas = models.TextField(_("research areas"), blank=True)
    annual_quota = models.PositiveSmallIntegerField(
        _("annual quota of new trainees"),
        default=3,
        validators=[MaxValueValidator(MAX_ANNUAL_QUOTA)],
    )

    class Meta:
        verbose_name = _("tutor profile")
        verbose_name_plural = _("tutor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_quota__lte=MAX_ANNUAL_QUOTA), name="tutor_annual_quota_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_qualification_display()})"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class FeedScope(models.TextChoices):
    """What a person's calendar feed may carry. Adding a scope: a member here and its event
    source in `tandem/portal/views_feed.py` (`FEED_SOURCES`); no migration."""

    ASSESSMENTS = "assessments", _("My annual and rotation-end assessment dates")
    BOOKINGS = "bookings", _("My bookings of shared resources")
    MEETINGS = "meetings", _("Progress debriefings I organize or am invited to")
    ROTATIONS = "rotations", _("My residency rotations")
    SEMINARS = "seminars", _("Seminars I organize or am invited to")
    TEACHING = "teaching", _("Teaching activities I give or am expected at")
    VISITS = "visits", _("Exchange visits I run or take part in")


def all_feed_scopes() -> list[str]:
    return [scope.value for scope in FeedScope]


def validate_feed_scopes(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("The feed's calendars must be a list of names."))
    unknown = sorted(set(value) - set(FeedScope.values))
    if unknown:
        raise ValidationError(
            _("Unknown calendar for the feed: %(names)s.") % {"names": ", ".join(unknown)}
        )


class CalendarFeed(models.Model):
    """A person's one secret calendar address, carrying the scopes they chose. Only a hash of
    the token is stored: the address is shown once, when it is made. No hash means no address
    works (never made since the move to one feed, or revoked)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    scopes = models.JSONField(
        _("calendars in the feed"),
        default=all_feed_scopes,
        validators=[validate_feed_scopes],
        error_messages={"blank": _("Choose at least one calendar for the feed.")},
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rotated_at = models.DateTimeField(_("address made at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_live(self) -> bool:
        return self.token_hash is not None

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
