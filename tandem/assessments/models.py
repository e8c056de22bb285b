"""Rotation-end assessments (出科考核) and workplace-based assessments (WBAs).

A plan per program and department says which components a rotation-end assessment has, the
pass mark of each and how many days after the rotation the assessment is due (decision 105).
Publishing a schedule gives each resident's stint an assessment with one row per component,
the pass marks copied from the plan so that a later change of the plan leaves open
assessments as they were. A failed assessment opens a remediation.

A WBA (mini-CEX, DOPS, case-based discussion or a form of the program) is started by the
resident and confirmed by the teacher, on the teacher's account or with a one-time code the
teacher's account issues (decision 106); only the code's hash is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def bilingual(english: str, chinese: str) -> str:
    if chinese and (get_language() or "").startswith("zh"):
        return chinese
    return english


class ComponentKind(models.TextChoices):
    THEORY = "theory", _("Theory exam")
    SKILLS = "skills", _("Skills exam")
    GLOBAL = "global", _("Teacher's global evaluation")
    ATTENDANCE = "attendance", _("Attendance in teaching activities")
    CASELOG = "caselog", _("Case-log completion")
    SUMMARY = "summary", _("Resident's rotation summary")
    SIGNOFF = "signoff", _("Department head's sign-off")


# Components with a number compared with a pass mark; the others pass when done.
SCORED = (
    ComponentKind.THEORY,
    ComponentKind.SKILLS,
    ComponentKind.GLOBAL,
    ComponentKind.ATTENDANCE,
    ComponentKind.CASELOG,
)


class AssessmentPlan(models.Model):
    """The components of the rotation-end assessment of one program in one department (or,
    with no department, in every department without a plan of its own). A pass mark left
    empty leaves the component out."""

    program = models.ForeignKey(
        "residency.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(_("due days after the rotation ends"), default=14)
    theory_pass = models.PositiveSmallIntegerField(
        _("theory exam pass mark"), null=True, blank=True
    )
    skills_pass = models.PositiveSmallIntegerField(
        _("skills exam pass mark (percent)"), null=True, blank=True
    )
    global_pass = models.PositiveSmallIntegerField(
        _("global evaluation pass mark (mean rating)"), null=True, blank=True
    )
    attendance_pass = models.PositiveSmallIntegerField(
        _("attendance pass mark (percent)"), null=True, blank=True
    )
    caselog_pass = models.PositiveSmallIntegerField(
        _("case-log completion pass mark (percent)"), null=True, blank=True
    )
    summary_required = models.BooleanField(_("rotation summary required"), default=True)
    signoff_required = models.BooleanField(_("department head's sign-off required"), default=True)
    # The engine's forms: the teacher's global evaluation of the resident (a named template,
    # "tutor evaluates the trainee"), and the residents' anonymous evaluations of the
    # department ("trainee evaluates the host") and of their teachers ("trainee evaluates
    # each tutor").
    global_template = models.ForeignKey(
        "evaluations.EvaluationTemplate",
        verbose_name=_("global evaluation form"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_template = models.ForeignKey(
        "evaluations.EvaluationTemplate",
        verbose_name=_("form for evaluating the department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    teacher_template = models.ForeignKey(
        "evaluations.EvaluationTemplate",
        verbose_name=_("form for evaluating the teachers"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assessment plan")
        verbose_name_plural = _("assessment plans")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "department"],
                condition=Q(department__isnull=False),
                name="assessment_plan_once",
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(department__isnull=True),
                name="assessment_plan_default_once",
            ),
            models.CheckConstraint(
                condition=Q(theory_pass__isnull=True) | Q(theory_pass__lte=100),
                name="assessment_plan_theory_range",
            ),
            models.CheckConstraint(
                condition=Q(skills_pass__isnull=True) | Q(skills_pass__lte=100),
                name="assessment_plan_skills_range",
            ),
            models.CheckConstraint(
                condition=Q(attendance_pass__isnull=True) | Q(attendance_pass__lte=100),
                name="assessment_plan_attendance_range",
            ),
            models.CheckConstraint(
                condition=Q(caselog_pass__isnull=True) | Q(caselog_pass__lte=100),
                name="assessment_plan_caselog_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.department or _('every department')}"

    def pass_marks(self) -> dict[str, int | None]:
        """{component: pass mark (None when it passes by being done)} of the components the
        plan includes."""
        marks: dict[str, int | None] = {}
        for kind, mark in (
            (ComponentKind.THEORY, self.theory_pass),
            (ComponentKind.SKILLS, self.skills_pass),
            (ComponentKind.GLOBAL, self.global_pass),
            (ComponentKind.ATTENDANCE, self.attendance_pass),
            (ComponentKind.CASELOG, self.caselog_pass),
        ):
            if mark is not None:
                marks[kind.value] = mark
        if self.summary_required:
            marks[ComponentKind.SUMMARY.value] = None
        if self.signoff_required:
            marks[ComponentKind.SIGNOFF.value] = None
        return marks


class AssessmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment", "Open")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    # The stint is no longer in the published schedule (a re-solve moved it).
    CANCELLED = "cancelled", _("Cancelled")


class Assessment(models.Model):
    """The rotation-end assessment of one stint."""

    member = models.ForeignKey(
        "residency.CohortMember", on_delete=models.PROTECT, related_name="assessments"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="rotation_assessments",
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("rotation starts"))
    end = models.DateField(_("rotation ends"))
    due_on = models.DateField(_("due on"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The round of the engine in which the residents leaving the department on the same day
    # evaluate it and their teachers, and the teacher gives the global evaluation.
    eval_round = models.ForeignKey(
        "evaluations.EvaluationRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    global_pair = models.ForeignKey(
        "evaluations.EvaluationPair",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("rotation-end assessment")
        verbose_name_plural = _("rotation-end assessments")
        ordering = ["-end", "resident__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "department", "start"],
                condition=~Q(status="cancelled"),
                name="assessment_one_per_stint",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="assessment_dates"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="assessment_decided_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.resident} — {self.department}"


class Component(models.Model):
    """One component of one assessment: its pass mark (copied from the plan), the result."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("component"), max_length=12, choices=ComponentKind.choices)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), null=True, blank=True)
    # A score (0–100; the mean rating for the global evaluation), None until recorded.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    # Skills: [{"name": "…", "score": 8, "max": 10}]
    stations = models.JSONField(_("stations"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment component")
        verbose_name_plural = _("assessment components")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind"], name="assessment_component_once"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="assessment_component_score_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_recorded(self) -> bool:
        return self.passed is not None


class RemediationKind(models.TextChoices):
    REEXAM = "reexam", _("Re-examination")
    REPEAT = "repeat", _("Repeat rotation")


class RemediationStatus(models.TextChoices):
    OPEN = "open", _("To decide")
    PLANNED = "planned", pgettext_lazy("remediation", "Planned")
    DONE = "done", _("Done")


class Remediation(models.Model):
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="remediation"
    )
    kind = models.CharField(_("remedy"), max_length=8, choices=RemediationKind.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=RemediationStatus.choices,
        default=RemediationStatus.OPEN,
    )
    # A repeat rotation: the block pinned in the cohort's open proposal for the next solve.
    proposal = models.ForeignKey(
        "residency.ScheduleProposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    block = models.PositiveSmallIntegerField(_("block"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("remediation")
        verbose_name_plural = _("remediations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(kind=""), name="assessment_remediation_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.get_kind_display() or self.get_status_display()}"


# --------------------------------------------------------------------------- WBAs


class WbaKind(models.TextChoices):
    MINI_CEX = "mini_cex", _("Mini-CEX (clinical evaluation exercise)")
    DOPS = "dops", _("DOPS (direct observation of procedural skills)")
    CBD = "cbd", _("Case-based discussion")
    PROGRAM = "program", _("Form of the program")


class WbaForm(models.Model):
    """A WBA form: domains rated on one scale. The standard forms have no program; a program
    defines forms of its own. `domains`: [{"code": "history", "name": "…", "name_zh": "…"}]."""

    kind = models.CharField(_("kind"), max_length=8, choices=WbaKind.choices)
    program = models.ForeignKey(
        "residency.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=160)
    name_zh = models.CharField(_("name in Chinese"), max_length=160, blank=True)
    domains = models.JSONField(_("domains"), default=list)
    scale_min = models.PositiveSmallIntegerField(_("lowest rating"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest rating"), default=9)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("WBA form")
        verbose_name_plural = _("WBA forms")
        ordering = ["program_id", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="assessment_wba_scale"
            ),
            models.CheckConstraint(
                condition=Q(kind="program", program__isnull=False)
                | (~Q(kind="program") & Q(program__isnull=True)),
                name="assessment_wba_form_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.name_zh)

    def domain_labels(self) -> list[tuple[str, str]]:
        return [(d["code"], bilingual(d["name"], d.get("name_zh", ""))) for d in self.domains]


class WbaRequirement(models.Model):
    """How many confirmed WBAs of a form a resident of the program needs per rotation (in one
    department, or with no department in each)."""

    program = models.ForeignKey(
        "residency.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    form = models.ForeignKey(WbaForm, verbose_name=_("assessment form"), on_delete=models.CASCADE)
    count = models.PositiveSmallIntegerField(_("at least"))

    class Meta:
        verbose_name = _("WBA requirement")
        verbose_name_plural = _("WBA requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "department", "form"], name="assessment_wba_requirement_once"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="assessment_wba_count"),
        ]

    def __str__(self) -> str:
        return f"{self.form}: {self.count}"


class WbaStatus(models.TextChoices):
    AWAITING = "awaiting", _("Waiting for the teacher")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined by the teacher")


class ConfirmedBy(models.TextChoices):
    ACCOUNT = "account", _("On the teacher's account")
    CODE = "code", _("With the teacher's one-time code")


class Wba(models.Model):
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="wbas",
    )
    member = models.ForeignKey("residency.CohortMember", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form = models.ForeignKey(WbaForm, verbose_name=_("assessment form"), on_delete=models.PROTECT)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    case = models.CharField(_("case or procedure"), max_length=200)
    ratings = models.JSONField(_("ratings"), default=dict)
    feedback = models.TextField(_("feedback"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WbaStatus.choices, default=WbaStatus.AWAITING
    )
    confirmed_by = models.CharField(
        _("confirmed"), max_length=8, choices=ConfirmedBy.choices, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Wrong codes typed for this WBA: after MAX_CODE_TRIES only the teacher's account confirms.
    code_failures = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("workplace-based assessment")
        verbose_name_plural = _("workplace-based assessments")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="confirmed", confirmed_at__isnull=False) & ~Q(confirmed_by="")
                | (~Q(status="confirmed") & Q(confirmed_at__isnull=True)),
                name="assessment_wba_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(teacher=models.F("resident")), name="assessment_wba_not_self"
            ),
        ]
        indexes = [models.Index(fields=["resident", "department", "status"])]

    def __str__(self) -> str:
        return f"{self.form} — {self.resident}"


class WbaCode(models.Model):
    """A one-time code a teacher's account issued: its keyed hash, when it expires, when it was
    used and for which WBA. The code itself is shown once and never stored."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wba = models.OneToOneField(
        Wba, null=True, blank=True, on_delete=models.SET_NULL, related_name="code"
    )

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(wba__isnull=False),
                name="assessment_code_used_for_wba",
            ),
        ]
        indexes = [models.Index(fields=["teacher", "code_hash"])]

    def __str__(self) -> str:
        return str(_("one-time code"))


# Annual assessments and completion (decision 112) live in their own module.
from tandem.assessments.models_completion import (  # noqa: E402, F401
    AnnualAssessment,
    AnnualPlan,
    AnnualStatus,
    CompletionOutcome,
    CompletionResult,
    CompletionRule,
)
