"""How the API knows who calls: a personal API token (as a bearer token or in a header), else
the session of a signed-in person."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from tandem.accounts.models import ApiToken


def _user_for_token(request: HttpRequest, token: str) -> Any:
    token_row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token_row is None:
        return None
    # Record use at most once a minute, so that reads stay reads.
    now = timezone.now()
    if token_row.last_used_at is None or (now - token_row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
    request.user = token_row.user
    return token_row.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _user_for_token(request, token)


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Token: <token>`, for clients that cannot set a bearer header."""

    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _user_for_token(request, key) if key else None


# Tokens first: the session check enforces CSRF and would refuse a token-only write with 403
# before the token was even looked at.
API_AUTH = [TokenAuth(), TokenHeaderAuth(), SessionAuth()]
