"""The workload of a base's teachers in Excel, headers in the reader's language."""

from typing import Any

from django.utils.translation import gettext as _

from tandem.core.spreadsheets import workbook
from tandem.institutions.models import Unit


def workload_workbook(base: Unit, year: int, rows: list[dict[str, Any]]) -> bytes:
    header = [
        _("Teacher"),
        _("Professional title"),
        _("Tier"),
        _("Certificate expires on"),
        _("Activities given"),
        _("Residents supervised"),
        _("WBAs confirmed"),
        _("Log entries verified"),
        _("Evaluation responses"),
        _("Evaluation mean"),
    ]
    body = []
    for row in rows:
        profile, load = row["profile"], row["load"]
        body.append(
            [
                profile.teacher.full_name or profile.teacher.username,
                str(profile.get_title_display()),
                str(profile.get_tier_display()),
                profile.certificate_expires_on,
                load.activities,
                load.residents,
                load.wbas,
                load.verifications,
                load.evaluation_responses or None,
                load.evaluation_mean,
            ]
        )
    return workbook(f"{year}", header, body)
