"""Feedback items a trainee raises and follows until they confirm them closed, and seminars for
groups of joint trainees.

An anonymous item keeps no trace of its raiser on the item: the raiser's account holds a
sealed reference to it in `AnonymousFollow` (decision 083), which no handler page, API
operation, export or admin page reads.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    TUTORING = "tutoring", _("Tutoring")
    TEACHING = "teaching", _("Courses and teaching")
    RESOURCES = "resources", _("Research resources and instruments")
    FUNDS = "funds", _("Funds")
    HOUSING = "housing", _("Living conditions and housing")
    HEALTH = "health", _("Health and wellbeing")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    HOME = "home", _("Home institution")
    HOST = "host", _("Host institution")


class HandlerRole(models.TextChoices):
    """The roles a category can be routed to (members of `accounts.Role`)."""

    COORDINATOR = "coordinator", _("Institution coordinator")
    BASE_DIRECTOR = "base_director", _("Training-base director")
    TUTOR = "tutor", _("Tutor")


class ItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("feedback", "Open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("feedback", "Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", pgettext_lazy("feedback", "Resolved")
    CLOSED = "closed", _("Confirmed closed")


# The default routing: where each category goes and how many days the handlers have to
# acknowledge and to resolve it. An agreement overrides a category with a `Routing` row.
DEFAULT_ROUTING: dict[str, tuple[str, str, int, int]] = {
    Category.TUTORING: (Side.HOME, HandlerRole.COORDINATOR, 3, 30),
    Category.TEACHING: (Side.HOME, HandlerRole.COORDINATOR, 5, 30),
    Category.RESOURCES: (Side.HOST, HandlerRole.COORDINATOR, 3, 14),
    Category.FUNDS: (Side.HOME, HandlerRole.COORDINATOR, 5, 30),
    Category.HOUSING: (Side.HOST, HandlerRole.COORDINATOR, 2, 14),
    Category.HEALTH: (Side.HOST, HandlerRole.COORDINATOR, 1, 7),
    Category.OTHER: (Side.HOME, HandlerRole.COORDINATOR, 5, 30),
}

# An item still overdue this many days after its deadline goes up to the consortium admins.
ESCALATE_TO_ADMIN_AFTER_DAYS = 7


class Routing(models.Model):
    """An agreement's own routing of one category, replacing `DEFAULT_ROUTING` for it."""

    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="feedback_routings",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    side = models.CharField(_("routed to"), max_length=8, choices=Side.choices)
    handler_role = models.CharField(
        _("responsible role"), max_length=16, choices=HandlerRole.choices
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("days to acknowledge"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("days to resolve"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("feedback routing")
        verbose_name_plural = _("feedback routings")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "category"], name="feedback_routing_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_days__gte=1, resolve_days__gte=1),
                name="feedback_routing_positive_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.get_category_display()}"


class SeminarStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("seminar", "Cancelled")


class Seminar(models.Model):
    """A seminar for a group of joint trainees: those of an agreement, optionally only those at
    one host site and of one cohort."""

    title = models.CharField(_("title"), max_length=200)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="seminars",
    )
    host_site = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("host site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cohort = models.PositiveSmallIntegerField(
        _("cohort"), null=True, blank=True, validators=[MinValueValidator(1990)]
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SeminarStatus.choices, default=SeminarStatus.SCHEDULED
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="", online_url=""), name="seminar_has_place_or_link"
            ),
        ]
        indexes = [models.Index(fields=["agreement", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Invitation(models.Model):
    """A person invited to a seminar, with the site they attend from and their attendance."""

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("seminar")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="seminar_invitations",
    )
    site = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )

    class Meta:
        verbose_name = _("seminar invitation")
        verbose_name_plural = _("seminar invitations")
        constraints = [
            models.UniqueConstraint(fields=["seminar", "person"], name="seminar_invite_once")
        ]

    def __str__(self) -> str:
        return f"{self.seminar} · {self.person}"


class FeedbackItem(models.Model):
    """A problem a trainee raised. `raised_by` is empty for an anonymous item: its raiser is
    reachable only from their own account (`AnonymousFollow`)."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("routed to"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    handler_role = models.CharField(
        _("responsible role"), max_length=16, choices=HandlerRole.choices
    )
    seminar = models.ForeignKey(
        Seminar,
        verbose_name=_("raised at seminar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    # The day (not the minute) it was raised: a time to the minute would let a handler match
    # an anonymous item against who was signed in then.
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    acknowledge_due = models.DateField(_("acknowledge by"))
    resolve_due = models.DateField(_("resolve by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("confirmed closed at"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Whole days, kept when the step is taken, so the statistics average them in the database.
    days_to_acknowledge = models.PositiveIntegerField(null=True, blank=True, editable=False)
    days_to_close = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False, raised_by__isnull=False)
                | Q(is_anonymous=True, raised_by__isnull=True),
                name="feedback_item_anonymous_has_no_raiser",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="feedback_item_resolved_says_what_was_done",
            ),
        ]
        indexes = [models.Index(fields=["institution", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class AnonymousFollow(models.Model):
    """The raiser's side of an anonymous item: who may follow it, with the item's id sealed
    under the site's secret key (see `tandem.feedback.sealing`). No foreign key to the item,
    no time, and a random primary key, so neither a join nor the order of rows links the two.
    Never registered in the admin, never read by a handler's selector."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)
    sealed = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("anonymous follow")
        verbose_name_plural = _("anonymous follows")
        constraints = [models.UniqueConstraint(fields=["nonce"], name="anonymous_follow_nonce")]

    def __str__(self) -> str:
        return str(self.id)
