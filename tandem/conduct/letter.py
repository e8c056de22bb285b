"""The decision letter as a PDF, in the trainee's language, made by WeasyPrint from an HTML
template: the facts, the article cited in its wording of the date of the conduct, the
decision with its reasons, the review date, and the appeal route (body and deadline)."""

from django.template.loader import render_to_string
from django.utils import translation

from tandem.conduct.models import Case


def trainee_language(case: Case) -> str:
    language = getattr(case.trainee, "preferred_language", "") or "en"
    return "zh-hans" if language.startswith("zh") else "en"


def render_letter_html(case: Case, language: str) -> str:
    language = "zh-hans" if language.startswith("zh") else "en"
    with translation.override(language):
        appeal = getattr(case, "appeal", None) if hasattr(case, "appeal") else None
        return render_to_string(
            "conduct/letter_pdf.html", {"case": case, "appeal": appeal, "language": language}
        )


def render_letter_pdf(case: Case, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_letter_html(case, language)).write_pdf()
