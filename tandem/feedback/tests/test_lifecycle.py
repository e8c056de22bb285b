"""The feedback lifecycle: routing, who may take each step, invalid transitions."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.models import AuditEvent
from tandem.feedback import services
from tandem.feedback.models import FeedbackItem, ItemStatus
from tandem.feedback.tests.factories import active_cultivation, raise_item

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


def test_housing_goes_to_the_host_and_tutoring_to_home(cast):
    assert raise_item(cast, category="housing").institution == cast.inst_b
    assert raise_item(cast, category="tutoring").institution == cast.inst_a


def test_deadlines_come_from_the_category(cast):
    with time_machine.travel(TODAY, tick=False):
        item = raise_item(cast, category="health")
    assert item.acknowledge_due == datetime.date(2026, 10, 6)
    assert item.resolve_due == datetime.date(2026, 10, 12)


def test_an_agreement_overrides_the_routing_of_a_category(cast):
    services.routing_set(
        actor=cast.coord_a,
        agreement=cast.agreement_ab,
        category="housing",
        side="home",
        handler_role="coordinator",
        acknowledge_days=10,
        resolve_days=40,
    )
    with time_machine.travel(TODAY, tick=False):
        item = raise_item(cast, category="housing")
    assert item.institution == cast.inst_a
    assert item.acknowledge_due == datetime.date(2026, 10, 15)


def test_only_the_parties_coordinators_route_an_agreement(cast):
    with pytest.raises(PermissionDenied):
        services.routing_set(
            actor=cast.outsider,
            agreement=cast.agreement_ab,
            category="housing",
            side="home",
            handler_role="coordinator",
            acknowledge_days=1,
            resolve_days=1,
        )


def test_only_a_trainee_raises_and_only_from_their_own_cultivation(cast):
    cultivation = active_cultivation(cast)
    with pytest.raises(PermissionDenied):
        services.item_raise(
            actor=cast.tutor_a,
            cultivation=cultivation,
            category="other",
            title="x",
            description="y",
        )
    with pytest.raises(ValidationError) as exc:
        services.item_raise(
            actor=cast.resident,
            cultivation=cultivation,
            category="other",
            title="x",
            description="y",
        )
    assert "cultivation" in exc.value.message_dict


def test_the_whole_loop_with_a_reopening(cast):
    item = raise_item(cast, state="resolved")
    item = services.item_reopen(actor=cast.trainee, item=item, reason="Still cold.")
    assert item.status == ItemStatus.IN_PROGRESS
    assert item.reopen_count == 1
    assert item.resolution == ""
    item = services.item_resolve(actor=cast.coord_b, item=item, resolution="New boiler.")
    item = services.item_confirm(actor=cast.trainee, item=item)
    assert item.status == ItemStatus.CLOSED
    assert item.closed_at is not None
    assert item.days_to_close == 0


def test_a_handler_elsewhere_cannot_acknowledge(cast):
    item = raise_item(cast)  # at B
    with pytest.raises(PermissionDenied):
        services.item_acknowledge(actor=cast.coord_a, item=item)
    with pytest.raises(PermissionDenied):
        services.item_acknowledge(actor=cast.trainee, item=item)


def test_the_raiser_alone_confirms_or_reopens(cast):
    item = raise_item(cast, state="resolved")
    for actor in (cast.coord_b, cast.admin, cast.resident):
        with pytest.raises(PermissionDenied):
            services.item_confirm(actor=actor, item=item)
        with pytest.raises(PermissionDenied):
            services.item_reopen(actor=actor, item=item, reason="no")


def test_a_handler_cannot_close_in_place_of_the_trainee(cast):
    item = raise_item(cast, state="resolved")
    with pytest.raises(PermissionDenied):
        services.item_confirm(actor=cast.coord_b, item=item)
    assert FeedbackItem.objects.get(pk=item.pk).status == ItemStatus.RESOLVED


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("open", "start"),
        ("open", "confirm"),
        ("acknowledged", "acknowledge"),
        ("in_progress", "reopen"),
        ("closed", "resolve"),
        ("closed", "reopen"),
    ],
)
def test_invalid_transitions_name_the_status(cast, state, step):
    item = raise_item(cast, state=state)
    calls = {
        "acknowledge": lambda: services.item_acknowledge(actor=cast.coord_b, item=item),
        "start": lambda: services.item_start(actor=cast.coord_b, item=item),
        "resolve": lambda: services.item_resolve(actor=cast.coord_b, item=item, resolution="x"),
        "confirm": lambda: services.item_confirm(actor=cast.trainee, item=item),
        "reopen": lambda: services.item_reopen(actor=cast.trainee, item=item, reason="x"),
    }
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert "status" in exc.value.message_dict
    assert AuditEvent.objects.count() == before
    assert FeedbackItem.objects.get(pk=item.pk).status == state


def test_resolving_needs_what_was_done(cast):
    item = raise_item(cast, state="acknowledged")
    with pytest.raises(ValidationError) as exc:
        services.item_resolve(actor=cast.coord_b, item=item, resolution="  ")
    assert "resolution" in exc.value.message_dict


def test_reopening_needs_a_reason(cast):
    item = raise_item(cast, state="resolved")
    with pytest.raises(ValidationError) as exc:
        services.item_reopen(actor=cast.trainee, item=item, reason="")
    assert "reason" in exc.value.message_dict


def test_reopening_gives_a_new_deadline_to_resolve(cast):
    with time_machine.travel(TODAY, tick=False):
        item = raise_item(cast, state="resolved")  # housing: 14 days to resolve
    with time_machine.travel(TODAY + datetime.timedelta(days=20), tick=False):
        item = services.item_reopen(actor=cast.trainee, item=item, reason="Still cold.")
    assert item.resolve_due == datetime.date(2026, 11, 8)


def test_days_to_acknowledge_are_kept_for_the_statistics(cast):
    with time_machine.travel(TODAY, tick=False):
        item = raise_item(cast)
    with time_machine.travel(TODAY + datetime.timedelta(days=3), tick=False):
        item = services.item_acknowledge(actor=cast.coord_b, item=item)
    assert item.days_to_acknowledge == 3


def test_stats_hide_institutions_with_fewer_than_three_items(cast):
    from tandem.feedback.selectors import item_stats

    raise_item(cast, category="tutoring")  # A: one item
    for _ in range(3):
        raise_item(cast, category="housing", state="closed")  # B: three
    rows = {row["institution_id"]: row for row in item_stats(cast.admin)}
    assert rows[cast.inst_a.pk]["suppressed"] and rows[cast.inst_a.pk]["items"] is None
    assert rows[cast.inst_b.pk]["items"] == 3
    assert rows[cast.inst_b.pk]["days_to_close"] == 0
    assert [r["institution_id"] for r in item_stats(cast.coord_b)] == [cast.inst_b.pk]
