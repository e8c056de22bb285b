"""Who may change institutions and units. Views use these for 403; services re-check."""

from typing import Any

from tandem.core import tenancy
from tandem.institutions.models import Institution, Unit


def can_create_institution(user: Any) -> bool:
    return tenancy.is_consortium_admin(user)


def can_change_institution(user: Any, institution: Institution) -> bool:
    return tenancy.is_consortium_admin(user)


def can_create_unit(user: Any, institution: Institution) -> bool:
    """Consortium admins and the institution's coordinators add its units."""
    return tenancy.is_consortium_admin(user) or (
        institution.pk in tenancy.coordinated_institution_ids(user)
    )


def can_change_unit(user: Any, unit: Unit) -> bool:
    return tenancy.is_consortium_admin(user) or (
        unit.institution_id in tenancy.coordinated_institution_ids(user)
    )
