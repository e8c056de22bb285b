"""Numbers as people read them, one format per kind in the reader's locale (the separators
come from config/formats): money always with two decimals and grouped thousands, credits
without a trailing ".0" when whole."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats

EMPTY = "—"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_money(value: Any) -> str:
    """4200.5 -> "4,200.50"; anything that is not a number is shown as it is."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    return formats.number_format(
        number.quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True, force_grouping=True
    )


def format_number(value: Any) -> str:
    """A count or measure that may have decimals (credits, hours): 30.0 -> "30",
    2.50 -> "2.5", 1200 -> "1,200"."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
