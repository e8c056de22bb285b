"""E-mail for notifications, in each recipient's language.

A sender first claims the notifications it will send with one UPDATE (stamping `emailed_at`
and a batch id), then reads back its batch: two workers, or a task and the digest command,
never send the same notification twice.
"""

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tandem.accounts.models import User
from tandem.alerts.models import EmailMode, Notification, NotificationPreference
from tandem.alerts.texts import notification_text

logger = logging.getLogger(__name__)


def email_mode_of(user: User) -> str:
    row = NotificationPreference.objects.filter(user=user).values_list("email_mode", flat=True)
    return row.first() or EmailMode.DIGEST


def _claim(queryset: QuerySet[Notification]) -> list[Notification]:
    batch = uuid.uuid4()
    Notification.objects.filter(pk__in=queryset.values("pk"), emailed_at__isnull=True).update(
        emailed_at=timezone.now(), email_batch=batch
    )
    return list(
        Notification.objects.filter(email_batch=batch)
        .select_related("warning")
        .order_by("-is_urgent", "created_at", "id")
    )


def _send(user: User, notifications: list[Notification], template: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "items": [
                {
                    "text": notification_text(n),
                    "urgent": n.is_urgent,
                    "url": settings.SITE_URL.rstrip("/") + (n.url or "/"),
                }
                for n in notifications
            ],
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        subject = render_to_string(f"alerts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"alerts/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — logged; the in-app inbox still has every notification
        logger.exception("Could not send notifications to user %s", user.pk)


def send_immediate(user_id: int) -> int:
    """Send at once what the person wants at once: everything (immediate) or the urgent ones
    (the default digest mode)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    mode = email_mode_of(user)
    pending = Notification.objects.filter(user=user, emailed_at__isnull=True, read_at__isnull=True)
    if mode == EmailMode.IMMEDIATE:
        wanted = pending
    elif mode == EmailMode.DIGEST:
        wanted = pending.filter(is_urgent=True)
    else:
        return 0
    claimed = _claim(wanted)
    if claimed:
        _send(user, claimed, "immediate")
    return len(claimed)


def send_digest(user_id: int) -> int:
    """The daily digest: every unread notification not e-mailed yet."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or email_mode_of(user) == EmailMode.OFF:
        return 0
    claimed = _claim(
        Notification.objects.filter(user=user, emailed_at__isnull=True, read_at__isnull=True)
    )
    if claimed:
        _send(user, claimed, "digest")
    return len(claimed)


def digest_recipient_ids() -> list[int]:
    """People with unread notifications not e-mailed yet, who want e-mail at all."""
    off = NotificationPreference.objects.filter(email_mode=EmailMode.OFF).values("user_id")
    return list(
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .exclude(user_id__in=off)
        .exclude(Q(user__email="") | Q(user__is_active=False))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
