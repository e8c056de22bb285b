"""`{% load history %}`: the change history of an object in the reader's words."""

from collections.abc import Iterable

from django import template

from tandem.core.audit_text import EventText, describe, names_in
from tandem.core.models import AuditEvent

register = template.Library()


@register.filter
def described(events: Iterable[AuditEvent]) -> list[EventText]:
    """Each event of a history as who did what, what changed and why (see `describe`).
    A fixed number of queries whatever the length: the events, and at most one per kind of
    id some events record (see `names_in`)."""
    events = list(events)
    names = names_in(events)
    return [describe(event, names) for event in events]
