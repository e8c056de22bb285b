"""Adding a stay to a joint cultivation, or changing one, after the proposal (decision 094).

The same checks as the proposal (a site of the record, inside the planned period, sequential
stays not overlapping), for the coordinators of either side or the admin, while the record is
not finished. On a running (active) record a stay at the host that would start, or go on,
without the insurance its agreement requires before a stay starts is refused: the stay needs
an insurance on file valid on its first day (today, if it has already begun).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation import permissions
from tandem.cultivation.models import CultivationStatus, JointCultivation, Stay
from tandem.cultivation.services import _check_stays, lock_cultivation, require_manager
from tandem.cultivation.services_training import stay_uninsured_problem


def _checked(cultivation: JointCultivation, row: dict[str, Any], *, replacing: Stay | None) -> Stay:
    """The stay `row` describes, checked against the record and its other stays."""
    others = [
        {"institution": s.institution_id, "start": s.start, "end": s.end, "purpose": s.purpose}
        for s in cultivation.stays.order_by("start", "pk")
        if replacing is None or s.pk != replacing.pk
    ]
    errors: dict[str, list[str]] = {}
    sides = {cultivation.home_id: cultivation.home, cultivation.host_id: cultivation.host}
    rows = _check_stays(
        [*others, row],
        mode=cultivation.stay_mode,
        start=cultivation.planned_start,
        end=cultivation.planned_end,
        sides=sides,
        errors=errors,
    )
    if errors:
        # Named by the field of this stay ("stays[2].start" → "start").
        raise ValidationError({key.split(".", 1)[-1]: messages for key, messages in errors.items()})
    stay = rows[-1]
    if replacing is not None:
        replacing.institution_id = stay.institution_id
        replacing.start, replacing.end, replacing.purpose = stay.start, stay.end, stay.purpose
        stay = replacing
    stay.cultivation = cultivation
    if cultivation.status == CultivationStatus.ACTIVE:
        problem = stay_uninsured_problem(cultivation, stay, timezone.localdate())
        if problem:
            raise field_error("start", problem)
    stay.full_clean()
    return stay


def _require(actor: User, cultivation: JointCultivation) -> None:
    require_manager(
        actor,
        cultivation,
        _("Only a coordinator of the home or the host, or a consortium admin, can plan stays."),
    )
    if not permissions.can_plan_stays(actor, cultivation):
        raise ValidationError(_("The stays of a finished joint cultivation cannot be changed."))


@transaction.atomic
def stay_add(
    *,
    actor: User,
    cultivation: JointCultivation,
    institution: Any,
    start: datetime.date | None,
    end: datetime.date | None,
    purpose: str = "",
) -> Stay:
    cultivation = lock_cultivation(cultivation)
    _require(actor, cultivation)
    row = {"institution": institution, "start": start, "end": end, "purpose": purpose}
    stay = _checked(cultivation, row, replacing=None)
    stay.save()
    audit_record(
        actor=actor,
        action="cultivation.stay_add",
        target=cultivation,
        changes={"stays": [None, str(stay)]},
    )
    return stay


@transaction.atomic
def stay_change(
    *,
    actor: User,
    stay: Stay,
    start: datetime.date | None,
    end: datetime.date | None,
    purpose: str | None = None,
) -> Stay:
    """New dates (and purpose) for a stay; its site stays what it was."""
    cultivation = lock_cultivation(stay.cultivation)
    _require(actor, cultivation)
    stay = Stay.objects.select_for_update().get(pk=stay.pk, cultivation=cultivation)
    before = str(stay)
    row = {
        "institution": stay.institution_id,
        "start": start,
        "end": end,
        "purpose": stay.purpose if purpose is None else purpose,
    }
    stay = _checked(cultivation, row, replacing=stay)
    stay.save()
    audit_record(
        actor=actor,
        action="cultivation.stay_change",
        target=cultivation,
        changes={"stays": [before, str(stay)]},
    )
    return stay
