"""One calendar feed per person (decision 079): whoever had a working feed of the old kinds —
their bookings (`bookings.CalendarFeed`, not revoked), their debriefings (`meetings.CalendarFeed`)
or their rotations (`residency.CalendarFeed`) — gets the new feed with the matching scopes.

No token is carried over: the old addresses answer 404 from the deployment on, and the new feed
has no address until its owner makes one on the calendar feed page (the page says so)."""

from django.db import migrations
from django.utils import timezone


def old_scopes_by_user(apps) -> dict[int, set[str]]:
    scopes: dict[int, set[str]] = {}
    bookings = apps.get_model("bookings", "CalendarFeed").objects.filter(revoked_at__isnull=True)
    for user_id in bookings.values_list("owner_id", flat=True):
        scopes.setdefault(user_id, set()).add("bookings")
    for user_id in apps.get_model("meetings", "CalendarFeed").objects.values_list(
        "user_id", flat=True
    ):
        scopes.setdefault(user_id, set()).add("meetings")
    for user_id in apps.get_model("residency", "CalendarFeed").objects.values_list(
        "user_id", flat=True
    ):
        scopes.setdefault(user_id, set()).add("rotations")
    return scopes


def forwards(apps, schema_editor) -> None:
    feed_model = apps.get_model("accounts", "CalendarFeed")
    order = ["bookings", "meetings", "rotations"]
    already = set(feed_model.objects.values_list("user_id", flat=True))
    now = timezone.now()
    feed_model.objects.bulk_create(
        feed_model(
            user_id=user_id,
            scopes=[s for s in order if s in chosen],
            token_hash=None,
            created_at=now,
        )
        for user_id, chosen in sorted(old_scopes_by_user(apps).items())
        if user_id not in already
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_calendar_feed"),
        ("bookings", "0001_initial"),
        ("meetings", "0003_action_item_label"),
        ("residency", "0004_swap_consent_of_the_other_resident"),
    ]

    # Backwards: the old feeds come back empty (their tokens are gone); the new rows go with
    # the table when 0003 is reversed.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
