"""Exchange visits between hospitals (交流访问): a host and a visiting institution meet on set
days; the visiting side sends a delegation; both sides present (infrastructure, training
management, teacher development, quality assurance, support measures); the teaching and
management people of each professional base discuss their practice in one session per base,
with minutes; the practices each side shared go into a consortium-wide library; and the areas
for improvement become actions, owned by a person of either side, followed up until the host's
training office accepts them and reviewed at the next visit between the same two institutions.

Who reads which part is written in docs/decisions/109-exchange-visits.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import Specialty


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class PresentationTopic(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    TRAINING_MANAGEMENT = "training_management", _("Training management")
    TEACHER_DEVELOPMENT = "teacher_development", _("Teacher development")
    QUALITY_ASSURANCE = "quality_assurance", _("Quality assurance")
    SUPPORT_MEASURES = "support_measures", _("Support measures")
    OTHER = "other", _("Other")


class SessionTopic(models.TextChoices):
    ROTATION_MANAGEMENT = "rotation_management", _("Rotation management")
    ASSESSMENT = "assessment_evaluation", _("Assessment and evaluation")
    TEACHING_METHODS = "teaching_methods", _("Teaching methods")
    OTHER = "other", _("Other")


# The practice library is searched by either kind of topic: a practice presented to the whole
# meeting (training management) or shared in a base's discussion (rotation management).
PRACTICE_TOPICS = [
    *[(value, label) for value, label in PresentationTopic.choices if value != "other"],
    *SessionTopic.choices,
]


class DelegateRole(models.TextChoices):
    LEADER = "leader", _("Head of the delegation")
    BASE_DIRECTOR = "base_director", _("Base director")
    TEACHER = "teacher", _("Teacher")
    COORDINATOR = "coordinator", _("Training coordinator")
    SECRETARY = "secretary", _("Teaching secretary")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("visit action", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")


class Visit(models.Model):
    host = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="visits_hosted",
    )
    visiting = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("visiting institution"),
        on_delete=models.PROTECT,
        related_name="visits_made",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    # Each side's own notes (preparation, what to ask, impressions): never shown to the other.
    host_notes = models.TextField(_("the host's internal notes"), blank=True)
    visiting_notes = models.TextField(_("the visiting side's internal notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("exchange visit")
        verbose_name_plural = _("exchange visits")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["host", "visiting", "starts_on"], name="visits_pair")]
        constraints = [
            models.CheckConstraint(condition=~Q(host=F("visiting")), name="visits_two_sides"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="visits_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        if self.title_zh and (get_language() or "").startswith("zh"):
            return self.title_zh
        return self.title

    @property
    def side_ids(self) -> tuple[int, int]:
        return (self.host_id, self.visiting_id)


class AgendaItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="agenda")
    topic = models.CharField(_("topic"), max_length=32, choices=PresentationTopic.choices)
    title = models.CharField(_("title"), max_length=200)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("presented by (institution)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["visit", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Delegate(models.Model):
    """A person taking part for one side: the visiting side's delegation, or the host's people."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="visit_delegations",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=16, choices=DelegateRole.choices)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["visit", "institution_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="visits_delegate_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Session(models.Model):
    """The discussion of one professional base: the host's base and, when the visiting side
    has one of the same specialty, the visiting side's."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="sessions")
    specialty = models.CharField(_("specialty"), max_length=32, choices=Specialty.choices)
    host_base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("the host's base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visiting_base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("the visiting side's base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    other_topic = models.CharField(_("other topic"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        blank=True,
        through="SessionParticipant",
        related_name="visit_sessions",
    )

    class Meta:
        verbose_name = _("discussion session")
        verbose_name_plural = _("discussion sessions")
        ordering = ["visit", "specialty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "specialty"], name="visits_session_once"),
            models.CheckConstraint(
                condition=Q(host_base__isnull=False) | Q(visiting_base__isnull=False),
                name="visits_session_has_a_base",
            ),
        ]

    def __str__(self) -> str:
        return str(Specialty(self.specialty).label) if self.specialty else ""

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(SessionTopic.choices)
        words = [str(labels[t]) for t in self.topics if t in labels and t != "other"]
        if self.other_topic:
            words.append(self.other_topic)
        return words


class SessionParticipant(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="visits_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Practice(models.Model):
    """A practice one side shared: in the library for the whole consortium."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="practices")
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("shared by (institution)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialty = models.CharField(
        _("specialty"), max_length=32, choices=Specialty.choices, blank=True
    )
    topic = models.CharField(_("topic"), max_length=32, choices=PRACTICE_TOPICS)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    summary_zh = models.TextField(_("summary in Chinese"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shared practice")
        verbose_name_plural = _("shared practices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["specialty", "topic"], name="visits_practice_find")]

    def __str__(self) -> str:
        if self.title_zh and (get_language() or "").startswith("zh"):
            return self.title_zh
        return self.title


class Action(models.Model):
    """An improvement one side committed to, with a person who owns it and a deadline."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(
        Session,
        verbose_name=_("discussion session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("owning institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="visit_actions",
    )
    title = models.CharField(_("action"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    progress_note = models.TextField(_("progress"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="visits_action_due"),
            models.Index(fields=["owner", "status"], name="visits_action_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_by__isnull=False),
                name="visits_action_accepted_by",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == ActionStatus.ACCEPTED

    @property
    def is_overdue(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and (
            self.deadline < timezone.localdate()
        )
