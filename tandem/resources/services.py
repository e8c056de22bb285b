"""Every write about the shared-resource catalogue and its openings to partners."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.agreements.models import Agreement
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution, Unit
from tandem.resources import permissions
from tandem.resources.models import ResourceOpening, SharedResource
from tandem.resources.selectors import OPENABLE_STATUSES

RESOURCE_FIELDS = (
    "name",
    "name_zh",
    "kind",
    "unit",
    "description",
    "location",
    "contact",
    "is_active",
)
_TEXT_FIELDS = ("name", "name_zh", "description", "location", "contact")


def _check_resource(resource: SharedResource) -> None:
    for field in _TEXT_FIELDS:
        setattr(resource, field, (getattr(resource, field) or "").strip())
    if resource.unit is not None and resource.unit.institution_id != resource.institution_id:
        raise field_error("unit", _("The unit must belong to the institution that owns it."))
    resource.full_clean()


@transaction.atomic
def resource_create(
    *,
    actor: Any,
    institution: Institution,
    name: str,
    kind: str,
    name_zh: str = "",
    unit: Unit | None = None,
    description: str = "",
    location: str = "",
    contact: str = "",
) -> SharedResource:
    if not permissions.can_create_resource(actor, institution):
        raise PermissionDenied(_("Only the institution's coordinators list its resources."))
    resource = SharedResource(
        institution=institution,
        name=name,
        name_zh=name_zh,
        kind=kind,
        unit=unit,
        description=description,
        location=location,
        contact=contact,
    )
    _check_resource(resource)
    resource.save()
    audit_record(
        actor=actor,
        action="resource.create",
        target=resource,
        changes=diff({}, snapshot(resource, ("institution", *RESOURCE_FIELDS))),
    )
    return resource


@transaction.atomic
def resource_update(
    *, actor: Any, resource: SharedResource, reason: str = "", **values: Any
) -> SharedResource:
    """Change a resource; `is_active=False` deactivates it (it is never deleted)."""
    if not permissions.can_change_resource(actor, resource):
        raise PermissionDenied(_("Only the owner's coordinators change this resource."))
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed here."))
    resource = SharedResource.objects.select_for_update().get(pk=resource.pk)
    before = snapshot(resource, RESOURCE_FIELDS)
    for field, value in values.items():
        setattr(resource, field, value)
    _check_resource(resource)
    resource.save()
    changes = diff(before, snapshot(resource, RESOURCE_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="resource.update",
            target=resource,
            changes=changes,
            reason=reason,
        )
    return resource


@transaction.atomic
def resource_deactivate(
    *, actor: Any, resource: SharedResource, reason: str = ""
) -> SharedResource:
    return resource_update(actor=actor, resource=resource, reason=reason, is_active=False)


@transaction.atomic
def resource_opening_create(
    *,
    actor: Any,
    resource: SharedResource,
    agreement: Agreement,
    partner: Institution,
    reason: str = "",
) -> ResourceOpening:
    """Open `resource` to `partner` under `agreement`. It shares once the agreement is active,
    and stops sharing when the agreement ends."""
    if not permissions.can_open_resource(actor, resource):
        raise PermissionDenied(_("Only the owner's coordinators open this resource."))
    if partner.pk == resource.institution_id:
        raise field_error("partner", _("A resource is not opened to its own institution."))
    if agreement.status not in OPENABLE_STATUSES:
        raise field_error("agreement", _("This agreement has ended; choose one in force."))
    parties = set(agreement.parties.values_list("institution_id", flat=True))
    if resource.institution_id not in parties:
        raise field_error("agreement", _("The owner is not a party to this agreement."))
    if partner.pk not in parties:
        raise field_error("partner", _("This institution is not a party to the agreement."))
    if ResourceOpening.objects.filter(
        resource=resource, agreement=agreement, partner=partner
    ).exists():
        raise field_error(
            "partner", _("The resource is already opened to this partner under this agreement.")
        )
    opening = ResourceOpening(resource=resource, agreement=agreement, partner=partner)
    opening.full_clean()
    opening.save()
    audit_record(
        actor=actor,
        action="resource.open",
        target=resource,
        reason=reason,
        changes={"opening": [None, f"{partner} · {agreement}"]},
    )
    return opening


@transaction.atomic
def resource_opening_close(
    *, actor: Any, opening: ResourceOpening, reason: str = ""
) -> SharedResource:
    """Close an opening: the partner no longer sees the resource through it."""
    resource = opening.resource
    if not permissions.can_close_opening(actor, resource):
        raise PermissionDenied(_("Only the owner's coordinators close this opening."))
    label = f"{opening.partner} · {opening.agreement}"
    opening.delete()
    audit_record(
        actor=actor,
        action="resource.close",
        target=resource,
        reason=reason,
        changes={"opening": [label, None]},
    )
    return resource
