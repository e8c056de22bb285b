"""Every write about early warnings and notifications.

Raising and closing warnings automatically is the evaluation's job (`evaluation.py`); people
acknowledge and resolve them here, coordinators change thresholds, and everyone manages their
own notifications and e-mail preference.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts import permissions
from tandem.alerts.models import (
    DEFAULT_THRESHOLDS,
    EarlyWarning,
    EmailMode,
    Notification,
    NotificationKind,
    NotificationPreference,
    WarningStatus,
    WarningThresholds,
)
from tandem.alerts.tasks import send_immediate_emails
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution

THRESHOLD_FIELDS = tuple(DEFAULT_THRESHOLDS)
ONCE_BATCH = 500  # keys looked up and inserted per statement (SQLite's variable limit)


def notification_send(
    *,
    users: Iterable[int],
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """In-app notifications for `users` (ids); e-mail follows each person's preference (urgent
    ones at once, the rest in the daily digest), sent by a task after the commit."""
    if kind not in NotificationKind.values:
        raise field_error("kind", _("Unknown kind of notification."))
    ids = sorted({uid for uid in users if uid})
    rows = Notification.objects.bulk_create(
        [
            Notification(user_id=uid, kind=kind, params=params or {}, url=url, is_urgent=urgent)
            for uid in ids
        ]
    )
    if ids:
        transaction.on_commit(lambda: send_immediate_emails.enqueue(ids))
    return rows


def notifications_send_once(
    *, kind: str, entries: Iterable[tuple[int, str, dict[str, Any], str]]
) -> int:
    """In-app notifications that reach each person once only: `entries` are (user id, key,
    params, url). A (user, key) already notified is skipped — the database's unique constraint
    decides, so two runs at the same time still notify once. E-mail as `notification_send`.
    Returns how many this call added (the others were there already)."""
    if kind not in NotificationKind.values:
        raise field_error("kind", _("Unknown kind of notification."))
    wanted = {(uid, key): (params, url) for uid, key, params, url in entries if uid and key}
    pairs = sorted(wanted)
    added: list[tuple[int, str]] = []
    for start in range(0, len(pairs), ONCE_BATCH):
        chunk = pairs[start : start + ONCE_BATCH]
        existing = set(
            Notification.objects.filter(
                user_id__in={uid for uid, _key in chunk},
                once_key__in={key for _uid, key in chunk},
            ).values_list("user_id", "once_key")
        )
        fresh = [pair for pair in chunk if pair not in existing]
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=uid,
                    kind=kind,
                    once_key=key,
                    params=wanted[uid, key][0],
                    url=wanted[uid, key][1],
                )
                for uid, key in fresh
            ],
            ignore_conflicts=True,
        )
        added += fresh
    recipients = sorted({uid for uid, _key in added})
    if recipients:
        transaction.on_commit(lambda: send_immediate_emails.enqueue(recipients))
    return len(added)


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("This is someone else's notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(*, actor: User, email_mode: str) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=actor)
    before = snapshot(preference, ("email_mode",))
    preference.email_mode = email_mode
    preference.full_clean(exclude=["user"])
    preference.save()
    audit_record(
        actor=actor,
        action="notification_preference.update",
        target=preference,
        changes=diff(before, snapshot(preference, ("email_mode",))),
    )
    return preference


def _lock(warning: EarlyWarning) -> EarlyWarning:
    return EarlyWarning.objects.select_for_update().get(pk=warning.pk)


@transaction.atomic
def warning_acknowledge(*, actor: User, warning: EarlyWarning, note: str = "") -> EarlyWarning:
    """Someone responsible says they have seen it and are on it; it stays open."""
    warning = _lock(warning)
    if warning.status != WarningStatus.OPEN:
        raise field_error("status", _("Only an open warning can be acknowledged."))
    if not permissions.can_handle_warning(actor, warning):
        raise PermissionDenied(_("Only the people responsible can acknowledge this warning."))
    warning.status = WarningStatus.ACKNOWLEDGED
    warning.acknowledged_by = actor
    warning.acknowledged_at = timezone.now()
    if note.strip():
        warning.note = note.strip()
    warning.full_clean()
    warning.save()
    audit_record(
        actor=actor,
        action="warning.acknowledge",
        target=warning,
        changes={"status": ["open", "acknowledged"]},
        reason=note.strip(),
    )
    return warning


@transaction.atomic
def warning_resolve(*, actor: User, warning: EarlyWarning, note: str) -> EarlyWarning:
    """Close a warning by hand, saying what was done. The same cause is not raised again."""
    warning = _lock(warning)
    if not warning.is_active:
        raise field_error("status", _("This warning is already closed."))
    if not permissions.can_handle_warning(actor, warning):
        raise PermissionDenied(_("Only the people responsible can resolve this warning."))
    if not (note or "").strip():
        raise field_error("note", _("Say how the problem was resolved."))
    before = warning.status
    warning.status = WarningStatus.RESOLVED
    warning.resolved_by = actor
    warning.closed_at = timezone.now()
    warning.note = note.strip()
    warning.full_clean()
    warning.save()
    audit_record(
        actor=actor,
        action="warning.resolve",
        target=warning,
        changes={"status": [before, "resolved"]},
        reason=warning.note,
    )
    return warning


@transaction.atomic
def thresholds_update(*, actor: User, institution: Institution, **values: Any) -> WarningThresholds:
    """A coordinator of the institution (or an admin) changes its thresholds."""
    if not permissions.can_edit_thresholds(actor, institution):
        raise PermissionDenied(
            _("Only a coordinator of the institution can change its thresholds.")
        )
    unknown = sorted(set(values) - set(THRESHOLD_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This is not a threshold."))
    row = WarningThresholds.objects.select_for_update().filter(
        institution=institution
    ).first() or WarningThresholds(institution=institution)
    before = snapshot(row, THRESHOLD_FIELDS)
    for name, value in values.items():
        if value is None:
            raise field_error(name, _("This field is required."))
        setattr(row, name, value)
    row.updated_by = actor
    row.updated_at = timezone.now()
    try:
        row.full_clean(exclude=["institution"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    row.save()
    audit_record(
        actor=actor,
        action="warning_thresholds.update",
        target=row,
        changes=diff(before, snapshot(row, THRESHOLD_FIELDS)),
    )
    return row


__all__ = [
    "EmailMode",
    "notification_mark_read",
    "notification_send",
    "notifications_send_once",
    "notifications_mark_all_read",
    "preference_update",
    "thresholds_update",
    "warning_acknowledge",
    "warning_resolve",
]
