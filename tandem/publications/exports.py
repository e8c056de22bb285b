"""Excel workbook of the publications list, headers in the reader's language."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.spreadsheets import workbook
from tandem.publications.models import Publication


def publications_workbook(publications: Iterable[Publication]) -> bytes:
    header = [
        _("Title"),
        _("Journal"),
        _("Year"),
        _("Volume"),
        _("Issue"),
        _("Page range"),
        _("DOI"),
        _("Authors"),
        _("Corresponding author(s)"),
        _("Trainee"),
        _("Home"),
        _("Host"),
        _("Submitted on"),
        _("Authorship policy"),
        _("Waived by"),
        _("Waiver reason"),
        _("Confirmations"),
    ]

    def rows() -> Iterable[list[Any]]:
        for p in publications:
            authors = list(p.authors.all())
            yield [
                p.title,
                p.journal,
                p.year,
                p.volume,
                p.issue,
                p.pages,
                p.doi,
                "; ".join(a.name for a in authors),
                "; ".join(a.name for a in authors if a.is_corresponding),
                str(p.cultivation.trainee),
                str(p.cultivation.home),
                str(p.cultivation.host),
                p.submitted_on,
                p.get_policy_status_display(),
                "; ".join(str(u) for u in (p.waiver_home_by, p.waiver_host_by) if u),
                p.waiver_reason,
                len(p.confirmations.all()),
            ]

    return workbook(_("Publications"), header, rows())
