"""The one calendar feed of a person, read back as a calendar program would: the scopes the
person chose and only those, nobody else's events, and the same 404 for every dead address."""

import re

import icalendar
from django.urls import reverse

from tandem.accounts.models import FeedScope
from tandem.accounts.services_feed import (
    calendar_feed_revoke,
    calendar_feed_rotate,
    calendar_feed_scopes_set,
)
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import requested_booking
from tandem.meetings.tests.factories import debriefing
from tandem.portal.views_feed import FEED_SOURCES
from tandem.residency.tests.factories import build_world, publish


def _get(client, token: str):
    return client.get(reverse("calendar_feed", args=[token]))


def _uids(client, token: str) -> set[str]:
    response = _get(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def _without_secrets(body: bytes, token: str) -> bytes:
    """The page without what differs by design: the token in the path, the CSRF token."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"<csrf>", body.replace(token.encode(), b"<token>"))


def _kinds(uids: set[str]) -> set[str]:
    return {uid.split("-")[0] for uid in uids}


def test_every_scope_has_an_event_source():
    assert set(FEED_SOURCES) == set(FeedScope.values)


def test_one_address_carries_the_chosen_scopes_and_only_those(cast, client_for):
    d = debriefing(cast)  # the trainee is invited to a series; their feed shows meetings
    booking = requested_booking(cast)
    anonymous = client_for("anonymous")
    token = d.feed_token
    assert _uids(anonymous, token) == {f"meeting-series-{d.series.pk}@tandem"}
    calendar_feed_scopes_set(actor=cast.trainee, scopes=["bookings", "meetings"])
    both = _uids(anonymous, token)  # the same address, now with both calendars
    assert _kinds(both) == {"meeting", "booking"}
    assert any(uid.startswith(f"booking-{booking.pk}@") for uid in both)
    calendar_feed_scopes_set(actor=cast.trainee, scopes=["bookings"])
    assert _kinds(_uids(anonymous, token)) == {"booking"}


def test_rotations_join_bookings_in_the_residents_feed(cast, client_for):
    publish(build_world(cast))
    requested_booking(cast, booked_by=cast.resident)
    _feed, token = calendar_feed_rotate(actor=cast.resident, scopes=["rotations"])
    anonymous = client_for("anonymous")
    assert _kinds(_uids(anonymous, token)) == {"rotation"}
    calendar_feed_scopes_set(actor=cast.resident, scopes=["bookings", "rotations"])
    assert _kinds(_uids(anonymous, token)) == {"rotation", "booking"}


def test_another_persons_events_never_appear(cast, client_for):
    d = debriefing(cast)  # tutor_a's series with the trainee invited; tutor_b is not invited
    own = requested_booking(cast)
    start, end = slot(4, 10)
    others = requested_booking(cast, booked_by=cast.tutor_b, start=start, end=end)
    publish(build_world(cast))  # the resident's rotations
    anonymous = client_for("anonymous")
    tokens = {
        name: calendar_feed_rotate(actor=cast.actor(name), scopes=FeedScope.values)[1]
        for name in ("trainee", "tutor_b", "outsider")
    }
    series_uid = f"meeting-series-{d.series.pk}@tandem"
    trainee = _uids(anonymous, tokens["trainee"])
    assert series_uid in trainee and _kinds(trainee) == {"meeting", "booking"}
    assert not any(uid.startswith(f"booking-{others.pk}@") for uid in trainee)
    tutor_b = _uids(anonymous, tokens["tutor_b"])
    assert _kinds(tutor_b) == {"booking"} and series_uid not in tutor_b
    assert not any(uid.startswith(f"booking-{own.pk}@") for uid in tutor_b)
    assert _uids(anonymous, tokens["outsider"]) == set()


def test_rotation_makes_the_old_address_404_at_once(cast, client_for):
    anonymous = client_for("anonymous")
    _feed, old = calendar_feed_rotate(actor=cast.trainee)
    assert _get(anonymous, old).status_code == 200
    _feed, new = calendar_feed_rotate(actor=cast.trainee)
    assert new != old
    assert _get(anonymous, old).status_code == 404
    assert _get(anonymous, new).status_code == 200


def test_revocation_ends_the_address_and_a_new_one_works_again(cast, client_for):
    anonymous = client_for("anonymous")
    _feed, token = calendar_feed_rotate(actor=cast.trainee)
    calendar_feed_revoke(actor=cast.trainee)
    assert _get(anonymous, token).status_code == 404
    _feed, again = calendar_feed_rotate(actor=cast.trainee)
    assert _get(anonymous, again).status_code == 200
    assert _get(anonymous, token).status_code == 404


def test_unknown_revoked_and_closed_account_addresses_get_the_same_404(cast, client_for):
    anonymous = client_for("anonymous")
    _feed, revoked = calendar_feed_rotate(actor=cast.trainee)
    calendar_feed_revoke(actor=cast.trainee)
    _feed, closed = calendar_feed_rotate(actor=cast.tutor_a)
    cast.tutor_a.is_active = False
    cast.tutor_a.save(update_fields=["is_active"])
    tokens = ("no-such-token", revoked, closed)
    answers = {
        (response.status_code, _without_secrets(response.content, token))
        for token, response in ((token, _get(anonymous, token)) for token in tokens)
    }
    assert len(answers) == 1 and next(iter(answers))[0] == 404


def test_the_feed_speaks_its_owners_language(cast, client_for):
    requested_booking(cast)
    cast.trainee.preferred_language = "zh-hans"
    cast.trainee.save(update_fields=["preferred_language"])
    _feed, token = calendar_feed_rotate(actor=cast.trainee, scopes=["bookings"])
    calendar = icalendar.Calendar.from_ical(_get(client_for("anonymous"), token).content)
    [event] = calendar.walk("VEVENT")
    assert "Booking status" not in str(event["DESCRIPTION"])


def test_the_three_old_feed_addresses_answer_404(cast, client_for):
    anonymous = client_for("anonymous")
    for old in (
        "/bookings/feeds/old-token.ics",
        "/meetings/feed/old-token.ics",
        "/residency/feed/old-token.ics",
    ):
        assert anonymous.get(old).status_code == 404, old
