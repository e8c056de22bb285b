"""A person's one calendar feed: the services (hashed token, scopes, rotation, revocation,
audit), its page, its API operations, and the migration from the three old feeds."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tandem.accounts.models import CalendarFeed
from tandem.accounts.services_feed import (
    calendar_feed_revoke,
    calendar_feed_rotate,
    calendar_feed_scopes_set,
)
from tandem.core.models import AuditEvent

API = "/api/v1/accounts/calendar-feed"


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="calendar_feed.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Services -------------------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(cast):
    feed, token = calendar_feed_rotate(actor=cast.trainee)
    row = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert token not in json.dumps(row, default=str)
    assert row["token_hash"] == CalendarFeed.hash_token(token)
    assert len(token) >= 40


def test_rotation_revocation_and_scopes_are_audited_in_one_place(cast):
    calendar_feed_rotate(actor=cast.trainee)
    calendar_feed_rotate(actor=cast.trainee)
    calendar_feed_scopes_set(actor=cast.trainee, scopes=["meetings"])
    calendar_feed_scopes_set(actor=cast.trainee, scopes=["meetings"])  # no change, no row
    calendar_feed_revoke(actor=cast.trainee)
    assert _actions() == [
        "calendar_feed.create",
        "calendar_feed.rotate",
        "calendar_feed.scopes",
        "calendar_feed.stop",
    ]
    assert CalendarFeed.objects.filter(user=cast.trainee).count() == 1


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ([], "Choose at least one calendar"),
        (["meetings", "grades"], "Unknown calendar for the feed: grades."),
    ],
)
def test_bad_scopes_are_named_and_nothing_is_saved(cast, scopes, message):
    feed, token = calendar_feed_rotate(actor=cast.trainee, scopes=["bookings"])
    with pytest.raises(ValidationError) as caught:
        calendar_feed_scopes_set(actor=cast.trainee, scopes=scopes)
    assert message in " ".join(caught.value.messages)
    feed.refresh_from_db()
    assert feed.scopes == ["bookings"]
    with pytest.raises(ValidationError):
        calendar_feed_rotate(actor=cast.trainee, scopes=scopes)
    feed.refresh_from_db()
    assert feed.token_hash == CalendarFeed.hash_token(token)  # the old address still works


def test_revoking_without_an_address_says_so(cast):
    with pytest.raises(ValidationError) as caught:
        calendar_feed_revoke(actor=cast.trainee)
    assert "no calendar address" in caught.value.messages[0]
    assert _actions() == []


# --- The page -------------------------------------------------------------------------------------


def test_the_page_shows_a_new_address_once(cast, client_for):
    client = client_for("trainee")
    response = client.post(reverse("accounts:calendar_feed_rotate"))
    assert response.status_code == 200
    address = response.context["new_address"]
    assert address.startswith("http://testserver/calendar/") and address.endswith(".ics")
    assert address in response.content.decode()
    again = client.get(reverse("accounts:calendar_feed")).content.decode()
    assert address not in again
    assert "Your address works" in again
    assert client_for("anonymous").get(address).status_code == 200


def test_the_page_saves_scopes_and_names_a_missing_choice(cast, client_for):
    client = client_for("trainee")
    url = reverse("accounts:calendar_feed")
    response = client.post(url, {"scopes": ["meetings", "rotations"]})
    assert response.status_code == 302
    assert CalendarFeed.objects.get(user=cast.trainee).scopes == ["meetings", "rotations"]
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Choose at least one calendar for the feed." in response.content.decode()
    response = client.post(url, {"scopes": ["grades"]})
    assert response.status_code == 400
    assert CalendarFeed.objects.get(user=cast.trainee).scopes == ["meetings", "rotations"]


def test_revoking_on_the_page_stops_the_address(cast, client_for):
    client = client_for("trainee")
    address = client.post(reverse("accounts:calendar_feed_rotate")).context["new_address"]
    response = client.post(reverse("accounts:calendar_feed_revoke"), follow=True)
    assert "Your calendar address no longer works." in response.content.decode()
    assert client_for("anonymous").get(address).status_code == 404
    response = client.post(reverse("accounts:calendar_feed_revoke"), follow=True)
    assert "You have no calendar address to revoke." in response.content.decode()


def test_the_settings_page_says_the_old_addresses_stopped(cast, client_for):
    body = client_for("trainee").get(reverse("accounts:settings")).content.decode()
    assert "no longer work" in body and reverse("accounts:calendar_feed") in body


def test_the_page_in_chinese(cast, client_for):
    cast.trainee.preferred_language = "zh-hans"
    cast.trainee.save(update_fields=["preferred_language"])
    client = client_for("trainee")
    client.cookies["django_language"] = "zh-hans"
    body = client.post(reverse("accounts:calendar_feed_rotate")).content.decode()
    assert "订阅显示的内容" in body and "What the feed shows" not in body
    assert "复制" in body and "copy it now" not in body


# --- The API --------------------------------------------------------------------------------------


def test_api_rotate_gives_the_address_once_and_revoke_ends_it(cast, client_for):
    client = client_for("trainee")
    assert client.get(API).json()["has_address"] is False
    answer = client.post(f"{API}/rotate").json()
    assert answer["has_address"] is True and answer["url"].endswith(".ics")
    assert "url" not in client.get(API).json()
    anonymous = client_for("anonymous")
    assert anonymous.get(answer["url"]).status_code == 200
    assert client.post(f"{API}/revoke").json()["has_address"] is False
    assert anonymous.get(answer["url"]).status_code == 404
    response = client.post(f"{API}/revoke")
    assert response.status_code == 400
    assert "no calendar address" in json.dumps(response.json())


def test_api_update_names_an_unknown_scope(cast, client_for):
    client = client_for("trainee")
    put = client.put(API, data={"scopes": ["bookings"]}, content_type="application/json")
    assert put.status_code == 200 and put.json()["scopes"] == ["bookings"]
    bad = client.put(API, data={"scopes": ["grades"]}, content_type="application/json")
    assert bad.status_code == 400 and "grades" in json.dumps(bad.json())
    assert client.get(API).json()["scopes"] == ["bookings"]


# --- The migration from the three old feeds -------------------------------------------------------

BEFORE = [
    ("accounts", "0003_calendar_feed"),
    ("bookings", "0001_initial"),
    ("meetings", "0003_action_item_label"),
    ("residency", "0004_swap_consent_of_the_other_resident"),
]
AFTER = [("accounts", "0004_calendar_feed_from_old_feeds")]


@pytest.mark.django_db(transaction=True)
def test_whoever_had_an_old_feed_gets_one_feed_with_the_matching_scopes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user_model = apps.get_model("accounts", "User")
    both, resident, revoked_only, nobody = (
        user_model.objects.create(username=name)
        for name in ("both", "resident", "revoked_only", "nobody")
    )
    apps.get_model("bookings", "CalendarFeed").objects.create(owner=both, token="b1")
    apps.get_model("meetings", "CalendarFeed").objects.create(user=both, token="m1")
    apps.get_model("residency", "CalendarFeed").objects.create(user=resident, key="r1")
    apps.get_model("bookings", "CalendarFeed").objects.create(
        owner=revoked_only, token="b2", revoked_at="2026-01-01T00:00:00Z"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    feeds = {
        feed.user.username: feed
        for feed in apps.get_model("accounts", "CalendarFeed").objects.select_related("user")
    }
    assert set(feeds) == {"both", "resident"}
    assert feeds["both"].scopes == ["bookings", "meetings"]
    assert feeds["resident"].scopes == ["rotations"]
    assert all(feed.token_hash is None for feed in feeds.values())  # old addresses: 404

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
