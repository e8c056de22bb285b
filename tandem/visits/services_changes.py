"""Changing a visit after it is planned (decision 114): its details, and removing a person of
the delegation or a discussion session — by the coordinators of either side, audited, each
refused with a message naming what is wrong and nothing saved.

- A cancelled visit changes no more (`services._manageable`).
- The details (titles, place, purpose) change while the visit is planned or held; its days only
  while it is planned (a held visit took place on them), never leaving a session outside them
  or starting after an action's deadline.
- The delegation and the sessions are the record of what took place: a person or a session is
  removed, with a reason, only while the visit is planned; a session whose minutes are written
  or which improvement actions come from stays.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.visits.models import Delegate, Session, Visit, VisitStatus
from tandem.visits.services import _manageable, _raise_if, _text

EDITABLE = ("title", "title_zh", "starts_on", "ends_on", "place", "purpose")
DAYS = ("starts_on", "ends_on")


def _reason(value: Any) -> str:
    reason = (value or "").strip() if isinstance(value, str) else ""
    if not reason:
        raise field_error("reason", _("Say why: the reason is kept in the visit's history."))
    if len(reason) > 2000:
        raise field_error("reason", _("The reason has at most 2,000 characters."))
    return reason


def _require_planned(visit: Visit, what: str) -> None:
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(
            _("The visit is held: %(what)s is the record of what took place and stays.")
            % {"what": what}
        )


@transaction.atomic
def visit_update(*, actor: User, visit: Visit, **values: Any) -> Visit:
    """Change any of EDITABLE; the fields left out stay as they are."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(EDITABLE)
    for name in unknown:
        errors[name] = [_("This is not changed once the visit is planned.")]
    new = {name: getattr(visit, name) for name in EDITABLE}
    for name in EDITABLE:
        if name in values and values[name] is not None:
            new[name] = values[name] if name in DAYS else str(values[name]).strip()
    if "title" in values and values["title"] is not None:
        new["title"] = _text(values["title"], "title", errors, _("a title"), 200)
    for name in ("title_zh", "place"):
        if len(new[name]) > 200:
            errors[name] = [_("At most 200 characters.")]
    if len(new["purpose"]) > 10_000:
        errors["purpose"] = [_("At most 10,000 characters.")]
    starts, ends = new["starts_on"], new["ends_on"]
    if not isinstance(starts, datetime.date):
        errors["starts_on"] = [_("Give the first day of the visit.")]
    elif not isinstance(ends, datetime.date):
        errors["ends_on"] = [_("Give the last day of the visit.")]
    elif ends < starts:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    moved = [name for name in DAYS if new[name] != getattr(visit, name)]
    if moved and not errors:
        if visit.status != VisitStatus.PLANNED:
            errors[moved[0]] = [_("The visit is held: the days it took place on stay.")]
        else:
            outside = [
                s
                for s in visit.sessions.exclude(starts_at=None)
                if not starts <= timezone.localtime(s.starts_at).date() <= ends
            ]
            if outside:
                errors[moved[0]] = [
                    ngettext(
                        "%(count)s session would fall outside the visit: move it first.",
                        "%(count)s sessions would fall outside the visit: move them first.",
                        len(outside),
                    )
                    % {"count": len(outside)}
                ]
            early = visit.actions.filter(deadline__lt=starts).count()
            if early:
                errors["starts_on"] = [
                    ngettext(
                        "%(count)s action is due before this first day.",
                        "%(count)s actions are due before this first day.",
                        early,
                    )
                    % {"count": early}
                ]
    _raise_if(errors)
    changed = [name for name in EDITABLE if new[name] != getattr(visit, name)]
    if not changed:
        return visit
    before = snapshot(visit, changed)
    for name in changed:
        setattr(visit, name, new[name])
    visit.full_clean()
    visit.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="visits_visit.update",
        target=visit,
        changes=diff(before, snapshot(visit, changed)),
    )
    return visit


@transaction.atomic
def delegate_remove(*, actor: User, visit: Visit, delegate: Delegate | None, reason: str) -> Visit:
    visit = _manageable(actor, visit)
    if delegate is None or delegate.visit_id != visit.pk:
        raise field_error("delegate", _("This person does not take part in this visit."))
    _require_planned(visit, _("the delegation"))
    reason = _reason(reason)
    person, institution, role = delegate.person, delegate.institution, delegate.role
    delegate.delete()
    audit_record(
        actor=actor,
        action="visits_delegate.remove",
        target=visit,
        changes={
            "person": [person, None],
            "role": [role, None],
            "institution": [institution, None],
        },
        reason=reason,
    )
    return visit


@transaction.atomic
def session_remove(*, actor: User, session: Session, reason: str) -> Visit:
    visit = _manageable(actor, session.visit)
    session = Session.objects.select_for_update().get(pk=session.pk)
    _require_planned(visit, _("its discussion sessions"))
    if session.minutes:
        raise ValidationError(_("The minutes of this session are written: the session stays."))
    actions = session.actions.count()
    if actions:
        raise ValidationError(
            ngettext(
                "%(count)s improvement action comes from this session: the session stays.",
                "%(count)s improvement actions come from this session: the session stays.",
                actions,
            )
            % {"count": actions}
        )
    reason = _reason(reason)
    specialty, host_base, visiting_base = (
        session.specialty,
        session.host_base,
        session.visiting_base,
    )
    session.delete()
    audit_record(
        actor=actor,
        action="visits_session.remove",
        target=visit,
        changes={
            "specialty": [specialty, None],
            "host_base": [host_base, None],
            "visiting_base": [visiting_base, None],
        },
        reason=reason,
    )
    return visit
