"""Reads about a person's calendar feed: their own row, and the owner behind a secret address."""

from typing import Any

from django.urls import reverse

from tandem.accounts.models import CalendarFeed


def calendar_feed_of(user: Any) -> CalendarFeed | None:
    """The signed-in person's own feed, if they ever had one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed behind a secret address, or None whether the token is unknown, replaced,
    revoked or its owner's account is closed (the caller answers all of them with one 404)."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .first()
    )


def calendar_feed_path(token: str) -> str:
    return reverse("calendar_feed", args=[token])
