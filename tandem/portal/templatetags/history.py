"""`{% load history %}`: the change history of an object in the reader's words."""

import dataclasses
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext

from tandem.accounts.selectors import person_list_visible_to
from tandem.core.models import AuditEvent
from tandem.portal.history import EventText, describe, names_in

register = template.Library()


@register.filter
def described(events: Iterable[AuditEvent]) -> list[EventText]:
    """Each event of a history as who did what, what changed and why (see `describe`).
    A fixed number of queries whatever the length: the events, and at most one per kind of
    id some events record (see `names_in`)."""
    events = list(events)
    names = names_in(events)
    return [describe(event, names) for event in events]


@register.filter
def described_for(events: Iterable[AuditEvent], reader: Any) -> list[EventText]:
    """`described`, naming only the actors the reader may see: a partner reads what a
    consortium admin or a colleague of the other side did, not who they are (issue 18). One
    query more, whatever the length."""

    events = list(events)
    texts = described(events)
    actor_ids = {event.actor_id for event in events if event.actor_id is not None}
    if not actor_ids:
        return texts
    visible = set(
        person_list_visible_to(reader).filter(pk__in=actor_ids).values_list("pk", flat=True)
    )
    return [
        dataclasses.replace(text, actor=gettext("Someone outside your institutions"))
        if event.actor_id is not None and event.actor_id not in visible
        else text
        for event, text in zip(events, texts, strict=True)
    ]
