"""The minutes of a meeting as a PDF, in English or Chinese (WeasyPrint from HTML)."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tandem.meetings import selectors
from tandem.meetings.models import Meeting


def minutes_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    """What the minutes show; the caller has checked the user runs the meeting."""
    series = meeting.series
    return {
        "meeting": meeting,
        "series": series,
        "local_start": timezone.localtime(
            meeting.starts_at, _zone(meeting.time_zone or series.time_zone)
        ),
        "attendance": list(meeting.attendance.select_related("person", "site")),
        "reports": list(selectors.report_list_for_meeting(user, meeting)),
        "agenda": list(selectors.agenda_actions(meeting)),
        "raised": list(selectors.raised_actions(meeting)),
        "generated_at": timezone.now(),
    }


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def minutes_html(user: Any, meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "meetings/minutes_pdf.html",
            {
                **minutes_context(user, meeting),
                "language": language,
            },
        )


def minutes_pdf(user: Any, meeting: Meeting, language: str) -> bytes:
    from weasyprint import HTML

    html = minutes_html(user, meeting, language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
