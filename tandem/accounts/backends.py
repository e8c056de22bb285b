"""Password login with lock-out after repeated failures."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tandem.accounts.emails import send_lockout_notice
from tandem.accounts.models import User


class LockoutModelBackend(ModelBackend):
    """ModelBackend that counts failures per account and refuses a locked account.

    The counter lives on the user row (updated with a single UPDATE, so parallel attempts
    cannot lose increments); a successful login resets it.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from django.db.models import F

        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            # Run the hasher anyway so timing does not reveal which usernames exist.
            User().set_password(password)
            return None
        now = timezone.now()
        # The password is checked even for a locked account, so that a locked account takes as
        # long to answer as any other; its owner learns of the lock by e-mail, never the form.
        password_ok = user.check_password(password)
        if user.locked_until and user.locked_until > now:
            # PermissionDenied stops Django trying other backends; the form answers as for a
            # wrong password.
            raise PermissionDenied
        if password_ok and self.user_can_authenticate(user):
            if user.failed_login_count or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
            return user
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count"])
        if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
            until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
            transaction.on_commit(lambda: send_lockout_notice(user.pk))
        return None
