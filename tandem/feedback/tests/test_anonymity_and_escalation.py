"""An anonymous item's raiser cannot be found by its handlers or the consortium admin — pages,
API, export, history, admin — and overdue items escalate through the early warning."""

import datetime
import json

import pytest
import time_machine

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification
from tandem.feedback.models import AnonymousFollow
from tandem.feedback.tests.factories import raise_item

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


def _traces(cast) -> list[str]:
    trainee = cast.trainee
    return [trainee.full_name, f'"raised_by_id": {trainee.pk}']


@pytest.mark.parametrize("who", ["admin", "coord_b"])
def test_nowhere_shows_the_raiser_of_an_anonymous_item(cast, client_for, who):
    item = raise_item(cast, anonymous=True, state="resolved")
    from tandem.feedback import services

    services.item_reopen(actor=cast.trainee, item=item, reason="Still cold.")
    client = client_for(who)
    urls = [
        f"/feedback/{item.pk}/",
        "/feedback/",
        "/feedback/export.csv",
        "/feedback/statistics/",
        f"/api/v1/feedback/items/{item.pk}",
        "/api/v1/feedback/items?status=all",
        "/alerts/",
    ]
    if who == "admin":
        urls += [
            f"/admin/feedback/feedbackitem/{item.pk}/change/",
            "/admin/feedback/feedbackitem/",
            "/admin/core/auditevent/",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for trace in _traces(cast):
            assert trace not in body, (url, trace)
    assert (
        json.loads(client.get(f"/api/v1/feedback/items/{item.pk}").content)["raised_by_id"] is None
    )
    assert client.get("/admin/feedback/anonymousfollow/").status_code in (302, 404)


def test_the_raiser_follows_their_anonymous_item(cast, client_for):
    item = raise_item(cast, anonymous=True, state="resolved")
    mine = json.loads(client_for("trainee").get("/api/v1/feedback/items/mine").content)
    assert [row["id"] for row in mine["items"]] == [item.pk]
    follow = AnonymousFollow.objects.get()
    assert str(item.pk) not in follow.sealed or follow.sealed != f"{item.pk:016x}"
    assert client_for("trainee").post(f"/feedback/{item.pk}/confirm/").status_code == 302


def test_anonymous_actions_are_audited_without_an_actor(cast):
    from tandem.core.models import AuditEvent

    raise_item(cast, anonymous=True, state="closed")
    actors = dict(
        AuditEvent.objects.filter(action__startswith="feedback_item.").values_list(
            "action", "actor"
        )
    )
    assert actors["feedback_item.raise"] is None
    assert actors["feedback_item.confirm"] is None
    assert actors["feedback_item.acknowledge"] == cast.coord_b.pk


def test_an_overdue_item_goes_to_the_coordinator_then_the_admin(cast):
    with time_machine.travel(DAY, tick=False):
        item = raise_item(cast, category="housing", anonymous=True)  # acknowledge within 2 days
        evaluate()
        assert not EarlyWarning.objects.filter(rule="feedback_overdue").exists()
    with time_machine.travel(DAY + datetime.timedelta(days=3), tick=False):
        evaluate()
    warning = EarlyWarning.objects.get(rule="feedback_overdue", subject_id=item.pk, status="open")
    assert warning.institution == cast.inst_b and warning.trainee is None
    notified = set(Notification.objects.filter(warning=warning).values_list("user", flat=True))
    assert cast.coord_b.pk in notified and cast.admin.pk not in notified
    with time_machine.travel(DAY + datetime.timedelta(days=11), tick=False):
        evaluate()
    escalated = EarlyWarning.objects.get(rule="feedback_overdue", subject_id=item.pk, status="open")
    assert escalated.is_urgent and escalated.detail["level"] == 2
    assert cast.admin.pk in set(
        Notification.objects.filter(warning=escalated).values_list("user", flat=True)
    )
    assert cast.trainee.pk not in set(
        Notification.objects.filter(warning__rule="feedback_overdue").values_list("user", flat=True)
    )


def test_acknowledging_in_time_raises_nothing(cast):
    from tandem.feedback import services

    with time_machine.travel(DAY, tick=False):
        item = raise_item(cast, category="housing")
        services.item_acknowledge(actor=cast.coord_b, item=item)
    with time_machine.travel(DAY + datetime.timedelta(days=3), tick=False):
        evaluate()
    assert not EarlyWarning.objects.filter(rule="feedback_overdue").exists()
