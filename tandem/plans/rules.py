"""Configurable defaults of the plans app.

The credit requirement per degree kind can be overridden in settings with
`TANDEM_PLAN_CREDIT_REQUIREMENTS = {"doctoral": 18, ...}` (missing kinds keep the defaults).
Residents follow rotation requirements instead of a credit plan, so they have none.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

DEFAULT_CREDIT_REQUIREMENTS: dict[str, Decimal] = {
    "academic_master": Decimal("32"),
    "professional_master": Decimal("36"),
    "doctoral": Decimal("16"),
    "resident": Decimal("0"),
}


def credit_requirement(degree_kind: str) -> Decimal | None:
    """Credits a plan must total for this degree kind; None for an unknown kind."""
    overrides: dict[str, Any] = getattr(settings, "TANDEM_PLAN_CREDIT_REQUIREMENTS", {}) or {}
    table = {**DEFAULT_CREDIT_REQUIREMENTS, **{k: Decimal(str(v)) for k, v in overrides.items()}}
    return table.get(degree_kind)


# Shown instead of the reason of a health-related change to everyone not allowed to read it.
PERSONAL_REASONS = gettext_lazy("Adjusted for personal reasons.")
