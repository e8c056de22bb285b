"""Writes about a person's one calendar feed: the calendars it carries, a new secret address
(the old one stops at once) and revocation. One token generator for every calendar in Tandem."""

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import permissions
from tandem.accounts.models import CalendarFeed, User
from tandem.core.audit import audit_record


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def _own_feed_for_update(actor: Any) -> CalendarFeed | None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is not None and not permissions.can_manage_calendar_feed(actor, feed):
        raise PermissionDenied(_("Only its owner may change a calendar feed."))
    return feed


@transaction.atomic
def calendar_feed_rotate(
    *, actor: User, scopes: list[str] | None = None
) -> tuple[CalendarFeed, str]:
    """Make the person's secret address anew (the first time, the feed itself). Returns the
    feed and the token, which is never stored: the caller shows it once. The old address
    stops working in the same transaction."""
    feed = _own_feed_for_update(actor)
    created = feed is None
    if feed is None:
        feed = CalendarFeed(user=actor)
    if scopes is not None:
        feed.scopes = list(dict.fromkeys(scopes))
    token = new_feed_token()
    feed.token_hash = CalendarFeed.hash_token(token)
    feed.rotated_at = timezone.now()
    feed.revoked_at = None
    feed.full_clean(exclude=["user"])
    feed.save()
    audit_record(
        actor=actor,
        action="calendar_feed.create" if created else "calendar_feed.rotate",
        target=feed,
        changes={"scopes": [None, feed.scopes]} if created else {},
    )
    return feed, token


@transaction.atomic
def calendar_feed_scopes_set(*, actor: User, scopes: list[str]) -> CalendarFeed:
    """Choose the calendars the feed carries; the address stays the same."""
    feed = _own_feed_for_update(actor)
    if feed is None:
        feed = CalendarFeed(user=actor)
    before = list(feed.scopes) if feed.pk else None
    feed.scopes = list(dict.fromkeys(scopes))
    feed.full_clean(exclude=["user"])
    feed.save()
    if before != feed.scopes:
        audit_record(
            actor=actor,
            action="calendar_feed.scopes",
            target=feed,
            changes={"scopes": [before, feed.scopes]},
        )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> CalendarFeed:
    """Stop the address: it answers 404 from now on. The chosen calendars are kept for the
    next address."""
    feed = _own_feed_for_update(actor)
    if feed is None or not feed.is_live:
        raise ValidationError(_("You have no calendar address to revoke."))
    feed.token_hash = None
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["token_hash", "revoked_at"])
    audit_record(actor=actor, action="calendar_feed.stop", target=feed)
    return feed
