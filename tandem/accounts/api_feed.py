"""The person's one calendar feed in the API: what it shows, a new secret address (in the answer
only: a hash is stored), revocation. The same services as the page."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.accounts import services_feed
from tandem.accounts.models import CalendarFeed, all_feed_scopes
from tandem.accounts.selectors_feed import calendar_feed_of, calendar_feed_path
from tandem.core.api import ERRORS

router = Router()


class CalendarFeedIn(Schema):
    scopes: list[str]


class CalendarFeedOut(Schema):
    scopes: list[str]
    has_address: bool
    address_made_at: datetime | None
    revoked_at: datetime | None


class CalendarFeedAddressOut(CalendarFeedOut):
    url: str


def _out(feed: CalendarFeed | None) -> dict[str, Any]:
    if feed is None:
        return {
            "scopes": all_feed_scopes(),
            "has_address": False,
            "address_made_at": None,
            "revoked_at": None,
        }
    return {
        "scopes": list(feed.scopes),
        "has_address": feed.is_live,
        "address_made_at": feed.rotated_at,
        "revoked_at": feed.revoked_at,
    }


@router.get(
    "/calendar-feed",
    response={200: CalendarFeedOut, **ERRORS},
    operation_id="accounts_calendar_feed_get",
)
def calendar_feed_get(request: HttpRequest) -> dict[str, Any]:
    return _out(calendar_feed_of(request.user))


@router.put(
    "/calendar-feed",
    response={200: CalendarFeedOut, **ERRORS},
    operation_id="accounts_calendar_feed_update",
)
def calendar_feed_update(request: HttpRequest, payload: CalendarFeedIn) -> dict[str, Any]:
    return _out(services_feed.calendar_feed_scopes_set(actor=request.user, scopes=payload.scopes))


@router.post(
    "/calendar-feed/rotate",
    response={200: CalendarFeedAddressOut, **ERRORS},
    operation_id="accounts_calendar_feed_rotate",
)
def calendar_feed_rotate(request: HttpRequest) -> dict[str, Any]:
    """A new secret address, in this answer only; the old one answers 404 from now on."""
    feed, token = services_feed.calendar_feed_rotate(actor=request.user)
    return {**_out(feed), "url": request.build_absolute_uri(calendar_feed_path(token))}


@router.post(
    "/calendar-feed/revoke",
    response={200: CalendarFeedOut, **ERRORS},
    operation_id="accounts_calendar_feed_revoke",
)
def calendar_feed_revoke(request: HttpRequest) -> dict[str, Any]:
    return _out(services_feed.calendar_feed_revoke(actor=request.user))
