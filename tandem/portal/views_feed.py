"""A person's one calendar feed: the secret address a calendar program polls.

The feed looks across apps, so it lives in the portal. Each app exposes a person's events
through `calendar_events_for(user)` in its own selectors, re-checked against what the person may
see at the moment of the request; the portal puts the scopes the person chose into one
iCalendar document. Adding a scope: a member of `accounts.models.FeedScope` and its source here.
"""

from collections.abc import Callable

import icalendar
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.accounts.models import FeedScope, User
from tandem.accounts.selectors_feed import calendar_feed_for_token
from tandem.assessments import selectors_completion as assessments_selectors
from tandem.bookings import selectors as bookings_selectors
from tandem.feedback import selectors as feedback_selectors
from tandem.meetings import selectors as meetings_selectors
from tandem.residency import selectors as residency_selectors
from tandem.teaching import selectors as teaching_selectors
from tandem.visits import selectors as visits_selectors

FEED_SOURCES: dict[str, Callable[[User], list[icalendar.Event]]] = {
    FeedScope.ASSESSMENTS: assessments_selectors.calendar_events_for,
    FeedScope.BOOKINGS: bookings_selectors.calendar_events_for,
    FeedScope.MEETINGS: meetings_selectors.calendar_events_for,
    FeedScope.ROTATIONS: residency_selectors.calendar_events_for,
    FeedScope.SEMINARS: feedback_selectors.calendar_events_for,
    FeedScope.TEACHING: teaching_selectors.calendar_events_for,
    FeedScope.VISITS: visits_selectors.calendar_events_for,
}


def feed_calendar(user: User, scopes: list[str]) -> bytes:
    """One iCalendar document with the person's events of every chosen scope, in the order of
    `FeedScope`, and a VTIMEZONE for every time zone the events use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Tandem"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for scope in FeedScope:
        if scope in scopes:
            for event in FEED_SOURCES[scope](user):
                calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in (calendar programs cannot): the token is the key. An unknown, replaced or
    revoked token, or a closed account, all get the same 404."""
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    with translation.override(feed.user.preferred_language or settings.LANGUAGE_CODE):
        body = feed_calendar(feed.user, list(feed.scopes))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
