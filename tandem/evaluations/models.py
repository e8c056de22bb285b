"""Evaluation templates, rounds, the pairs that track completion, and the answers.

The pairs (who evaluates whom, submitted or not) and the answers are two separate worlds for an
anonymous template: an anonymous `EvaluationResponse` carries the round, the template version and
the target, never the pair or the evaluator, and has a random primary key so that neither its id
nor its answers' ids reveal the order of submission (decision 082).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _bilingual(english: str, chinese: str) -> str:
    if chinese and (get_language() or "").startswith("zh"):
        return chinese
    return english


class Relationship(models.TextChoices):
    """Who evaluates whom. The residency reuses the engine with kinds of its own."""

    TRAINEE_TUTOR = "trainee_tutor", _("Trainee evaluates each tutor")
    TUTOR_TRAINEE = "tutor_trainee", _("Tutor evaluates the trainee")
    TRAINEE_HOST = "trainee_host", _("Trainee evaluates the host institution")
    SELF = "self", _("Self-evaluation")
    PEER = "peer", _("Peer evaluation")
    # An expert of the running institution (the evaluator role), e.g. a mid-term review panel
    # member, evaluates each trainee of the population (decision 094).
    EVALUATOR_TRAINEE = "evaluator_trainee", _("Assigned evaluator evaluates the trainee")


class ItemKind(models.TextChoices):
    RATING = "rating", _("Rating scale")
    ENTRUSTMENT = "entrustment", _("Entrustment (EPA) scale")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Choice")
    NARRATIVE = "narrative", _("Narrative")


# Item kinds whose answers are numbers (means and distributions), and those that are text.
NUMERIC_KINDS = (ItemKind.RATING, ItemKind.ENTRUSTMENT, ItemKind.YES_NO)


class EvaluationTemplate(models.Model):
    """One version of a form. `family` ties the versions of one form together; only the current
    version is offered for new rounds, and a version that has answers is never edited."""

    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    instructions_zh = models.TextField(_("instructions in Chinese"), blank=True)
    relationship = models.CharField(_("relationship"), max_length=32, choices=Relationship.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # None: a consortium-wide template (the consortium admin keeps it).
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A retired family is no longer offered for new rounds; its rounds keep it (decision 087).
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="evaluation_family_version"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="evaluation_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{_bilingual(self.title, self.title_zh)} (v{self.version})"

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_zh)


class TemplateSection(models.Model):
    template = models.ForeignKey(
        EvaluationTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("section"), max_length=200)
    title_zh = models.CharField(_("section in Chinese"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return _bilingual(self.title, self.title_zh)


class TemplateItem(models.Model):
    """One question. `options`: the labelled anchors of a rating or entrustment scale and the
    choices of a choice item, `[{"value": 1, "label": "Poor", "label_zh": "差"}, …]`."""

    template = models.ForeignKey(EvaluationTemplate, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    # An optional short name, unique in its version, that stays the same across versions.
    code = models.CharField(_("code"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    prompt = models.CharField(_("question"), max_length=500)
    prompt_zh = models.CharField(_("question in Chinese"), max_length=500, blank=True)
    options = models.JSONField(_("anchors or choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    allows_not_observed = models.BooleanField(_("“not observed” allowed"), default=False)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"],
                condition=~Q(code=""),
                name="evaluation_item_code_unique",
            )
        ]

    def __str__(self) -> str:
        return _bilingual(self.prompt, self.prompt_zh)

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.kind == ItemKind.YES_NO:
            return [("1", str(_("Yes"))), ("0", str(_("No")))]
        return [
            (str(option["value"]), _bilingual(option.get("label", ""), option.get("label_zh", "")))
            for option in self.options
        ]


class PopulationKind(models.TextChoices):
    AGREEMENT = "agreement", _("An agreement's joint trainees")
    INSTITUTION = "institution", _("An institution's joint trainees")
    COHORT = "cohort", _("A cohort of an institution's joint trainees")
    CONSORTIUM = "consortium", _("Every joint trainee of the consortium")


class EvaluationRound(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    # The institution whose coordinators run the round.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    population = models.CharField(_("population"), max_length=16, choices=PopulationKind.choices)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cohort = models.PositiveSmallIntegerField(_("cohort"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    released_at = models.DateTimeField(_("results released"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="evaluation_round_dates"
            ),
        ]

    def __str__(self) -> str:
        return _bilingual(self.title, self.title_zh)


class RoundTemplate(models.Model):
    """The template version a round uses for one relationship."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="round_templates"
    )
    relationship = models.CharField(max_length=32, choices=Relationship.choices)
    template = models.ForeignKey(EvaluationTemplate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "relationship"], name="evaluation_one_template_per_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()}: {self.template}"


class PairStatus(models.TextChoices):
    PENDING = "pending", _("To do")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EvaluationPair(models.Model):
    """Completion tracking: one evaluator owes one evaluation of one target in a round. A target
    is a person or an institution. For an anonymous template this row says *that* the evaluator
    submitted and when, never *what* (decision 082)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="pairs")
    relationship = models.CharField(_("relationship"), max_length=32, choices=Relationship.choices)
    template = models.ForeignKey(EvaluationTemplate, on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluation_pairs",
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person evaluated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution evaluated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The evaluator's institution in this population, for completion per institution.
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("evaluation to do")
        verbose_name_plural = _("evaluations to do")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_user__isnull=False, target_institution__isnull=True)
                | Q(target_user__isnull=True, target_institution__isnull=False),
                name="evaluation_pair_one_target",
            ),
            models.UniqueConstraint(
                fields=["round", "relationship", "evaluator", "target_user"],
                condition=Q(target_user__isnull=False) & ~Q(status="withdrawn"),
                name="evaluation_pair_unique_person",
            ),
            models.UniqueConstraint(
                fields=["round", "relationship", "evaluator", "target_institution"],
                condition=Q(target_institution__isnull=False) & ~Q(status="withdrawn"),
                name="evaluation_pair_unique_institution",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False)
                | (~Q(status="submitted") & Q(submitted_at__isnull=True)),
                name="evaluation_pair_submitted_at",
            ),
        ]
        indexes = [
            models.Index(fields=["evaluator", "status"]),
            models.Index(fields=["round", "status"]),
        ]

    def __str__(self) -> str:
        target = self.target_user or self.target_institution
        return f"{self.evaluator} → {target}"

    @property
    def target(self) -> object:
        return self.target_user or self.target_institution


class EvaluationDraft(models.Model):
    """A half-filled form, kept until the evaluator submits it; deleted in the submitting
    transaction, so nothing ties an anonymous answer to its author afterwards."""

    pair = models.OneToOneField(EvaluationPair, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(_("draft"))


class EvaluationResponse(models.Model):
    """A submitted evaluation. Anonymous: no evaluator, no pair, no time; a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="responses")
    template = models.ForeignKey(EvaluationTemplate, on_delete=models.PROTECT, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Named templates only (a database constraint keeps them empty for anonymous ones).
    is_anonymous = models.BooleanField(default=False)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pair = models.OneToOneField(
        EvaluationPair, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | Q(evaluator__isnull=True, pair__isnull=True, submitted_at__isnull=True),
                name="evaluation_anonymous_has_no_author",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "template", "target_user"]),
            models.Index(fields=["round", "template", "target_institution"]),
        ]

    def __str__(self) -> str:
        return str(_("evaluation response"))


class EvaluationAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    not_observed = models.BooleanField(default=False)
    # A reviewer hides an abusive comment with a reason (audited on the round).
    hidden_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="evaluation_answer_once")
        ]
        indexes = [models.Index(fields=["item", "number"])]

    def __str__(self) -> str:
        return str(pgettext_lazy("evaluation", "answer"))
