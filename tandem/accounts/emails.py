"""The invitation e-mail: sent after the transaction that created the account commits."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
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
