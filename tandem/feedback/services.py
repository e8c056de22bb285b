"""Every write about feedback items and seminars: atomic, checked by the predicates in
`permissions`, audited in the same transaction.

An anonymous raiser's own actions (raise, confirm, reopen) are audited with no actor, so no
history shows who took them (decision 083).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation.models import JointCultivation
from tandem.feedback import permissions
from tandem.feedback.models import (
    AnonymousFollow,
    AttendanceStatus,
    Category,
    FeedbackItem,
    HandlerRole,
    Invitation,
    ItemStatus,
    Routing,
    Seminar,
    SeminarStatus,
    Side,
)
from tandem.feedback.sealing import seal
from tandem.feedback.selectors import cultivations_for_raising, routing_for


def _wrong_state(item: FeedbackItem) -> Exception:
    return field_error(
        "status",
        _("This cannot be done while the item is “%(status)s”.")
        % {"status": item.get_status_display()},
    )


def _days_since(day: datetime.date, now: datetime.datetime) -> int:
    return max(0, (timezone.localdate(now) - day).days)


@transaction.atomic
def item_raise(
    *,
    actor: Any,
    cultivation: JointCultivation,
    category: str,
    title: str,
    description: str,
    anonymous: bool = False,
    seminar: Seminar | None = None,
) -> FeedbackItem:
    """A trainee raises a problem from one of their active joint cultivations; it is routed
    by the agreement's routing (or the default) to the home or host institution."""
    if not permissions.can_raise_item(actor):
        raise PermissionDenied(_("Only trainees raise feedback items."))
    if not cultivations_for_raising(actor).filter(pk=cultivation.pk).exists():
        raise field_error("cultivation", _("Choose one of your active joint cultivations."))
    if category not in Category.values:
        raise field_error("category", _("Choose a category."))
    if seminar is not None and seminar.agreement_id != cultivation.agreement_id:
        raise field_error("cultivation", _("The seminar belongs to another agreement."))
    side, role, acknowledge_days, resolve_days = routing_for(cultivation.agreement_id, category)
    today = timezone.localdate()
    item = FeedbackItem(
        category=category,
        title=title.strip(),
        description=description.strip(),
        is_anonymous=anonymous,
        raised_by=None if anonymous else actor,
        agreement_id=cultivation.agreement_id,
        institution_id=cultivation.host_id if side == Side.HOST else cultivation.home_id,
        handler_role=role,
        seminar=seminar,
        raised_on=today,
        acknowledge_due=today + datetime.timedelta(days=acknowledge_days),
        resolve_due=today + datetime.timedelta(days=resolve_days),
    )
    item.full_clean()
    item.save()
    if anonymous:
        nonce, sealed = seal(item.pk)
        AnonymousFollow.objects.create(user=actor, nonce=nonce, sealed=sealed)
        actor._tandem_followed_items = None  # recomputed on the next read
    audit_record(
        actor=None if anonymous else actor,
        action="feedback_item.raise",
        target=item,
        changes={
            "category": category,
            "institution": item.institution,
            "handler_role": role,
            "is_anonymous": anonymous,
            "seminar": seminar,
        },
    )
    return item


def _lock(item: FeedbackItem) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update().get(pk=item.pk)


def _lock_for_handler(
    actor: Any, item: FeedbackItem, may: Callable[[Any, FeedbackItem], bool]
) -> FeedbackItem:
    """The item, locked, for one of its handlers' steps that `may` allows in its state."""
    item = _lock(item)
    if not permissions.is_handler(actor, item):
        raise PermissionDenied(_("Only the people responsible handle this item."))
    if not may(actor, item):
        raise _wrong_state(item)
    return item


@transaction.atomic
def item_acknowledge(*, actor: Any, item: FeedbackItem, note: str = "") -> FeedbackItem:
    item = _lock_for_handler(actor, item, permissions.can_acknowledge_item)
    now = timezone.now()
    item.status = ItemStatus.ACKNOWLEDGED
    item.acknowledged_at = now
    item.days_to_acknowledge = _days_since(item.raised_on, now)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="feedback_item.acknowledge",
        target=item,
        changes={"status": [ItemStatus.OPEN, item.status]},
        reason=note,
    )
    return item


@transaction.atomic
def item_start(*, actor: Any, item: FeedbackItem, note: str = "") -> FeedbackItem:
    item = _lock_for_handler(actor, item, permissions.can_start_item)
    item.status = ItemStatus.IN_PROGRESS
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="feedback_item.start",
        target=item,
        changes={"status": [ItemStatus.ACKNOWLEDGED, item.status]},
        reason=note,
    )
    return item


@transaction.atomic
def item_resolve(*, actor: Any, item: FeedbackItem, resolution: str) -> FeedbackItem:
    item = _lock_for_handler(actor, item, permissions.can_resolve_item)
    if not resolution.strip():
        raise field_error("resolution", _("Say what was done."))
    before = item.status
    now = timezone.now()
    if item.acknowledged_at is None:
        item.acknowledged_at = now
        item.days_to_acknowledge = _days_since(item.raised_on, now)
    item.status = ItemStatus.RESOLVED
    item.resolution = resolution.strip()
    item.resolved_at = now
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="feedback_item.resolve",
        target=item,
        changes={"status": [before, item.status], "resolution": item.resolution},
    )
    return item


def _raiser_check(actor: Any, item: FeedbackItem) -> None:
    if not permissions.is_raiser(actor, item):
        raise PermissionDenied(_("Only the trainee who raised the item confirms or reopens it."))


@transaction.atomic
def item_confirm(*, actor: Any, item: FeedbackItem) -> FeedbackItem:
    item = _lock(item)
    _raiser_check(actor, item)
    if not permissions.can_confirm_item(actor, item):
        raise _wrong_state(item)
    now = timezone.now()
    item.status = ItemStatus.CLOSED
    item.closed_at = now
    item.days_to_close = _days_since(item.raised_on, now)
    item.full_clean()
    item.save()
    audit_record(
        actor=None if item.is_anonymous else actor,
        action="feedback_item.confirm",
        target=item,
        changes={"status": [ItemStatus.RESOLVED, item.status]},
    )
    return item


@transaction.atomic
def item_reopen(*, actor: Any, item: FeedbackItem, reason: str) -> FeedbackItem:
    """Back to in progress, with a new deadline to resolve counted from today."""
    item = _lock(item)
    _raiser_check(actor, item)
    if not permissions.can_reopen_item(actor, item):
        raise _wrong_state(item)
    if not reason.strip():
        raise field_error("reason", _("Say why the problem is not solved."))
    _side, _role, _ack, resolve_days = routing_for(item.agreement_id, item.category)
    previous = item.resolution
    item.status = ItemStatus.IN_PROGRESS
    item.resolution = ""
    item.resolved_at = None
    item.reopen_count += 1
    item.resolve_due = timezone.localdate() + datetime.timedelta(days=resolve_days)
    item.full_clean()
    item.save()
    audit_record(
        actor=None if item.is_anonymous else actor,
        action="feedback_item.reopen",
        target=item,
        changes={
            "status": [ItemStatus.RESOLVED, item.status],
            "resolution": [previous, ""],
            "resolve_due": item.resolve_due,
        },
        reason=reason.strip(),
    )
    return item


@transaction.atomic
def routing_set(
    *,
    actor: Any,
    agreement: Any,
    category: str,
    side: str,
    handler_role: str,
    acknowledge_days: int,
    resolve_days: int,
) -> Routing:
    if not permissions.can_manage_routing(actor, agreement):
        raise PermissionDenied(_("Only the coordinators of the agreement's parties route it."))
    if handler_role not in HandlerRole.values:
        raise field_error("handler_role", _("Choose a role."))
    routing = Routing.objects.filter(agreement=agreement, category=category).first()
    routing = routing or Routing(agreement=agreement, category=category)
    routing.side = side
    routing.handler_role = handler_role
    routing.acknowledge_days = acknowledge_days
    routing.resolve_days = resolve_days
    routing.full_clean()
    routing.save()
    audit_record(
        actor=actor,
        action="feedback_routing.set",
        target=routing,
        changes={
            "category": category,
            "side": side,
            "handler_role": handler_role,
            "acknowledge_days": acknowledge_days,
            "resolve_days": resolve_days,
        },
    )
    return routing


# --- Seminars -----------------------------------------------------------------------------------


def _group_trainees(seminar: Seminar) -> list[tuple[int, int]]:
    """(trainee id, site id) of the agreement's active joint trainees in the seminar's group."""
    cultivations = JointCultivation.objects.filter(
        agreement_id=seminar.agreement_id, status="active"
    )
    if seminar.host_site_id:
        cultivations = cultivations.filter(host_id=seminar.host_site_id)
    if seminar.cohort:
        cultivations = cultivations.filter(trainee__trainee_profile__cohort=seminar.cohort)
    return list(cultivations.values_list("trainee_id", "host_id").distinct())


@transaction.atomic
def seminar_create(
    *,
    actor: Any,
    agreement: Any,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 90,
    host_site: Any = None,
    cohort: int | None = None,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
) -> Seminar:
    """A seminar for the group; every joint trainee of the group is invited (from the site
    they research at)."""
    if not permissions.can_create_seminar(actor) or not permissions.can_manage_routing(
        actor, agreement
    ):
        raise PermissionDenied(_("Only the coordinators of the agreement's parties organize it."))
    if not place.strip() and not online_url.strip():
        raise field_error("place", _("Give a place or an online link."))
    seminar = Seminar(
        agreement=agreement,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        host_site=host_site,
        cohort=cohort,
        place=place.strip(),
        online_url=online_url.strip(),
        agenda=agenda,
        organizer=actor,
    )
    seminar.full_clean()
    seminar.save()
    group = _group_trainees(seminar)
    Invitation.objects.bulk_create(
        [Invitation(seminar=seminar, person_id=pid, site_id=site) for pid, site in group]
    )
    audit_record(
        actor=actor,
        action="seminar.create",
        target=seminar,
        changes={
            "title": seminar.title,
            "starts_at": starts_at,
            "agreement": agreement,
            "host_site": host_site,
            "cohort": cohort,
            "invited": len(group),
        },
    )
    return seminar


@transaction.atomic
def seminar_invite(*, actor: Any, seminar: Seminar, person: Any, site: Any = None) -> Invitation:
    if not permissions.can_record_seminar(actor, seminar):
        raise PermissionDenied(_("Only the seminar's organizers invite people."))
    if Invitation.objects.filter(seminar=seminar, person=person).exists():
        raise field_error("person", _("This person is already invited."))
    invitation = Invitation(seminar=seminar, person=person, site=site)
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action="seminar.invite",
        target=seminar,
        changes={"person": person, "site": site},
    )
    return invitation


@transaction.atomic
def seminar_record_attendance(
    *, actor: Any, seminar: Seminar, attendance: dict[int, str]
) -> Seminar:
    """`attendance`: {invitation id: status} for the invitations of this seminar."""
    if not permissions.can_record_seminar(actor, seminar):
        raise PermissionDenied(_("Only the seminar's organizers record the attendance."))
    invitations = {i.pk: i for i in seminar.invitations.all()}
    changed = {}
    for pk, status in attendance.items():
        if pk not in invitations:
            raise field_error("attendance", _("Someone not invited to this seminar."))
        if status not in AttendanceStatus.values:
            raise field_error("attendance", _("Choose present, absent or excused."))
        if invitations[pk].attendance != status:
            invitations[pk].attendance = status
            changed[pk] = invitations[pk]
    Invitation.objects.bulk_update(list(changed.values()), ["attendance"])
    audit_record(
        actor=actor,
        action="seminar.attendance",
        target=seminar,
        changes={
            "attendance": sorted(
                f"{i.person}: {i.get_attendance_display()}" for i in changed.values()
            )
        },
    )
    return seminar


@transaction.atomic
def seminar_record_minutes(*, actor: Any, seminar: Seminar, minutes: str) -> Seminar:
    """The minutes; a seminar with minutes has been held."""
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    if not permissions.can_record_seminar(actor, seminar):
        raise PermissionDenied(_("Only the seminar's organizers write the minutes."))
    if not minutes.strip():
        raise field_error("minutes", _("Write the minutes."))
    if seminar.starts_at > timezone.now():
        raise field_error("minutes", _("The minutes are written once the seminar has begun."))
    seminar.minutes = minutes.strip()
    seminar.status = SeminarStatus.HELD
    seminar.full_clean()
    seminar.save()
    audit_record(
        actor=actor,
        action="seminar.minutes",
        target=seminar,
        changes={"status": SeminarStatus.HELD},
    )
    return seminar


def seminar_raise_item(
    *,
    actor: Any,
    seminar: Seminar,
    category: str,
    title: str,
    description: str,
    anonymous: bool = False,
) -> FeedbackItem:
    """A problem raised at a seminar becomes a feedback item in one step, from the trainee's
    cultivation under the seminar's agreement."""
    if not permissions.can_raise_at_seminar(actor, seminar):
        raise PermissionDenied(_("Only the trainees invited to the seminar raise items there."))
    cultivation = cultivations_for_raising(actor).filter(agreement_id=seminar.agreement_id).first()
    if cultivation is None:
        raise field_error(
            "category", _("You have no active joint cultivation under this agreement.")
        )
    return item_raise(
        actor=actor,
        cultivation=cultivation,
        category=category,
        title=title,
        description=description,
        anonymous=anonymous,
        seminar=seminar,
    )
