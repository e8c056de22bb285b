"""Milestones and EPAs with a clinical competency committee (issue 12, item 4; decision 111).

A milestone set belongs to a specialty (the program's `specialty`, `institutions.Specialty`):
subcompetencies, each in a competency domain with five levels described in both languages, and
the set's EPAs rated on the entrustment scale 1–5. A built-in example set has no hospital.

Each program has at most one committee (at least three faculty of the program's hospital, one
of them the chair). The committee opens a review period (e.g. "2026 H2") with one resident
review per resident of the program; members rate each subcompetency and EPA (a level, or None
for "not yet assessable") and one of them finalises the resident's review with the committee's
decision. The resident then reads the summary (the median of the members' levels, the
decision, the plan), never the members' individual notes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import BilingualName
from tandem.institutions.models import Specialty

LEVELS = (1, 2, 3, 4, 5)
MIN_MEMBERS = 3


class Domain(models.TextChoices):
    PATIENT_CARE = "patient_care", _("Patient care")
    MEDICAL_KNOWLEDGE = "medical_knowledge", _("Medical knowledge")
    SYSTEMS = "systems_based_practice", _("Systems-based practice")
    LEARNING = "practice_based_learning", _("Practice-based learning and improvement")
    PROFESSIONALISM = "professionalism", _("Professionalism")
    COMMUNICATION = "communication", _("Interpersonal and communication skills")


class MilestoneSet(BilingualName):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialty = models.CharField(_("specialty"), max_length=32)
    version = models.CharField(_("version"), max_length=16)
    is_builtin = models.BooleanField(_("built in"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("milestone set")
        verbose_name_plural = _("milestone sets")
        ordering = ["specialty", "-version", "id"]
        constraints = [
            # Two partial constraints instead of `nulls_distinct=False` (SQLite ignores it).
            models.UniqueConstraint(
                fields=["institution", "specialty", "version"],
                condition=Q(institution__isnull=False),
                name="milestones_set_version",
            ),
            models.UniqueConstraint(
                fields=["specialty", "version"],
                condition=Q(institution__isnull=True),
                name="milestones_set_version_builtin",
            ),
        ]

    def __str__(self) -> str:
        return f"{super().__str__()} ({self.version})"

    @property
    def specialty_label(self) -> str:
        if self.specialty in Specialty.values:
            return str(Specialty(self.specialty).label)
        return self.specialty


class Subcompetency(BilingualName):
    milestone_set = models.ForeignKey(
        MilestoneSet, on_delete=models.CASCADE, related_name="subcompetencies"
    )
    code = models.CharField(_("code"), max_length=16)
    domain = models.CharField(_("competency domain"), max_length=32, choices=Domain.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("subcompetency")
        verbose_name_plural = _("subcompetencies")
        ordering = ["milestone_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["milestone_set", "code"], name="milestones_sub_code")
        ]


class MilestoneLevel(models.Model):
    subcompetency = models.ForeignKey(
        Subcompetency, on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    description = models.TextField(_("description"))
    description_zh = models.TextField(_("description in Chinese"), blank=True)

    class Meta:
        verbose_name = _("milestone level")
        verbose_name_plural = _("milestone levels")
        ordering = ["subcompetency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["subcompetency", "level"], name="milestones_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="milestones_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subcompetency.code} {self.level}"


class Epa(BilingualName):
    """An entrustable professional activity, rated on the entrustment scale 1–5."""

    milestone_set = models.ForeignKey(MilestoneSet, on_delete=models.CASCADE, related_name="epas")
    code = models.CharField(_("code"), max_length=16)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("EPA")
        verbose_name_plural = _("EPAs")
        ordering = ["milestone_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["milestone_set", "code"], name="milestones_epa_code")
        ]


class Committee(models.Model):
    """The clinical competency committee of one program."""

    program = models.OneToOneField(
        "residency.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="competency_committee",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("clinical competency committee")
        verbose_name_plural = _("clinical competency committees")
        ordering = ["program__name"]

    def __str__(self) -> str:
        return str(_("Competency committee of %(program)s") % {"program": self.program.name})


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="milestones_member_once")
        ]

    def __str__(self) -> str:
        return self.user.full_name or self.user.username


class Review(models.Model):
    """A semiannual review period of a committee."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="reviews")
    milestone_set = models.ForeignKey(
        MilestoneSet, verbose_name=_("milestone set"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("review period"), max_length=40)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_on = models.DateField(_("decisions due on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("competency review")
        verbose_name_plural = _("competency reviews")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "label"], name="milestones_review_label"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="milestones_review_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee.program.name} — {self.label}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Being reviewed")
    FINALISED = "finalised", _("Finalised")


class Decision(models.TextChoices):
    PROGRESSING = "progressing", _("Progressing")
    NOT_YET = "not_yet", _("Not yet progressing")
    REMEDIATION = "remediation", _("Remediation plan")


class ResidentReview(models.Model):
    """One resident in one review period: the evidence page, the ratings, the decision."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="residents")
    member = models.ForeignKey("residency.CohortMember", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="competency_reviews",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    plan = models.TextField(_("remediation plan"), blank=True)
    plan_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("plan owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan_due = models.DateField(_("plan due on"), null=True, blank=True)
    # The committee's levels, fixed at finalisation: {"subcompetencies": {code: level or
    # None}, "epas": {code: level or None}} (the median of the members' levels).
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident review")
        verbose_name_plural = _("resident reviews")
        ordering = ["review", "resident__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "resident"], name="milestones_rr_once"),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(finalised_at__isnull=False, finalised_by__isnull=False) & ~Q(decision="")),
                name="milestones_rr_finalised",
            ),
            models.CheckConstraint(
                condition=~Q(decision="remediation")
                | (~Q(plan="") & Q(plan_owner__isnull=False, plan_due__isnull=False)),
                name="milestones_rr_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.review.label}"


class Rating(models.Model):
    """One member's rating of one subcompetency or one EPA; `level` None: not yet
    assessable. The note is the member's own and never shown to the resident."""

    resident_review = models.ForeignKey(
        ResidentReview, on_delete=models.CASCADE, related_name="ratings"
    )
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subcompetency = models.ForeignKey(
        Subcompetency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    epa = models.ForeignKey(Epa, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(subcompetency__isnull=False, epa__isnull=True)
                | Q(subcompetency__isnull=True, epa__isnull=False),
                name="milestones_rating_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="milestones_rating_level",
            ),
            models.UniqueConstraint(
                fields=["resident_review", "rater", "subcompetency"],
                condition=Q(subcompetency__isnull=False),
                name="milestones_rating_sub_once",
            ),
            models.UniqueConstraint(
                fields=["resident_review", "rater", "epa"],
                condition=Q(epa__isnull=False),
                name="milestones_rating_epa_once",
            ),
        ]

    def __str__(self) -> str:
        thing = self.subcompetency.code if self.subcompetency_id else self.epa.code  # type: ignore[union-attr]
        return f"{thing}: {self.level or '—'}"
