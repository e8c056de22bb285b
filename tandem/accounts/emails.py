"""E-mails about an account: the invitation (sent after the transaction that created the account
commits) and the notice that repeated failed sign-ins locked it."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tandem.accounts.models import User

logger = logging.getLogger(__name__)


def set_password_url(user: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(user_id: int, institution_name: str, role_label: str, inviter: str) -> None:
    """Send the invitation in the person's language. Failures are logged, never raised: the
    account exists, and the coordinator can invite again (which resends the link)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "institution": institution_name,
            "role": role_label,
            "inviter": inviter,
            "url": set_password_url(user),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — a mail server outage must not undo the invitation
        logger.exception("Could not send the invitation to user %s", user_id)


def send_lockout_notice(user_id: int) -> None:
    """Tell the owner, in their language, that their account is locked and until when. The sign-in
    form never says so: it would tell anyone which usernames exist."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email or user.locked_until is None:
        return
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "until": formats.date_format(timezone.localtime(user.locked_until), "DATETIME_FORMAT"),
            "failures": settings.LOGIN_FAILURE_LIMIT,
            "reset_url": settings.SITE_URL.rstrip("/") + reverse("password_reset"),
        }
        subject = render_to_string("accounts/email/locked_subject.txt", context).strip()
        body = render_to_string("accounts/email/locked.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — a mail server outage must not turn a sign-in into a 500
        logger.exception("Could not send the lock-out notice to user %s", user_id)
