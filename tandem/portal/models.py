"""Annual reports: a PDF per institution or for the consortium, built by a background task with
its progress kept here, stored and downloadable later (decision 116)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be built")


def report_file_path(report: "AnnualReport", filename: str) -> str:
    return f"reports/{report.year}/{report.pk or 'new'}-{filename}"


class AnnualReport(models.Model):
    # Empty: the consortium's report.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    steps_total = models.PositiveSmallIntegerField(default=0)
    steps_done = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=report_file_path, blank=True)
    error = models.TextField(_("what went wrong"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(steps_done__lte=models.F("steps_total")),
                name="annual_report_steps_within_total",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file=""),
                name="annual_report_done_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        scope = str(self.institution) if self.institution_id else str(_("Consortium"))
        return f"{scope} {self.year}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return self.steps_done * 100 // self.steps_total if self.steps_total else 0
