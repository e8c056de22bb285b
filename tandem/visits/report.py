"""The visit's report as a PDF (WeasyPrint from an HTML template), in English or Chinese, and
its actions as an Excel workbook. Both show what the reader may see (selectors), never a
side's internal notes."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tandem.core.spreadsheets import workbook
from tandem.visits import selectors
from tandem.visits.models import Visit


def report_context(user: Any, visit: Visit) -> dict[str, Any]:
    return {
        "visit": visit,
        "agenda": list(visit.agenda.select_related("institution", "presenter")),
        "delegates": list(selectors.delegate_list_in(user, visit)),
        "sessions": list(selectors.session_list_in(user, visit).prefetch_related("participants")),
        "practices": list(visit.practices.select_related("institution")),
        "actions": list(selectors.action_list_in(user, visit)),
        "review": selectors.review_of_previous(user, visit),
        "generated_at": timezone.now(),
    }


def report_html(user: Any, visit: Visit, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "visits/report_pdf.html", {**report_context(user, visit), "language": language}
        )


def report_pdf(user: Any, visit: Visit, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=report_html(user, visit, language), base_url=str(settings.BASE_DIR)
    ).write_pdf()


def actions_workbook(user: Any, visit: Visit) -> bytes:
    header = [
        _("Action"),
        _("Owning institution"),
        _("Owner"),
        _("Deadline"),
        _("Status"),
        _("Discussion session"),
        _("Progress"),
        _("Accepted by"),
    ]
    rows = (
        [
            action.title,
            str(action.institution),
            str(action.owner),
            formats.date_format(action.deadline, "Y-m-d"),
            str(action.get_status_display()),
            str(action.session) if action.session else "",
            action.progress_note,
            str(action.accepted_by) if action.accepted_by else "",
        ]
        for action in selectors.action_list_in(user, visit).select_related("accepted_by")
    )
    return workbook(_("Actions"), header, rows)
