"""Annual reports for the fixed cast, written straight to the table (for the matrix)."""

from django.core.files.base import ContentFile

from tandem.portal.models import AnnualReport, ReportStatus


def cast_report(cast, *, institution=None) -> AnnualReport:
    """A built report of `institution` (default A) asked for by A's coordinator."""
    report = AnnualReport(
        institution=institution or cast.inst_a,
        year=2025,
        language="en",
        requested_by=cast.coord_a,
        status=ReportStatus.DONE,
        steps_total=1,
        steps_done=1,
    )
    report.file.save("annual.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.save()
    return report
