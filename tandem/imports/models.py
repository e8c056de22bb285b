"""A large import file, validated and applied by a background task, and what it has done so far."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People")
    PUBLICATIONS = "publications", _("Publications")
    JOINT_RECORD = "joint_record", _("Joint record")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import status", "Queued")
    RUNNING = "running", pgettext_lazy("import status", "Running")
    DONE = "done", pgettext_lazy("import status", "Done")
    FAILED = "failed", pgettext_lazy("import status", "Failed")


class ImportPhase(models.TextChoices):
    WAITING = "", _("Waiting for a worker")
    CHECKING = "checking", _("Checking the rows")
    SAVING = "saving", _("Saving every row in one transaction")
    FINISHED = "finished", _("Finished")


def import_file_path(job: "ImportJob", filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{filename}"


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    # Coordinators of this institution follow the job too (the people it imports are theirs).
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=import_file_path)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"))
    # What the importer needs besides the file (the format of a bibliography, a cultivation).
    options = models.JSONField(default=dict, blank=True)
    # The language the starter used: errors are worded in it.
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=ImportPhase.choices, default="", blank=True
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    # [{"row": 7, "column": "email", "message": "…"}, …]; row is null for the file as a whole.
    errors = models.JSONField(default=list, blank=True)
    # What the import made: counts and the URL of the result, set by the importer.
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_total__isnull=True)
                | models.Q(rows_done__lte=models.F("rows_total")),
                name="import_job_rows_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
