from typing import Any

from django import template

from tandem.faculty.texts import reason_text

register = template.Library()


@register.filter
def reason_texts(reasons: Any) -> str:
    """Qualification reasons worded in the reader's language, one after the other."""
    return " ".join(reason_text(reason) for reason in reasons)
