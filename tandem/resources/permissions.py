"""Who may change the catalogue. Views use these for 403; services re-check."""

from typing import Any

from tandem.core import tenancy
from tandem.institutions.models import Institution
from tandem.resources.models import SharedResource


def can_create_resource(user: Any, institution: Institution) -> bool:
    return tenancy.is_consortium_admin(user) or (
        institution.pk in tenancy.coordinated_institution_ids(user)
    )


def can_change_resource(user: Any, resource: SharedResource) -> bool:
    """The owner's coordinators and consortium admins edit, deactivate, open and close."""
    return tenancy.is_consortium_admin(user) or (
        resource.institution_id in tenancy.coordinated_institution_ids(user)
    )


def can_open_resource(user: Any, resource: SharedResource) -> bool:
    return can_change_resource(user, resource)


def can_close_opening(user: Any, resource: SharedResource) -> bool:
    return can_change_resource(user, resource)
