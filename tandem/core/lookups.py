"""Ids that arrive in a request body or query, resolved through the caller's selectors.

An id the caller cannot see must answer exactly like one that names nothing — "Not found." on
its field — and before any permission or business check that could tell the two apart
(otherwise anyone could map which ids exist). So every API operation resolves the ids it is
given here first, against a `<thing>_list_visible_to(user)` queryset, and hands the services
objects, never raw ids:

    ids = IdResolver()
    tutor = ids.one("initiating_tutor", person_list_visible_to(user), payload.initiating_tutor_id)
    trainees = ids.many("trainees", person_list_visible_to(user), payload.trainee_ids)
    ids.check()  # raises one ValidationError naming every field that was not found

Path ids keep their `<thing>_get_for_user_or_404` selectors: the whole answer is a 404 there.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from tandem.core.errors import ValidationError

M = TypeVar("M", bound=Model)

# Larger than any primary key the databases hold: such an id names nothing (and would overflow
# PostgreSQL's bigint on the way in).
_MAX_ID = 2**63 - 1


def visible_or_none(queryset: QuerySet[M], pk: int | None) -> M | None:
    """The row `pk` of `queryset` (one of the caller's visible-to selectors), or None for an id
    that is missing, out of range or not the caller's to see."""
    if pk is None or not 0 < pk <= _MAX_ID:
        return None
    return queryset.filter(pk=pk).first()


def not_found_message() -> str:
    return _("Not found.")


class IdResolver:
    """Collects "Not found." per field, so that all the ids of one request are resolved (and
    answered) before anything else is checked."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def _missing(self, field: str) -> None:
        self.errors.setdefault(field, []).append(not_found_message())

    def one(self, field: str, queryset: QuerySet[M], pk: int | None) -> M | None:
        """The visible row for `pk`; None (without an error) when no id was given."""
        if pk is None:
            return None
        found = visible_or_none(queryset, pk)
        if found is None:
            self._missing(field)
        return found

    def many(self, field: str, queryset: QuerySet[M], pks: Iterable[int] | None) -> list[M]:
        """The visible rows for `pks`, in the order given (repeats dropped)."""
        wanted = list(dict.fromkeys(pks or []))
        if not wanted:
            return []
        in_range = [pk for pk in wanted if 0 < pk <= _MAX_ID]
        found = {row.pk: row for row in queryset.filter(pk__in=in_range)}
        if len(found) != len(wanted):
            self._missing(field)
        return [found[pk] for pk in wanted if pk in found]

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def resolve_one(field: str, queryset: QuerySet[M], pk: int | None) -> M | None:
    """One id, answered on its own: "Not found." on `field` if the caller cannot see it."""
    ids = IdResolver()
    found = ids.one(field, queryset, pk)
    ids.check()
    return found


__all__ = ["IdResolver", "resolve_one", "visible_or_none", "not_found_message"]
