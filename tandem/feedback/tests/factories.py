"""Feedback fixtures on the fixed cast: cast.trainee's active joint cultivation (home A, host
B), items raised through the services, and a seminar of the agreement organized by coord_a."""

import datetime
from typing import Any

from django.utils import timezone

from tandem.cultivation.models import JointCultivation
from tandem.cultivation.tests.factories import cultivation_in
from tandem.feedback import services
from tandem.feedback.models import FeedbackItem, Seminar


def active_cultivation(cast: Any) -> JointCultivation:
    cached = getattr(cast, "_feedback_cultivation", None)
    if cached is None:
        cached = cultivation_in(cast, "active")
        cast._feedback_cultivation = cached
    return cached


def raise_item(
    cast: Any,
    *,
    category: str = "housing",
    anonymous: bool = False,
    state: str = "open",
    title: str = "No hot water",
) -> FeedbackItem:
    """An item of cast.trainee (housing: routed to the host, B) taken to `state` by coord_b."""
    item = services.item_raise(
        actor=cast.trainee,
        cultivation=active_cultivation(cast),
        category=category,
        title=title,
        description="The dormitory has had no hot water for a week.",
        anonymous=anonymous,
    )
    handler = cast.coord_b if item.institution_id == cast.inst_b.pk else cast.coord_a
    if state in ("acknowledged", "in_progress", "resolved", "closed"):
        item = services.item_acknowledge(actor=handler, item=item)
    if state == "in_progress":
        item = services.item_start(actor=handler, item=item)
    if state in ("resolved", "closed"):
        item = services.item_resolve(actor=handler, item=item, resolution="Boiler repaired.")
    if state == "closed":
        item = services.item_confirm(actor=cast.trainee, item=item)
    return item


def item_once(cast: Any, state: str = "open", anonymous: bool = False) -> FeedbackItem:
    key = f"_feedback_item_{state}_{anonymous}"
    cached = getattr(cast, key, None)
    if cached is None:
        cached = raise_item(cast, state=state, anonymous=anonymous)
        setattr(cast, key, cached)
    return cached


def seminar_once(cast: Any, *, past: bool = False) -> Seminar:
    key = f"_feedback_seminar_{past}"
    cached = getattr(cast, key, None)
    if cached is None:
        active_cultivation(cast)
        delta = datetime.timedelta(days=-7 if past else 7)
        cached = services.seminar_create(
            actor=cast.coord_a,
            agreement=cast.agreement_ab,
            title="Joint trainees' seminar",
            starts_at=timezone.now() + delta,
            place="Room 301",
        )
        setattr(cast, key, cached)
    return cached
