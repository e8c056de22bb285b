"""Individualized training plans: versions signed by both tutors, courses, milestones and their
submissions and reviews. See docs/decisions/020-plan-versions.md for the design."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TrainingPlan(models.Model):
    """One plan per joint cultivation; its content lives in numbered versions."""

    cultivation = models.OneToOneField(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.CASCADE,
        related_name="training_plan",
    )
    # The version in force: the latest one both tutors signed (None until the first sign-off).
    current_version = models.OneToOneField(
        "PlanVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self) -> str:
        return str(_("Training plan of %(trainee)s") % {"trainee": self.cultivation.trainee})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting_signoff", _("Awaiting sign-off")
    SIGNED = "signed", _("Signed")


class ReasonKind(models.TextChoices):
    INITIAL = "initial", _("First version")
    ORDINARY = "ordinary", _("Ordinary adjustment")
    HEALTH = "health", _("Health reasons (confidential)")


OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.AWAITING)


class PlanVersion(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    research_topic = models.CharField(_("research topic"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    reason_kind = models.CharField(
        _("kind of change"), max_length=16, choices=ReasonKind.choices, default=ReasonKind.INITIAL
    )
    # Empty for health reasons: their reason is kept in a ConfidentialNote.
    change_reason = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "awaiting_signoff"]),
                name="plan_one_open_version",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_positive"),
            models.CheckConstraint(
                condition=Q(status="signed", signed_at__isnull=False)
                | (~Q(status="signed") & Q(signed_at__isnull=True)),
                name="plan_version_signed_has_time",
            ),
            # The first version needs no reason; every later one does.
            models.CheckConstraint(
                condition=Q(number=1, reason_kind="initial")
                | Q(number__gt=1, reason_kind="ordinary") & ~Q(change_reason="")
                | Q(number__gt=1, reason_kind="health", change_reason=""),
                name="plan_version_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PlanSignature(models.Model):
    """A current tutor's sign-off of one version, for their place in the pair."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signatures")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=16)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan signature")
        verbose_name_plural = _("plan signatures")
        ordering = ["version", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="plan_signature_per_role"),
            models.UniqueConstraint(fields=["version", "tutor"], name="plan_signature_per_tutor"),
            models.CheckConstraint(
                condition=Q(role__in=["experimental", "theoretical"]), name="plan_signature_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} ({self.role})"


class ConfidentialNote(models.Model):
    """The reason of a health-related change, readable only by the coordinators of home and
    host, the two current tutors and the trainee."""

    version = models.OneToOneField(
        PlanVersion, on_delete=models.CASCADE, related_name="confidential_note"
    )
    text = models.TextField(_("confidential reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="confidential_note_not_empty")
        ]

    def __str__(self) -> str:
        return str(_("Confidential note"))


class CourseKind(models.TextChoices):
    COMPULSORY = "compulsory", _("Compulsory")
    ELECTIVE = "elective", _("Elective")


class PlanCourse(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("course"), max_length=200)
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CourseKind.choices, default=CourseKind.COMPULSORY
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("taught at"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.CharField(_("term"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["version", "term", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credits__gt=0) & Q(credits__lte=100), name="plan_course_credits_range"
            ),
            models.UniqueConstraint(fields=["version", "title"], name="plan_course_title_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.credits})"


class MilestoneKind(models.TextChoices):
    PROPOSAL = "proposal", _("Research proposal")
    MID_TERM = "mid_term", _("Mid-term review")
    THESIS_SUBMISSION = "thesis_submission", _("Thesis submission")
    DEFENCE = "defence", _("Defence")
    OTHER = "other", _("Other")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Submitted")
    PASSED = "passed", _("Passed")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    FAILED = "failed", _("Failed")


class PlanMilestone(models.Model):
    """A milestone of the plan: its identity and progress outlive versions. Its window in force
    (`earliest`, `latest`) is copied from the version in force when a version is signed; each
    version keeps its own windows in MilestoneWindow."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="milestones")
    key = models.SlugField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    # The wording people gave; blank for a standard milestone, which reads as its kind in the
    # reader's language (see `title`).
    custom_title = models.CharField(_("title"), max_length=200, blank=True, db_column="title")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
    )
    earliest = models.DateField(_("earliest"), null=True, blank=True)
    latest = models.DateField(_("latest"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "latest", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_milestone_key_unique"),
            models.CheckConstraint(
                condition=Q(earliest__isnull=True, latest__isnull=True)
                | Q(earliest__lte=models.F("latest")),
                name="plan_milestone_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The milestone's wording, or else its kind in the reader's language."""
        if self.custom_title:
            return self.custom_title
        return str(MilestoneKind(self.kind).label) if self.kind in MilestoneKind.values else ""

    @title.setter
    def title(self, value: str) -> None:
        self.custom_title = value


class MilestoneWindow(models.Model):
    """The window one version sets for one milestone."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="windows")
    milestone = models.ForeignKey(PlanMilestone, on_delete=models.CASCADE, related_name="windows")
    earliest = models.DateField(_("earliest"))
    latest = models.DateField(_("latest"))

    class Meta:
        verbose_name = _("milestone window")
        verbose_name_plural = _("milestone windows")
        ordering = ["version", "latest", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "milestone"], name="milestone_window_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(earliest__lte=models.F("latest")), name="milestone_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.earliest} – {self.latest}"


class ReviewOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    FAILED = "failed", _("Failed")


class MilestoneSubmission(models.Model):
    milestone = models.ForeignKey(
        PlanMilestone, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("submission"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # The review, once a tutor or coordinator has given it.
    outcome = models.CharField(
        pgettext_lazy("review", "outcome"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    examiners = models.CharField(_("examiners"), max_length=300, blank=True)
    comments = models.TextField(_("examiners' comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone submission")
        verbose_name_plural = _("milestone submissions")
        ordering = ["milestone", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "number"], name="milestone_submission_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(outcome="", reviewed_at__isnull=True)
                | (~Q(outcome="") & Q(reviewed_at__isnull=False)),
                name="milestone_submission_review_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} #{self.number}"


class MilestoneEvidence(models.Model):
    """An evidence file of a submission. Imported records carry the name and checksum only."""

    submission = models.ForeignKey(
        MilestoneSubmission, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/%m/", blank=True)
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.name
