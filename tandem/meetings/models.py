"""Progress debriefings: recurring meeting series, their meetings, the trainees' progress
reports, the tutors' comments, attendance and action items; the mentoring log; calendar feeds.

A series is stored as its rule (first date, time of day in the series' time zone, an interval in
weeks, an end date); its meetings are materialized rows, one per occurrence, so that reports,
attendance and action items have something to hang on and a cancelled occurrence is a status.

Each meeting keeps its own title, place and time zone: editing a series changes its future
meetings only, so a past meeting (and its minutes) still says where and when it took place.
`sequence` counts the changes calendar programs must pick up (iCalendar SEQUENCE).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingMode(models.TextChoices):
    ONSITE = "onsite", _("At a site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (site and online)")


class MeetingSeries(models.Model):
    title = models.CharField(_("title"), max_length=200)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("organizing institution"),
        on_delete=models.PROTECT,
        related_name="meeting_series",
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_meeting_series",
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    first_date = models.DateField(_("first meeting on"))
    start_time = models.TimeField(_("starts at (local time)"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    until = models.DateField(_("until"))
    mode = models.CharField(
        _("mode"), max_length=16, choices=MeetingMode.choices, default=MeetingMode.ONSITE
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why the series ended"), blank=True)

    class Meta:
        verbose_name = _("debriefing series")
        verbose_name_plural = _("debriefing series")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=models.F("first_date")), name="meeting_series_period"
            ),
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=8),
                name="meeting_series_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def current_participants(self) -> list["SeriesParticipant"]:
        """The people invited now (uses prefetched participants when present)."""
        return [p for p in self.participants.all() if p.removed_at is None]

    @property
    def former_participants(self) -> list["SeriesParticipant"]:
        return [p for p in self.participants.all() if p.removed_at is not None]


class ParticipantRole(models.TextChoices):
    TUTOR = "tutor", _("Tutor")
    TRAINEE = "trainee", _("Trainee")


class SeriesParticipant(models.Model):
    """A person invited to every meeting of a series."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    # The trainee's joint cultivation when they were invited (whose tutors are responsible).
    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Taken off the series: no longer invited to the meetings from then on; the row stays so
    # that their past reports and attendance keep their context.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["series", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="series_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def is_invited_to(self, meeting: "Meeting") -> bool:
        return self.removed_at is None or self.removed_at > meeting.starts_at


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One occurrence of a series."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    notes = models.TextField(_("notes for the minutes"), blank=True)
    # What this occurrence is: copied from the series when scheduled, changed with the series
    # only while the meeting is still ahead.
    title = models.CharField(_("title"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=MeetingMode.choices, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    # Cancelled because the series' end date moved earlier: moving it later again brings the
    # meeting back, unlike a meeting cancelled on its own.
    cancelled_with_series = models.BooleanField(default=False, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_once_per_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_positive"
            ),
        ]
        indexes = [models.Index(fields=["series", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class ProgressReport(models.Model):
    """A trainee's report before a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    experimental_progress = models.TextField(_("experimental progress"))
    dissertation_progress = models.TextField(_("dissertation progress"))
    problems = models.TextField(_("current problems"), blank=True)
    next_steps = models.TextField(_("next steps"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["meeting", "trainee__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "trainee"], name="report_once_per_meeting")
        ]
        # "Latest report per trainee" (the early warning for the whole consortium, the tutor
        # workspace for a tutor's trainees) reads the first entry of this index per trainee,
        # in the order the selectors ask for (newest first, ties by id): no sort.
        indexes = [
            models.Index(
                fields=["trainee", "-submitted_at", "-id"], name="report_latest_per_trainee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.meeting}"


def report_file_path(instance: "ReportAttachment", filename: str) -> str:
    return f"meetings/reports/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=report_file_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReportComment(models.Model):
    """One tutor's comment on one report (each tutor writes their own)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        on_delete=models.PROTECT,
        related_name="report_comments",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "tutor"], name="comment_once_per_tutor")
        ]

    def __str__(self) -> str:
        return f"{self.tutor}: {self.body[:40]}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    # Where the person joined from (either site of a joint cultivation); empty when online.
    site = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("joined from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    CLOSED = "closed", _("Closed")


class ActionItem(models.Model):
    """Something someone will do. Open items appear on the agenda of every later meeting of the
    series until they are closed: the agenda is a query, nothing is copied."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="action_items")
    raised_in = models.ForeignKey(
        Meeting,
        verbose_name=_("raised in"),
        on_delete=models.CASCADE,
        related_name="raised_actions",
    )
    title = models.CharField(_("action item"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("action item", "owner"),
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    due_date = models.DateField(_("due date"))
    # The joint cultivation concerned (the owner's, when the owner is a joint trainee).
    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_in = models.ForeignKey(
        Meeting,
        verbose_name=_("closed in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_actions",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_note = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="action_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class ContactKind(models.TextChoices):
    TUTOR_TRAINEE = "tutor_trainee", _("Tutor and trainee")
    TUTOR_TUTOR = "tutor_tutor", _("Between the two tutors")


class ContactChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    MESSAGE = "message", _("Message or e-mail")


class MentoringContact(models.Model):
    """One entry of the mentoring log of a joint cultivation."""

    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.CASCADE,
        related_name="mentoring_contacts",
    )
    kind = models.CharField(_("between"), max_length=16, choices=ContactKind.choices)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    topic = models.CharField(_("topic"), max_length=300)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("mentoring contact")
        verbose_name_plural = _("mentoring log")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["cultivation", "kind", "date"]),
            # The log of a whole institution or the consortium, newest first, page by page.
            models.Index(fields=["-date", "-id"], name="contact_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"
