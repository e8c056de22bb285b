"""Number filters, built into every template (see TEMPLATES in config/settings.py):
`{{ fund.balance|money }}`, `{{ course.credits|number }}`. Dates use Django's `date` filter
with the named formats (`DATE_FORMAT`, `SHORT_DATETIME_FORMAT`) set in config/formats."""

from typing import Any

from django import template

from tandem.core.numbers import format_money, format_number

register = template.Library()


@register.filter
def money(value: Any) -> str:
    return format_money(value)


@register.filter
def number(value: Any) -> str:
    """Credits, hours and other measures: no trailing ".0" when whole."""
    return format_number(value)
