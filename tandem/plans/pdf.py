"""The joint record as a PDF, in English or Chinese, made by WeasyPrint from an HTML template.

A single record is a few pages, so it is made while the person waits (well under a second)."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_record_pdf(context: dict[str, Any], language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("plans/record_pdf.html", {**context, "language": language})
    return HTML(string=html).write_pdf()
