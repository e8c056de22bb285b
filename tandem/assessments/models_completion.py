"""Annual assessments (年度考核) and completion (结业考核资格) — decision 112.

A program in Tandem is one training year of one specialty, so the annual assessment's plan
belongs to a program and each assessment to one cohort membership (a resident in one training
year). Completion spans every year of a specialty at one hospital, so its rules and the final
result belong to the hospital and the specialty.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.institutions.models import Specialty


def specialty_text(code: str) -> str:
    """A specialty as the reader reads it (its label in their language; an unknown code as is)."""
    return str(Specialty(code).label) if code in Specialty.values else code


class AnnualPlan(models.Model):
    """The components of a program's annual assessment: a pass mark left empty leaves the
    component out. `rotations_required`: every rotation-end assessment of the year passed."""

    program = models.OneToOneField(
        "residency.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    theory_pass = models.PositiveSmallIntegerField(
        _("theory exam pass mark"), null=True, blank=True
    )
    skills_pass = models.PositiveSmallIntegerField(
        _("skills exam pass mark"), null=True, blank=True
    )
    evaluation_pass = models.PositiveSmallIntegerField(
        _("teachers' evaluation pass mark"), null=True, blank=True
    )
    attendance_pass = models.PositiveSmallIntegerField(
        _("attendance pass mark (percent)"), null=True, blank=True
    )
    rotations_required = models.BooleanField(
        _("every rotation-end assessment of the year passed"), default=True
    )
    reexams_allowed = models.PositiveSmallIntegerField(_("re-examinations allowed"), default=1)

    class Meta:
        verbose_name = _("annual assessment plan")
        verbose_name_plural = _("annual assessment plans")
        constraints = [
            models.CheckConstraint(
                condition=(Q(theory_pass__isnull=True) | Q(theory_pass__lte=100))
                & (Q(skills_pass__isnull=True) | Q(skills_pass__lte=100))
                & (Q(evaluation_pass__isnull=True) | Q(evaluation_pass__lte=100))
                & (Q(attendance_pass__isnull=True) | Q(attendance_pass__lte=100)),
                name="assessment_annual_plan_range",
            ),
            models.CheckConstraint(
                condition=Q(reexams_allowed__lte=3), name="assessment_annual_plan_reexams"
            ),
        ]

    def __str__(self) -> str:
        return str(self.program)


class AnnualStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment", "Open")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class AnnualAssessment(models.Model):
    """One resident's annual assessment of one training year (one cohort membership)."""

    member = models.OneToOneField(
        "residency.CohortMember", on_delete=models.PROTECT, related_name="annual_assessment"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="annual_assessments",
    )
    training_year = models.PositiveSmallIntegerField(_("training year"))
    exam_on = models.DateField(_("exam date"))
    due_on = models.DateField(_("result due on"))
    theory = models.DecimalField(
        _("theory exam score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    skills = models.DecimalField(
        _("skills exam score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    evaluation = models.DecimalField(
        _("teachers' evaluation"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    attendance = models.DecimalField(
        _("attendance (percent)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    rotations_passed = models.BooleanField(_("rotations of the year passed"), null=True, blank=True)
    status = models.CharField(
        _("result"), max_length=8, choices=AnnualStatus.choices, default=AnnualStatus.OPEN
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    remarks = models.TextField(_("remarks"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        ordering = ["-exam_on", "resident__full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("exam_on")), name="assessment_annual_dates"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="assessment_annual_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="assessment_annual_due")]

    def __str__(self) -> str:
        return f"{self.resident} — {self.training_year}"


class CompletionRule(models.Model):
    """What a resident of one specialty at one hospital needs to sit the completion exam."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    specialty = models.CharField(_("specialty"), max_length=32)
    training_years = models.PositiveSmallIntegerField(_("training years"), default=3)
    rotations_required = models.BooleanField(
        _("every required rotation completed and passed"), default=True
    )
    caselog_share = models.PositiveSmallIntegerField(
        _("share of the case-log minimums met (percent)"), default=100
    )
    annual_required = models.BooleanField(
        _("annual assessment of every training year passed"), default=True
    )
    attendance_pass = models.PositiveSmallIntegerField(
        _("teaching attendance at least (percent)"), null=True, blank=True, default=80
    )
    remediation_clear = models.BooleanField(_("no unresolved remediation"), default=True)

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "specialty"], name="assessment_completion_rule_once"
            ),
            models.CheckConstraint(
                condition=Q(caselog_share__lte=100)
                & (Q(attendance_pass__isnull=True) | Q(attendance_pass__lte=100))
                & Q(training_years__gte=1)
                & Q(training_years__lte=5),
                name="assessment_completion_rule_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.specialty_label}"

    @property
    def specialty_label(self) -> str:
        return specialty_text(self.specialty)


class CompletionOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    DEFERRED = "deferred", _("Deferred")


class CompletionResult(models.Model):
    """The final completion result of one resident in one specialty at one hospital. A
    deferred result may later be replaced; a passed or failed one is final."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="completion_results",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialty = models.CharField(_("specialty"), max_length=32)
    outcome = models.CharField(_("result"), max_length=8, choices=CompletionOutcome.choices)
    decided_on = models.DateField(_("date"))
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("completion result")
        verbose_name_plural = _("completion results")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "institution", "specialty"],
                name="assessment_completion_result_once",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="passed") | ~Q(certificate_number=""),
                name="assessment_completion_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.get_outcome_display()}"
