"""Conduct: the regulations an institution applies, its committees, and discipline cases with
due process — the trainee's written response, a hearing, the other institution's comment, a
reasoned committee decision, an appeal to another body, and the lifting of a sanction.

Nothing here is registered in the Django admin (decision 096). The `__str__` of a case names no
one and no fact: it is what the audit trail records as the target.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


class Regulation(models.Model):
    """A regulation an institution applies to its trainees (e.g. its graduate students'
    discipline rules), with the working days it allows for a response and an appeal."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="regulations",
    )
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200)
    response_days = models.PositiveSmallIntegerField(
        _("working days for the trainee's written response"), default=5
    )
    appeal_days = models.PositiveSmallIntegerField(_("working days to lodge an appeal"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["institution", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_days__gte=1, response_days__lte=60),
                name="conduct_response_days_range",
            ),
            models.CheckConstraint(
                condition=Q(appeal_days__gte=1, appeal_days__lte=60),
                name="conduct_appeal_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title_zh if _zh() and self.title_zh else self.title


class Article(models.Model):
    """One article of a regulation; its wording lives in versions, each in force for a span."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="articles")
    number = models.CharField(_("article number"), max_length=20)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["regulation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="conduct_article_once")
        ]

    def __str__(self) -> str:
        return str(_("%(regulation)s, article %(number)s")) % {
            "regulation": self.regulation,
            "number": self.number,
        }


class ArticleVersion(models.Model):
    """The text of an article from `effective_from` until `effective_until` (inclusive, open
    when empty). A new version closes the one before it on the day before it starts."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text (English)"))
    text_zh = models.TextField(_("text (Chinese)"))
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="conduct_version_once"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="conduct_version_span_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(article)s (version %(version)s)")) % {
            "article": self.article,
            "version": self.version,
        }

    @property
    def wording(self) -> str:
        return self.text_zh if _zh() and self.text_zh else self.text

    def in_force_on(self, day: "object") -> bool:
        return self.effective_from <= day and (  # type: ignore[operator]
            self.effective_until is None or day <= self.effective_until  # type: ignore[operator]
        )


class CommitteeKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline committee")
    APPEAL = "appeal", _("Appeal body")


class Committee(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="conduct_committees",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommitteeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommitteeMember",
        related_name="conduct_committees",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["institution", "kind", "name"]

    def __str__(self) -> str:
        return self.name_zh if _zh() and self.name_zh else self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="conduct_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Level(models.TextChoices):
    """The graduated ladder, lightest first; termination ends the joint arrangement only."""

    CRITICISM = "criticism", _("Criticism (通报批评)")
    WARNING = "warning", _("Warning (警告)")
    SERIOUS_WARNING = "serious_warning", _("Serious warning (严重警告)")
    DEMERIT = "demerit", _("Demerit (记过)")
    PROBATION = "probation", _("Probation (留校察看)")
    TERMINATION = "termination", _("Termination of the joint cultivation")


LADDER: tuple[str, ...] = tuple(Level.values)
HEARING_FROM = Level.DEMERIT  # a hearing can be requested for demerit and above


def rank(level: str) -> int:
    return LADDER.index(level)


class CaseStatus(models.TextChoices):
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting the trainee's response")
    HEARING_REQUESTED = "hearing_requested", _("Hearing requested")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    DELIBERATION = "deliberation", _("In deliberation")
    DECIDED = "decided", _("Decided: appeal window open")
    UNDER_APPEAL = "under_appeal", _("Under appeal")
    IN_FORCE = "in_force", pgettext_lazy("sanction", "In force")
    LIFTED = "lifted", _("Lifted")
    ANNULLED = "annulled", _("Annulled on appeal")
    DISMISSED = "dismissed", _("Closed without sanction")


OPEN_STATUSES = (
    CaseStatus.AWAITING_RESPONSE,
    CaseStatus.HEARING_REQUESTED,
    CaseStatus.HEARING_SCHEDULED,
    CaseStatus.DELIBERATION,
)
DECIDED_STATUSES = (
    CaseStatus.DECIDED,
    CaseStatus.UNDER_APPEAL,
    CaseStatus.IN_FORCE,
    CaseStatus.LIFTED,
    CaseStatus.ANNULLED,
    CaseStatus.DISMISSED,
)


class Case(models.Model):
    """A discipline case about one joint trainee, decided under the cited article of the
    regulation of `institution` (home or host of the cultivation) by its committee."""

    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.PROTECT,
        related_name="conduct_cases",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="conduct_cases",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution whose regulation applies"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    article_version = models.ForeignKey(
        ArticleVersion,
        verbose_name=_("article cited"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("deciding committee"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    conduct_date = models.DateField(_("date of the conduct"))
    facts = models.TextField(_("facts"), max_length=8000)
    # People the facts concern besides the trainee (a complainant, a witness): recused.
    involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("others involved"),
        blank=True,
        related_name="+",
    )
    proposed_level = models.CharField(
        _("sanction considered"), max_length=16, choices=Level.choices
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.AWAITING_RESPONSE,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    response_due = models.DateField(_("written response due"))
    # The trainee's side.
    response = models.TextField(_("written response"), blank=True, max_length=8000)
    responded_at = models.DateTimeField(null=True, blank=True)
    waived_at = models.DateTimeField(_("response waived in writing"), null=True, blank=True)
    hearing_requested_at = models.DateTimeField(null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=200, blank=True)
    hearing_record = models.TextField(_("record of the hearing"), blank=True, max_length=8000)
    # The other institution's comment.
    comment = models.TextField(_("comment of the other institution"), blank=True, max_length=4000)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commented_at = models.DateTimeField(null=True, blank=True)
    # The decision.
    outcome = models.CharField(
        _("sanction decided"), max_length=16, choices=Level.choices, blank=True
    )
    reasons = models.TextField(_("written reasons"), blank=True, max_length=8000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    appeal_body = models.ForeignKey(
        Committee,
        verbose_name=_("appeal body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal_cases",
    )
    appeal_due = models.DateField(_("appeal to be lodged by"), null=True, blank=True)
    review_months = models.PositiveSmallIntegerField(_("review after (months)"), default=0)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reasons = models.TextField(_("reasons for lifting"), blank=True, max_length=4000)
    # Expulsion is the home institution's own decision: recorded, never made, here.
    home_outcome = models.TextField(
        _("outcome decided by the home institution"), blank=True, max_length=2000
    )
    home_outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["institution", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_STATUSES) | ~Q(reasons=""),
                name="conduct_decision_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(appeal_body__isnull=True) | ~Q(appeal_body=models.F("committee")),
                name="conduct_appeal_body_differs",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Discipline case %(number)s")) % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_answered(self) -> bool:
        return self.responded_at is not None or self.waived_at is not None


class Evidence(models.Model):
    """A file, or a reference to a record already in Tandem (its kind and id, checked through
    that app's selector when attached)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("what the evidence shows"), max_length=300)
    file = models.FileField(_("file"), upload_to="conduct/evidence/%Y/", blank=True)
    reference_kind = models.CharField(_("record in Tandem"), max_length=32, blank=True)
    reference_id = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return str(_("Evidence"))


class Vote(models.Model):
    """A committee member's vote on the sanction ("" = no sanction)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("vote"), max_length=16, choices=Level.choices, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="conduct_vote_once"),
        ]

    def __str__(self) -> str:
        return str(_("Vote"))


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    REDUCED = "reduced", _("Reduced")
    ANNULLED = "annulled", _("Annulled")


class Appeal(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    body = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="appeals")
    grounds = models.TextField(_("grounds of appeal"), max_length=8000)
    lodged_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(
        _("appeal decision"), max_length=16, choices=AppealOutcome.choices, blank=True
    )
    reduced_to = models.CharField(_("reduced to"), max_length=16, choices=Level.choices, blank=True)
    reasons = models.TextField(_("written reasons"), blank=True, max_length=8000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="reduced") | ~Q(reduced_to=""),
                name="conduct_reduced_names_level",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Appeal in discipline case %(number)s")) % {"number": self.case_id}
