"""Annual reports: asked for by a person, built by a background task (decision 116)."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.portal import annual, benchmarks, permissions
from tandem.portal.models import AnnualReport, ReportStatus

FIRST_YEAR = 1990


def annual_report_request(
    *, actor: Any, institution: Any | None, year: int, language: str
) -> AnnualReport:
    """Queue the report of `institution` (None: the consortium) for `year`, in `language`."""
    if not permissions.can_request_annual_report(actor, institution):
        raise PermissionDenied(_("You may ask for the consortium's report and your institution's."))
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise field_error(
            "year",
            _("Choose a year from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": this_year},
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise field_error("language", _("Choose English or Simplified Chinese."))
    from tandem.portal.tasks import annual_report_build_task  # the task calls back here

    with transaction.atomic():
        report = AnnualReport.objects.create(
            institution=institution,
            year=year,
            language=language,
            requested_by=actor,
            steps_total=len(benchmarks.INDICATORS) + 1,
        )
        audit_record(actor=actor, action="annual_report.requested", target=report)
        transaction.on_commit(lambda: annual_report_build_task.enqueue(report.pk))
    return report


def _progress(report: AnnualReport, **fields: Any) -> None:
    """Write progress at once (autocommit), so the progress page sees it while the task works."""
    for name, value in fields.items():
        setattr(report, name, value)
    AnnualReport.objects.filter(pk=report.pk).update(**fields)


def annual_report_build(*, report_id: int, today: datetime.date | None = None) -> AnnualReport:
    """Build the PDF of a queued report: a step per indicator, then the document. A failure is
    recorded on the report (nothing half-made is kept); a report already built is left alone."""
    report = AnnualReport.objects.select_related("institution").get(pk=report_id)
    if report.status != ReportStatus.QUEUED:
        return report  # a task run twice builds once
    _progress(report, status=ReportStatus.RUNNING, started_at=timezone.now(), steps_done=0)
    try:
        with translation.override(report.language):
            parts = annual.sections(
                report.year,
                report.institution_id,
                today or timezone.localdate(),
                step=lambda: _progress(report, steps_done=report.steps_done + 1),
            )
            content = annual.render_pdf(
                {"report": report, "sections": parts, "made_at": timezone.now()},
                report.language,
            )
    except Exception as error:  # noqa: BLE001 — recorded for the person waiting, then re-raised
        _progress(
            report, status=ReportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    scope = report.institution.code if report.institution is not None else "consortium"
    report.file.save(
        f"annual-{scope}-{report.year}-{report.language}.pdf", ContentFile(content), save=False
    )
    _progress(
        report,
        file=report.file.name,
        status=ReportStatus.DONE,
        steps_done=report.steps_total,
        finished_at=timezone.now(),
    )
    return report
